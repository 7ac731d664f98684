"""Programme assignments: a template, with per-item changes, given to one patient.

Every change writes a new version and retires the previous one (kept, never edited), so a
session logged last month is still explained by the programme the patient had then.
"""

from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from exercises.models import Exercise, ProgrammeTemplate
from exercises.services import caution_guard
from tracker.models import AssignmentItem, AuditAction, ProgrammeAssignment, User
from tracker.patient_calendar import MAX_BACKDATE_DAYS
from tracker.services.audit import audit_record
from tracker.services.checkins import patient_profile_for_update
from tracker.services.patient_reminders import programme_reminders_sync

DOSAGE_FIELDS = ("sets", "reps", "hold_seconds", "minutes", "times_per_day")
CHANGEABLE_FIELDS = (*DOSAGE_FIELDS, "days_per_week", "note")
# A programme planned ahead (after surgery, say) starts within a year; further is a typo.
MAX_AHEAD_DAYS = 365


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
    note: str = ""
    note_en: str = ""  # the English of a template's note; blank once the therapist rewrites it
    override_reason: str = ""
    overridden_by: User | None = None
    overridden_cautions: list[str] = field(default_factory=list)
    overridden_at: object = None


def _drafts_from_template(template: ProgrammeTemplate) -> list[_Draft]:
    drafts = []
    for item in template.items.select_related("exercise").order_by("position"):
        exercise = item.exercise
        # Blank template dosage means "the exercise's own": resolve it now, so a later catalogue
        # edit never silently changes what this patient was told to do.
        dosage = {
            name: getattr(item, name)
            if getattr(item, name) is not None
            else getattr(exercise, name)
            for name in DOSAGE_FIELDS
        }
        # Both languages are kept: the patient may switch language later (issue 9).
        drafts.append(
            _Draft(
                exercise=exercise,
                position=item.position,
                days_per_week=item.days_per_week,
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


def _apply_changes(
    drafts: list[_Draft], *, remove: list[str], changes: list[dict[str, Any]], therapist: User
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    by_key = {draft.exercise.key: draft for draft in drafts}
    missing = [key for key in remove if key not in by_key]
    if missing:
        errors["remove"] = [f"Not in the programme: {', '.join(missing)}."]
    for key in remove:
        by_key.pop(key, None)
    new_keys = [change["exercise"] for change in changes if change["exercise"] not in by_key]
    exercises = {e.key: e for e in Exercise.objects.filter(key__in=new_keys)}
    unknown = [key for key in new_keys if key not in exercises]
    if unknown:
        errors["changes"] = [f"Unknown exercise(s): {', '.join(unknown)}."]
    next_position = max((d.position for d in by_key.values()), default=0) + 1
    for change in changes:
        key = change["exercise"]
        draft = by_key.get(key)
        if draft is None:
            if key not in exercises:
                continue
            exercise = exercises[key]
            draft = _Draft(
                exercise=exercise,
                position=next_position,
                **{name: getattr(exercise, name) for name in DOSAGE_FIELDS},
            )
            next_position += 1
            by_key[key] = draft
        if "note" in change and change["note"] != draft.note:
            # The therapist's own words replace the template's note in both languages.
            draft.note_en = ""
        for name in CHANGEABLE_FIELDS:
            if name in change:
                setattr(draft, name, change[name])
        if change.get("override_reason"):
            draft.override_reason = change["override_reason"].strip()
            draft.overridden_by = therapist
            draft.overridden_at = None
        days = draft.days_per_week
        if not isinstance(days, int) or not 1 <= days <= 7:
            errors.setdefault("changes", []).append(f"{key}: days per week must be 1 to 7.")
    drafts[:] = sorted(by_key.values(), key=lambda d: d.position)
    return errors


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
    errors: dict[str, Any] = {}
    with transaction.atomic():
        # Serialises programme changes for one patient; the partial unique index on
        # is_current is the backstop.
        profile = patient_profile_for_update(patient=patient)
        today = timezone.localdate(timezone=profile.tzinfo)
        starts_on = starts_on or today
        if starts_on < today - timedelta(days=MAX_BACKDATE_DAYS):
            errors["starts_on"] = [f"At most {MAX_BACKDATE_DAYS} days back."]
        elif starts_on > today + timedelta(days=MAX_AHEAD_DAYS):
            errors["starts_on"] = [f"At most {MAX_AHEAD_DAYS} days ahead."]
        current = (
            ProgrammeAssignment.objects.filter(patient=patient, is_current=True)
            .select_related("template")
            .first()
        )
        template = None
        if template_key:
            template = ProgrammeTemplate.objects.filter(key=template_key).first()
            if template is None:
                raise ValidationError(
                    {"template": [f"Unknown programme template {template_key!r}."]}
                )
            drafts = _drafts_from_template(template)
        elif current is not None:
            template = current.template
            drafts = _drafts_from_assignment(current)
        else:
            raise ValidationError({"template": ["No programme yet: choose a template."]})
        errors.update(_apply_changes(drafts, remove=remove, changes=changes, therapist=therapist))
        if not drafts:
            errors.setdefault("changes", []).append("A programme needs at least one exercise.")
        phase = profile.phase_on(starts_on)
        now = timezone.now()
        caution_errors: dict[str, list[str]] = {}
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
                caution_errors[draft.exercise.key] = error.messages
                continue
            if codes:
                draft.overridden_cautions = codes
                draft.overridden_at = draft.overridden_at or now
            else:
                # Nothing to override (any more): the record stays empty rather than stale.
                draft.override_reason, draft.overridden_by = "", None
                draft.overridden_cautions, draft.overridden_at = [], None
        if caution_errors:
            hint = gettext("To assign it anyway, give an override_reason.")
            errors["cautions"] = [
                f"{key}: {message} {hint}"
                for key, messages in caution_errors.items()
                for message in messages
            ]
        if errors:
            raise ValidationError(errors)

        version = (
            ProgrammeAssignment.objects.filter(patient=patient).aggregate(v=Max("version"))["v"]
            or 0
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
                assignment=assignment,
                **{name: getattr(draft, name) for name in draft_fields},
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
