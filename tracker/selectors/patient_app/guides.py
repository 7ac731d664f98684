"""The exercise guides in the patient's app and the guided player's page: always read for the
signed-in patient, so a guide shows the dose of their own programme item where there is one."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from exercises.dosage import Dosage, exercise_dosage, item_dosage
from exercises.guides import Guide, PlanPhase, guide_for, player_plan
from exercises.models import Exercise
from reminders.languages import is_english
from tracker.models import AssignmentItem, PatientProfile
from tracker.patient_calendar import local_today
from tracker.selectors.patient_app.exercises import catalogue_exercises
from tracker.selectors.patient_app.today import assignment_item_for, current_assignment_items


@dataclass(frozen=True)
class GuideEntry:
    exercise: Exercise
    name: str
    guide: Guide
    dosage_text: str
    item: AssignmentItem | None  # the patient's programme item for it, if any
    caution: str


@dataclass(frozen=True)
class GuidePage:
    entry: GuideEntry
    dosage: Dosage
    plan: list[PlanPhase]

    @property
    def is_walk(self) -> bool:
        return any(phase.kind == "walk" for phase in self.plan)

    @property
    def minutes(self) -> int | None:
        return self.dosage.minutes


def _dosage_text(dosage: Dosage, english: bool) -> str:
    return (dosage.text_en if english else dosage.text_zh) or dosage.text_zh


def _entry(exercise: Exercise, item: AssignmentItem | None, language: str) -> GuideEntry | None:
    guide = guide_for(key=exercise.key, guide=exercise.guide, language=language)
    if guide is None:
        return None
    dosage = item_dosage(item) if item is not None else exercise_dosage(exercise)
    return GuideEntry(
        exercise=exercise,
        name=exercise.localized("name"),
        guide=guide,
        dosage_text=_dosage_text(dosage, is_english(language)),
        item=item,
        caution=exercise.localized("caution"),
    )


def patient_guides(
    *, profile: PatientProfile, language: str
) -> tuple[list[GuideEntry], list[GuideEntry]]:
    """(the guides of the patient's programme, in its order; every other guide, by name)."""
    items = current_assignment_items(patient=profile.user, today=local_today(profile))
    mine = [entry for item in items if (entry := _entry(item.exercise, item, language))]
    in_programme = {entry.exercise.pk for entry in mine}
    # Every other exercise from the per-process store (exercises.py): only each one's stamp is
    # read, not its guide and texts again.
    stamps = dict(
        Exercise.objects.exclude(pk__in=in_programme)
        .order_by("key")
        .values_list("pk", "updated_at")
    )
    kept = catalogue_exercises(stamps)
    others = [entry for pk in stamps if pk in kept and (entry := _entry(kept[pk], None, language))]
    return mine, sorted(others, key=lambda entry: entry.name)


def patient_guide_page(
    *, profile: PatientProfile, key: str, item_id: UUID | None, language: str
) -> GuidePage | None:
    """One exercise's guide and player plan. `item_id` names the patient's own programme item
    (its dose); an item that is not theirs, or not this exercise, is as good as none."""
    stamp = Exercise.objects.filter(key=key).values_list("pk", "updated_at").first()
    exercise = catalogue_exercises(dict([stamp])).get(stamp[0]) if stamp is not None else None
    if exercise is None:
        return None
    item = None
    if item_id is not None:
        item = assignment_item_for(patient=profile.user, item_id=item_id)
        if item is not None and item.exercise_id != exercise.pk:
            item = None
    if item is None:
        today = local_today(profile)
        item = next(
            (
                i
                for i in current_assignment_items(patient=profile.user, today=today)
                if i.exercise_id == exercise.pk
            ),
            None,
        )
    entry = _entry(exercise, item, language)
    if entry is None:
        return None
    dosage = item_dosage(item) if item is not None else exercise_dosage(exercise)
    plan = player_plan(key=exercise.key, guide=exercise.guide, dosage=dosage, language=language)
    return GuidePage(entry=entry, dosage=dosage, plan=plan)
