"""The programme builder page's save: the whole programme as the therapist left it.

It runs the steps of `assignment_change` (tracker/services/assignments.py) with the builder's
own step 3: the page sends every item in order, so what is not there is removed, and an item
carried over keeps what the page did not change (a template's note in both languages, an
override's author and time).
"""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from exercises.models import Exercise
from reminders.languages import is_english
from tracker.models import PatientProfile, ProgrammeAssignment, User
from tracker.models.patients import MAX_ITEM_WEEKS
from tracker.patient_calendar import local_today
from tracker.services.assignments import (
    BUILDER_FIELDS,
    Errors,
    _base_drafts,
    _change_apply,
    _checked_and_written,
    _current_version,
    _Draft,
    _new_draft,
    _start_checked,
)
from tracker.services.checkins import patient_profile_for_update


def _note_shown(draft: _Draft, language: str) -> str:
    # What the builder shows: AssignmentItem.note_in for the patient's language.
    if is_english(language) and draft.note_en:
        return draft.note_en
    return draft.note


def _override_apply(draft: _Draft, reason: str, *, therapist: User) -> None:
    reason = reason.strip()
    if reason == draft.override_reason:
        return  # unchanged: it keeps who gave it and when
    if reason:
        draft.override_reason, draft.overridden_by, draft.overridden_at = reason, therapist, None
    else:
        # The therapist took the reason away: the item is no longer overridden.
        draft.override_reason, draft.overridden_by = "", None
        draft.overridden_cautions, draft.overridden_at = [], None


def _item_dates_errors(draft: _Draft, *, programme_starts_on: date, today: date) -> list[str]:
    errors = []
    if draft.starts_on is not None:
        if draft.starts_on < programme_starts_on:
            errors.append(_("An item cannot start before its programme."))
        elif draft.starts_on > today + timedelta(days=365):
            errors.append(_("An item starts at most a year ahead."))
    weeks = draft.duration_weeks
    if weeks is not None and not 1 <= weeks <= MAX_ITEM_WEEKS:
        errors.append(_("Weeks must be 1 to %(most)s.") % {"most": MAX_ITEM_WEEKS})
    if not 1 <= draft.days_per_week <= 7:
        errors.append(_("Days a week must be 1 to 7."))
    return errors


def _builder_drafts(
    base: list[_Draft],
    items: list[dict[str, Any]],
    *,
    profile: PatientProfile,
    therapist: User,
    starts_on: date,
    by_item: Errors,
) -> tuple[list[_Draft], Errors]:
    errors: Errors = {}
    by_key = {draft.exercise.key: draft for draft in base}
    keys = [item["exercise"] for item in items]
    if len(set(keys)) != len(keys):
        errors["changes"] = [_("An exercise can be in a programme only once.")]
    exercises = {
        e.key: e for e in Exercise.objects.filter(key__in=[k for k in keys if k not in by_key])
    }
    unknown = [key for key in keys if key not in by_key and key not in exercises]
    if unknown:
        errors.setdefault("changes", []).append(
            _("Unknown exercise(s): %(keys)s.") % {"keys": ", ".join(unknown)}
        )
    today = local_today(profile)
    drafts = []
    for position, item in enumerate(items, start=1):
        key = item["exercise"]
        if key in unknown:
            continue
        draft = by_key.pop(key, None) or _new_draft(exercises[key], position)
        draft.position = position
        change = dict(item)
        if change.get("note") == _note_shown(draft, profile.language):
            del change["note"]  # unchanged: a template's note stays in both languages
        _override_apply(draft, change.pop("override_reason", ""), therapist=therapist)
        _change_apply(draft, change, names=BUILDER_FIELDS, therapist=therapist)
        for message in _item_dates_errors(draft, programme_starts_on=starts_on, today=today):
            by_item.setdefault(key, []).append(message)
            errors.setdefault("changes", []).append(f"{key}: {message}")
        drafts.append(draft)
    return drafts, errors


def programme_save(
    *,
    patient: User,
    therapist: User,
    items: list[dict[str, Any]],
    template_key: str = "",
    from_current: bool = False,
    starts_on: date | None = None,
    note: str = "",
) -> ProgrammeAssignment:
    """Save the builder's programme as the patient's new version.

    `items` is every item in order (exercise key, dose, days a week, start date, weeks, note,
    override reason); the base they change is `template_key`'s items, else with `from_current`
    the current version's, else nothing. Refused as a whole (`ProgrammeInvalid`, with each
    item's reasons) when any item breaks a rule: nothing is stored.
    """
    by_item: Errors = {}
    with transaction.atomic():
        profile = patient_profile_for_update(patient=patient)
        starts_on, errors = _start_checked(profile, starts_on)
        current = _current_version(patient)
        template, base = _base_drafts(
            template_key=template_key,
            current=current if from_current else None,
            from_nothing_ok=True,
        )
        drafts, item_errors = _builder_drafts(
            base,
            items,
            profile=profile,
            therapist=therapist,
            starts_on=starts_on,
            by_item=by_item,
        )
        errors.update(item_errors)
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
