"""Programme assignments: a template, with per-item changes, given to one patient.

Every change writes a new version and retires the previous one (kept, never edited), so a
session logged last month is still explained by the programme the patient had then.

Two ways in, one path: the API's `assignment_change` (a template or the current version, minus
`remove`, plus `changes`) and the builder page's `programme_save` (the whole programme as left).
Both check the start date, take the base items, apply the therapist's items, then check the
programme can be followed and passes the caution guard and write the version.
"""

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exercises.models import Exercise, ProgrammeTemplate
from exercises.services import caution_guard
from tracker.models import AssignmentItem, AuditAction, PatientProfile, ProgrammeAssignment, User
from tracker.patient_calendar import MAX_BACKDATE_DAYS, local_today
from tracker.services.audit import audit_record
from tracker.services.checkins import patient_profile_for_update
from tracker.services.patient_reminders import programme_reminders_sync

DOSAGE_FIELDS = ("sets", "reps", "hold_seconds", "minutes", "times_per_day")
CHANGEABLE_FIELDS = (*DOSAGE_FIELDS, "days_per_week", "note")
BUILDER_FIELDS = (*CHANGEABLE_FIELDS, "starts_on", "duration_weeks")  # the builder page's
# A programme planned ahead (after surgery, say) starts within a year; further is a typo.
MAX_AHEAD_DAYS = 365

Errors = dict[str, list[str]]


class ProgrammeInvalid(ValidationError):
    """A programme refused as a whole, with each item's own reasons (by exercise key) as well,
    so a page can show them next to the item."""

    def __init__(self, errors: Errors, *, by_item: Errors) -> None:
        super().__init__(errors)
        self.by_item = by_item


@dataclass
class _Draft:
    exercise: Exercise
    position: int
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    times_per_day: int | None = None
    days_per_week: int = 7
    starts_on: date | None = None
    duration_weeks: int | None = None
    note: str = ""
    note_en: str = ""  # the English of a template's note; blank once the therapist rewrites it
    override_reason: str = ""
    overridden_by: User | None = None
    overridden_cautions: list[str] = field(default_factory=list)
    overridden_at: datetime | None = None


# --- step 1: the start date --------------------------------------------------------------------


def _start_checked(profile: PatientProfile, starts_on: date | None) -> tuple[date, Errors]:
    today = local_today(profile)
    starts_on = starts_on or today
    if starts_on < today - timedelta(days=MAX_BACKDATE_DAYS):
        return starts_on, {"starts_on": [_("At most %(n)s days back.") % {"n": MAX_BACKDATE_DAYS}]}
    if starts_on > today + timedelta(days=MAX_AHEAD_DAYS):
        return starts_on, {"starts_on": [_("At most %(n)s days ahead.") % {"n": MAX_AHEAD_DAYS}]}
    return starts_on, {}


# --- step 2: the base items (a template's, or the current version's) ---------------------------


def _current_version(patient: User) -> ProgrammeAssignment | None:
    return (
        ProgrammeAssignment.objects.filter(patient=patient, is_current=True)
        .select_related("template")
        .first()
    )


def _template_get(template_key: str) -> ProgrammeTemplate:
    template = ProgrammeTemplate.objects.filter(key=template_key).first()
    if template is None:
        message = _("Unknown programme template %(key)s.") % {"key": repr(template_key)}
        raise ValidationError({"template": [message]})
    return template


def _drafts_from_template(template: ProgrammeTemplate) -> list[_Draft]:
    drafts = []
    for item in template.items.select_related("exercise").order_by("position"):
        exercise = item.exercise
        # Blank template dosage means "the exercise's own" (the article's, or CLINICAL.md §1a's
        # starting dose, both held by the catalogue): resolve it now, so a later catalogue edit
        # never silently changes what this patient was told to do.
        dosage = {
            name: own if (own := getattr(item, name)) is not None else getattr(exercise, name)
            for name in DOSAGE_FIELDS
        }
        # Both languages are kept: the patient may switch language later (issue 9).
        drafts.append(
            _Draft(
                exercise=exercise,
                position=item.position,
                days_per_week=item.days_per_week,
                duration_weeks=item.duration_weeks,
                note=item.note_zh or item.note_en,
                note_en=item.note_en,
                **dosage,
            )
        )
    return drafts


