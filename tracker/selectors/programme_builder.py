"""Reads behind the programme builder: the draft's rows, the catalogue to add from, the cautions
each row meets for this patient, the Today preview and the version history."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet

from exercises.cautions import caution_conflicts
from exercises.dosage import item_dosage
from exercises.models import Exercise, ProgrammeTemplate
from exercises.selectors import exercise_list
from reminders.languages import is_english
from tracker.models import AssignmentItem, PatientProfile, ProgrammeAssignment, User
from tracker.selectors import assignments_for_patient
from tracker.selectors.patient_app.today import STAND_UP_KEY, TodayItem, _today_item
from tracker.services.assignments import DOSAGE_FIELDS

# What the history compares between two versions of an item, beside its dose.
COMPARED_FIELDS = ("days_per_week", "starts_on", "duration_weeks", "note")


@dataclass
class CautionNote:
    messages: list[str]  # why the guard refuses it, in the reader's language
    override_reason: str = ""  # a recorded override carried from the current version
    overridden_by: User | None = None
    overridden_at: datetime | None = None


@dataclass
class DraftRow:
    exercise: Exercise
    values: dict[str, Any]  # the row's fields, as the form's initial values
    caution: CautionNote | None = None
    form: Any = None  # the page's form for the row (tracker.forms_programme.ProgrammeItemForm)
    errors: list[str] = field(default_factory=list)  # the service's reasons for refusing it


def _note_for(item: Any, language: str) -> str:
    if is_english(language) and getattr(item, "note_en", None):
        return str(item.note_en)
    return str(getattr(item, "note", "") or getattr(item, "note_zh", ""))


def row_values_new(exercise: Exercise) -> dict[str, Any]:
    # The exercise's own dose: the article's, or CLINICAL.md §1a's starting dose (the catalogue
    # holds both; Exercise.is_starting_dose tells which).
    return {
        "exercise": exercise.key,
        **{name: getattr(exercise, name) for name in DOSAGE_FIELDS},
        "days_per_week": 7,
    }


def rows_from_template(*, template: ProgrammeTemplate, language: str) -> list[dict[str, Any]]:
    rows = []
    for item in template.items.select_related("exercise").order_by("position"):
        dosage = item_dosage(item)
        rows.append(
            {
                "exercise": item.exercise.key,
                **{name: getattr(dosage, name) for name in DOSAGE_FIELDS},
                "days_per_week": item.days_per_week,
                "duration_weeks": item.duration_weeks,
                "note": _note_for(item, language),
            }
        )
    return rows


def rows_from_assignment(*, assignment: ProgrammeAssignment, language: str) -> list[dict[str, Any]]:
    return [
        {
            "exercise": item.exercise.key,
            **{name: getattr(item, name) for name in DOSAGE_FIELDS},
            "days_per_week": item.days_per_week,
            "starts_on": item.starts_on,
            "duration_weeks": item.duration_weeks,
            "note": item.note_in(language),
            "override_reason": item.override_reason,
        }
        for item in assignment.items.all()
    ]


def current_programme(*, patient: User) -> ProgrammeAssignment | None:
    return assignments_for_patient(patient=patient).filter(is_current=True).first()


def exercises_by_key(*, keys: list[str]) -> dict[str, Exercise]:
    return {e.key: e for e in Exercise.objects.filter(key__in=keys)}


def draft_rows(
    *,
    profile: PatientProfile,
    values: list[dict[str, Any]],
    on: date,
    current: ProgrammeAssignment | None,
) -> list[DraftRow]:
    """The rows with their exercises and the cautions each meets in the patient's phase on `on`
    (the programme's start) and conditions; rows of unknown exercises are dropped."""
    exercises = exercises_by_key(keys=[row["exercise"] for row in values])
    carried = {item.exercise.key: item for item in current.items.all()} if current else {}
    phase = profile.phase_on(on)
    rows = []
    for row in values:
        exercise = exercises.get(row["exercise"])
        if exercise is None:
            continue
        conflicts = caution_conflicts(
            exercise_key=exercise.key,
            name_zh=exercise.name_zh,
            name_en=exercise.name_en,
            contraindications=exercise.contraindications,
            phase=phase,
            conditions=profile.conditions,
        )
        caution = None
        if conflicts:
            caution = CautionNote(messages=[c.message for c in conflicts])
            earlier = carried.get(exercise.key)
            if earlier is not None and earlier.override_reason:
                caution.override_reason = earlier.override_reason
                caution.overridden_by = earlier.overridden_by
                caution.overridden_at = earlier.overridden_at
        rows.append(DraftRow(exercise=exercise, values=row, caution=caution))
    return rows


def builder_catalogue(
    *, query: str = "", phase: str = "", category: str = "", leave_out: list[str] | None = None
) -> QuerySet[Exercise]:
    """Exercises to add: by name in either language (or key), phase and category."""
    exercises = exercise_list(phase=phase or None, category=category or None)
    if query:
        exercises = exercises.filter(
            Q(name_zh__icontains=query) | Q(name_en__icontains=query) | Q(key__icontains=query)
        )
    if leave_out:
        exercises = exercises.exclude(key__in=leave_out)
    return exercises


def programme_preview(
    *, profile: PatientProfile, items: list[dict[str, Any]], today: date, starts_on: date
) -> list[TodayItem]:
    """The items as the patient's Today page will show them on `today`, through Today's own
    item builder (tracker/selectors/patient_app/today.py), in the patient's language."""
    exercises = exercises_by_key(keys=[item["exercise"] for item in items])
    english = is_english(profile.language)
    entries = []
    for position, values in enumerate(items, start=1):
        exercise = exercises.get(values["exercise"])
        if exercise is None or exercise.key == STAND_UP_KEY:
            continue  # the stand-up break has its own card on Today
        item = AssignmentItem(
            exercise=exercise,
            position=position,
            note=values.get("note", ""),
            **{name: values[name] for name in (*DOSAGE_FIELDS, "days_per_week")},
            starts_on=values.get("starts_on"),
            duration_weeks=values.get("duration_weeks"),
        )
        if not item.is_active_on(today, programme_starts_on=starts_on):
            continue
        entries.append(
            _today_item(item, today=today, week_start=today, logged=Counter(), english=english)
        )
    return entries


# --- version history ---------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ItemChange:
    exercise: Exercise
    changes: list[FieldChange]


@dataclass
class VersionEntry:
    assignment: ProgrammeAssignment
    added: list[AssignmentItem] = field(default_factory=list)
    removed: list[AssignmentItem] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    overrides: list[AssignmentItem] = field(default_factory=list)  # given or renewed here


def _dose_text(item: AssignmentItem) -> str:
    dosage = item_dosage(item)
    return (dosage.text_en if is_english() else dosage.text_zh) or dosage.text_zh


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return value.isoformat() if isinstance(value, date) else str(value)


def _item_changes(
    before: AssignmentItem, after: AssignmentItem, labels: dict[str, str]
) -> list[FieldChange]:
    changes = []
    if any(getattr(before, n) != getattr(after, n) for n in DOSAGE_FIELDS):
        changes.append(FieldChange(labels["dose"], _dose_text(before), _dose_text(after)))
    for name in COMPARED_FIELDS:
        if getattr(before, name) != getattr(after, name):
            changes.append(
                FieldChange(
                    labels[name], _shown(getattr(before, name)), _shown(getattr(after, name))
                )
            )
    return changes


def programme_history(*, patient: User, labels: dict[str, str]) -> list[VersionEntry]:
    """Every version, newest first, with what changed from the one before: items added and
    removed, dose and schedule from → to, and the caution overrides given in it."""
    versions = list(assignments_for_patient(patient=patient).order_by("version"))
    entries = []
    previous: dict[str, AssignmentItem] = {}
    for assignment in versions:
        items = {item.exercise.key: item for item in assignment.items.all()}
        entry = VersionEntry(assignment=assignment)
        for key, item in items.items():
            earlier = previous.get(key)
            if earlier is None:
                entry.added.append(item)
            else:
                changes = _item_changes(earlier, item, labels)
                if changes:
                    entry.changed.append(ItemChange(exercise=item.exercise, changes=changes))
            if item.override_reason and (
                earlier is None
                or earlier.override_reason != item.override_reason
                or earlier.overridden_at != item.overridden_at
            ):
                entry.overrides.append(item)
        entry.removed = [item for key, item in previous.items() if key not in items]
        entries.append(entry)
        previous = items
    return entries[::-1]