def _drafts_from_assignment(assignment: ProgrammeAssignment) -> list[_Draft]:
    return [
        _Draft(
            exercise=item.exercise,
            position=item.position,
            days_per_week=item.days_per_week,
            starts_on=item.starts_on,
            duration_weeks=item.duration_weeks,
            note=item.note,
            note_en=item.note_en,
            override_reason=item.override_reason,
            overridden_by=item.overridden_by,
            overridden_cautions=list(item.overridden_cautions),
            overridden_at=item.overridden_at,
            **{name: getattr(item, name) for name in DOSAGE_FIELDS},
        )
        for item in assignment.items.select_related("exercise", "overridden_by")
    ]


def _base_drafts(
    *, template_key: str, current: ProgrammeAssignment | None, from_nothing_ok: bool = False
) -> tuple[ProgrammeTemplate | None, list[_Draft]]:
    if template_key:
        template = _template_get(template_key)
        return template, _drafts_from_template(template)
    if current is not None:
        return current.template, _drafts_from_assignment(current)
    if from_nothing_ok:
        return None, []
    raise ValidationError({"template": [_("No programme yet: choose a template.")]})


# --- step 3: the therapist's items -------------------------------------------------------------


def _new_draft(exercise: Exercise, position: int) -> _Draft:
    # The exercise's own dose: the article's, else CLINICAL.md §1a's (Exercise.is_starting_dose).
    return _Draft(
        exercise=exercise,
        position=position,
        **{name: getattr(exercise, name) for name in DOSAGE_FIELDS},
    )


def _change_apply(
    draft: _Draft, change: dict[str, Any], *, names: tuple[str, ...], therapist: User
) -> None:
    if "note" in change and change["note"] != draft.note:
        # The therapist's own words replace the template's note in both languages.
        draft.note_en = ""
    for name in names:
        if name in change:
            setattr(draft, name, change[name])
    if change.get("override_reason"):
        draft.override_reason = change["override_reason"].strip()
        draft.overridden_by = therapist
        draft.overridden_at = None


def _apply_changes(
    drafts: list[_Draft], *, remove: list[str], changes: list[dict[str, Any]], therapist: User
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    by_key = {draft.exercise.key: draft for draft in drafts}
    missing = [key for key in remove if key not in by_key]
    if missing:
        errors["remove"] = [_("Not in the programme: %(keys)s.") % {"keys": ", ".join(missing)}]
    for key in remove:
        by_key.pop(key, None)
    new_keys = [change["exercise"] for change in changes if change["exercise"] not in by_key]
    exercises = {e.key: e for e in Exercise.objects.filter(key__in=new_keys)}
    unknown = [key for key in new_keys if key not in exercises]
    if unknown:
        errors["changes"] = [_("Unknown exercise(s): %(keys)s.") % {"keys": ", ".join(unknown)}]
    next_position = max((d.position for d in by_key.values()), default=0) + 1
    for change in changes:
        key = change["exercise"]
        draft = by_key.get(key)
        if draft is None:
            if key not in exercises:
                continue
            draft = by_key[key] = _new_draft(exercises[key], next_position)
            next_position += 1
        _change_apply(draft, change, names=CHANGEABLE_FIELDS, therapist=therapist)
        days = draft.days_per_week
        if not isinstance(days, int) or not 1 <= days <= 7:
            message = _("%(key)s: days per week must be 1 to 7.") % {"key": key}
            errors.setdefault("changes", []).append(message)
    drafts[:] = sorted(by_key.values(), key=lambda d: d.position)
    return errors


# --- step 4: a programme the patient can follow ------------------------------------------------


def _has_dose(draft: _Draft) -> bool:
    # A stand-up break's dose is its interval; anything else needs at least one number.
    return bool(draft.exercise.interval_minutes) or any(
        getattr(draft, name) for name in DOSAGE_FIELDS
    )


def _followable_errors(drafts: list[_Draft], by_item: Errors) -> Errors:
    errors: Errors = {}
    if not drafts:
        errors["changes"] = [_("A programme needs at least one exercise.")]
    for draft in drafts:
        if not _has_dose(draft):
            message = _(
                "%(name)s has no dose: give sets, repetitions, a hold, minutes or times a day."
            ) % {"name": draft.exercise.localized("name")}
            by_item.setdefault(draft.exercise.key, []).append(message)
            errors.setdefault("changes", []).append(f"{draft.exercise.key}: {message}")
    return errors


# --- step 5: the caution guard (CLINICAL.md §2) ------------------------------------------------


def _cautions_checked(
    drafts: list[_Draft], *, profile: PatientProfile, starts_on: date, by_item: Errors
) -> Errors:
    """Pass every item through the caution guard in the patient's phase and conditions; record
    what an override covers, and drop an override that no longer covers anything."""
    phase = profile.phase_on(starts_on)
    now = timezone.now()
    refused: Errors = {}
    for draft in drafts:
        try:
            codes = caution_guard(
                exercise=draft.exercise,
                phase=phase,
                conditions=profile.conditions,
                override_reason=draft.override_reason,
                overridden_by=draft.overridden_by,
            )
        except ValidationError as error:
            refused[draft.exercise.key] = error.messages
            continue
        if codes:
            draft.overridden_cautions = codes
            draft.overridden_at = draft.overridden_at or now
        else:
            # Nothing to override (any more): the record stays empty rather than stale.
            draft.override_reason, draft.overridden_by = "", None
            draft.overridden_cautions, draft.overridden_at = [], None
    if not refused:
        return {}
    for key, messages in refused.items():
        by_item.setdefault(key, []).extend(messages)
    hint = _("To assign it anyway, give an override_reason.")
    return {
        "cautions": [
            f"{key}: {message} {hint}" for key, messages in refused.items() for message in messages
        ]
    }


# --- step 6: the new version -------------------------------------------------------------------


def _checked_and_written(
    drafts: list[_Draft],
    *,
    errors: Errors,
    by_item: Errors,
    profile: PatientProfile,
    therapist: User,
    current: ProgrammeAssignment | None,
    template: ProgrammeTemplate | None,
    starts_on: date,
    note: str,
) -> ProgrammeAssignment:
    """The last two steps of both ways in (see above), or ProgrammeInvalid with each reason."""
    for name, messages in _followable_errors(drafts, by_item).items():
        errors.setdefault(name, []).extend(messages)
    errors.update(_cautions_checked(drafts, profile=profile, starts_on=starts_on, by_item=by_item))
    if errors:
        raise ProgrammeInvalid(errors, by_item=by_item)
    return _version_write(
        profile=profile,
        therapist=therapist,
        current=current,
        template=template,
        drafts=drafts,
        starts_on=starts_on,
        note=note,
    )


def _version_write(
    *,
    profile: PatientProfile,
    therapist: User,
    current: ProgrammeAssignment | None,
    template: ProgrammeTemplate | None,
    drafts: list[_Draft],
    starts_on: date,
    note: str,
) -> ProgrammeAssignment:
    patient = profile.user
    version = (
        ProgrammeAssignment.objects.filter(patient=patient).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    if current is not None:
        ProgrammeAssignment.objects.filter(pk=current.pk).update(is_current=False)
    assignment = ProgrammeAssignment.objects.create(
        patient=patient,
        template=template,
        version=version,
        is_current=True,
        starts_on=starts_on,
        note=note,
        created_by=therapist,
    )
    draft_fields = {f.name for f in fields(_Draft)}
    AssignmentItem.objects.bulk_create(
        AssignmentItem(
            assignment=assignment, **{name: getattr(draft, name) for name in draft_fields}
        )
        for draft in drafts
    )
    audit_record(
        actor=therapist,
        patient=patient,
        action=AuditAction.CREATE,
        object_type="assignment",
        object_id=assignment.public_id,
        clinic_id=profile.clinic_id,
    )
    programme_reminders_sync(profile=profile, assignment=assignment)
    return assignment


# --- the two ways in ---------------------------------------------------------------------------


def assignment_change(
    *,
    patient: User,
    therapist: User,
    template_key: str = "",
    starts_on: date | None = None,
    remove: list[str] | None = None,
    changes: list[dict[str, Any]] | None = None,
    note: str = "",
) -> ProgrammeAssignment:
    """Give the patient a new version of their programme: from `template_key` if given, else
    from their current version; then drop `remove` and add or update `changes` (by exercise key).

    Every resulting item passes the caution guard in the patient's phase and conditions; an item
    that meets a caution needs the therapist's `override_reason`, recorded with their name.
    """
    remove, changes = list(remove or []), list(changes or [])
    by_item: Errors = {}
    with transaction.atomic():
        # Serialises programme changes for one patient; the partial unique index on
        # is_current is the backstop.
        profile = patient_profile_for_update(patient=patient)
        starts_on, errors = _start_checked(profile, starts_on)
        current = _current_version(patient)
        template, drafts = _base_drafts(template_key=template_key, current=current)
        errors.update(_apply_changes(drafts, remove=remove, changes=changes, therapist=therapist))
        return _checked_and_written(
            drafts,
            errors=errors,
            by_item=by_item,
            profile=profile,
            therapist=therapist,
            current=current,
            template=template,
            starts_on=starts_on,
            note=note,
        )
