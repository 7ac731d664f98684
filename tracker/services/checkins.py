"""Daily check-ins (CLINICAL.md §3): one per patient and local date; a resubmission updates it."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from reminders.services.schedules import checkin_recorded
from tracker.flag_texts import emergency_advice
from tracker.models import (
    NUMBNESS_AREAS,
    AuditAction,
    CheckIn,
    CheckInRevision,
    Flag,
    PatientProfile,
    User,
)
from tracker.patient_calendar import MAX_BACKDATE_DAYS, local_today
from tracker.services.audit import audit_record
from tracker.services.flag_notifications import flags_digest_add, flags_notify_urgent
from tracker.services.flags import flags_evaluate_for_checkin
from tracker.services.raw_rows import (
    converted_rows,
    fetched,
    instances,
    model_field,
    select_list,
)
from tracker.services.side_work import side_work_enqueue

DEFAULT_ANSWERS = {
    "numbness_areas": [],
    "can_walk_on_heels": True,
    "can_walk_on_toes": True,
    "bowel_bladder_change": False,
    "saddle_numbness": False,
    "night_pain": False,
    "calf_cramps": False,
    "stopped_walking": False,
    "walking_minutes": None,
    "note": "",
}


NO_PROFILE = gettext_lazy("This account has no patient record.")


# Every profile field, in the model's order (instances() builds the profile from them).
_PROFILE_FIELDS = [field.name for field in PatientProfile._meta.concrete_fields]
# Written out: the ORM's select_for_update() cost ~1 ms of CPU to compile, raw() ~0.5 ms to
# map the columns (issue 16).
_PROFILE_LOCK_SQL = (
    f"SELECT {select_list(PatientProfile, 'p', _PROFILE_FIELDS)} "  # noqa: S608
    f"FROM {PatientProfile._meta.db_table} p WHERE p.user_id = %s"
)


def _profile_locked(patient: User) -> PatientProfile | None:
    """Lock the patient's profile row: a patient's writes run one at a time, so two
    submissions for one date cannot both insert (the unique constraint stays a backstop)."""
    sql = _PROFILE_LOCK_SQL + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    found = fetched(PatientProfile, _PROFILE_FIELDS, sql, [patient.pk])
    return found[0] if found else None


def patient_profile_for_update(*, patient: User) -> PatientProfile:
    profile = _profile_locked(patient)
    if profile is None:
        raise ValidationError(NO_PROFILE)
    return profile


def checkin_date_errors(*, on: date, today: date) -> list[str]:
    if on > today:
        return [gettext("The date is in the future (in your time zone).")]
    if on < today - timedelta(days=MAX_BACKDATE_DAYS):
        return [
            gettext("Check-ins can be entered up to %(days)s days back.")
            % {"days": MAX_BACKDATE_DAYS}
        ]
    return []


def _answer_errors(answers: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field in CheckIn.SCORE_FIELDS:
        value = answers.get(field)
        if type(value) is not int or not 0 <= value <= 10:
            errors[field] = [gettext("A whole number from 0 to 10.")]
    unknown = sorted(set(answers["numbness_areas"]) - set(NUMBNESS_AREAS))
    if unknown:
        errors["numbness_areas"] = [
            gettext("Unknown area(s): %(areas)s.") % {"areas": ", ".join(unknown)}
        ]
    minutes = answers["walking_minutes"]
    if minutes is not None and (type(minutes) is not int or minutes < 0):
        errors["walking_minutes"] = [gettext("A whole number of minutes, 0 or more, or empty.")]
    return errors


@dataclass
class CheckInOutcome:
    checkin: CheckIn
    created: bool
    flags: list[Flag]  # flags this check-in opened or added evidence to, most severe first
    is_urgent: bool  # an urgent flag is among them: tell the patient to seek care now
    emergency_advice: str | None  # in the patient's language, when is_urgent
    language: str  # the patient's


def checkin_submit(*, patient: User, on: date, answers: dict[str, Any]) -> CheckInOutcome:
    """Store a check-in and, in the same transaction, run the worsening rules on it and alert
    the care team to a new urgent flag; once it has committed, let reminders know today's
    check-in is in and put new evidence in the care team's digest (checkin_side_work)."""
    # savepoint=False, like _checkin_store: refusals are raised after the block, so a refused
    # check-in never breaks the caller's transaction.
    with transaction.atomic(savepoint=False):
        checkin, created, profile, errors = _checkin_store(patient=patient, on=on, answers=answers)
        if not errors and profile is not None:
            changes = flags_evaluate_for_checkin(patient=patient, profile=profile, on=on)
            flags_notify_urgent(patient=patient, profile=profile, changes=changes)
            today = on == local_today(profile)
            _side_work_schedule(
                patient=patient,
                today=on if today else None,
                flag_ids=[flag.pk for flag in changes.touched if not flag.is_urgent],
            )
    if errors:
        raise ValidationError(errors)
    assert checkin is not None and profile is not None  # stored: no errors
    is_urgent = any(flag.is_urgent for flag in changes.touched)
    return CheckInOutcome(
        checkin=checkin,
        created=created,
        flags=changes.touched,
        is_urgent=is_urgent,
        emergency_advice=emergency_advice(language=profile.language) if is_urgent else None,
        language=profile.language,
    )


def checkin_side_work(*, patient: User, today: date | None, flag_ids: list[int]) -> None:
    """What a check-in changes beyond the patient's record, none of which the patient waits
    for: today's check-in reminder is skipped (`today`, when the check-in was for the patient's
    today) and the flags it gave new evidence wait in the care team's digest."""
    if today is not None:
        checkin_recorded(user=patient, on=today)
    if flag_ids:
        flags_digest_add(patient=patient, flag_ids=flag_ids)


def _side_work_schedule(*, patient: User, today: date | None, flag_ids: list[int]) -> None:
    """checkin_side_work in a task enqueued once the check-in has committed (side_work.py)."""
    if today is None and not flag_ids:
        return
    from tracker.tasks import checkin_side_work_task

    on = today.isoformat() if today is not None else None
    side_work_enqueue(
        checkin_side_work_task,
        patient.pk,
        on,
        flag_ids,
        inline=lambda: checkin_side_work(patient=patient, today=today, flag_ids=flag_ids),
    )


def _checkin_store(
    *, patient: User, on: date, answers: dict[str, Any]
) -> tuple[CheckIn | None, bool, PatientProfile | None, dict[str, list[str]]]:
    """Validate and store; refusals come back as errors (nothing stored) for the caller to
    raise once its transaction block is closed."""
    answers = {**DEFAULT_ANSWERS, **answers}
    unknown = set(answers) - set(CheckIn.ANSWER_FIELDS)
    if unknown:
        raise TypeError(f"unknown check-in fields: {sorted(unknown)}")
    errors = _answer_errors(answers)
    # Canonical order, no duplicates: revisions and exports compare equal when answers do.
    answers["numbness_areas"] = [a for a in NUMBNESS_AREAS if a in set(answers["numbness_areas"])]
    checkin, created = None, False
    # savepoint=False: one transaction with the caller's (the idempotent POST wraps it) and no
    # SAVEPOINT round trips on the hot path. Nothing may raise inside it (that would break the
    # caller's transaction), so refusals are raised after the block.
    with transaction.atomic(savepoint=False):
        profile, checkin = _profile_and_checkin_locked(patient=patient, on=on)
        if profile is None:
            errors["patient"] = [str(NO_PROFILE)]
        else:
            today = local_today(profile)
            date_errors = checkin_date_errors(on=on, today=today)
            if date_errors:
                errors["date"] = date_errors
        if not errors and profile is not None:
            checkin, created = _store(patient=patient, on=on, answers=answers, existing=checkin)
            audit_record(
                actor=patient,
                patient=patient,
                action=AuditAction.CREATE if created else AuditAction.UPDATE,
                object_type="checkin",
                object_id=checkin.public_id,
                clinic_id=profile.clinic_id,
            )
    return checkin, created, profile, errors


# The lock of the profile row with that date's check-in beside it, as one statement written out:
# the ORM's version (a FilteredRelation and 17 annotations) took ~4 ms of CPU to compile (issue
# 16). Only table and column names are interpolated; the values go as parameters. FOR UPDATE is
# added where the database has it (PostgreSQL; SQLite's writes are serial anyway).
_STORED = ("id", "public_id", *CheckIn.ANSWER_FIELDS, "created_at", "updated_at")
_CHECKIN_COLUMNS = ", ".join(f'c."{model_field(CheckIn, name).column}"' for name in _STORED)
_LOCK_SQL = f"""
SELECT {select_list(PatientProfile, "p", _PROFILE_FIELDS)}, {_CHECKIN_COLUMNS}
FROM {PatientProfile._meta.db_table} p
LEFT JOIN {CheckIn._meta.db_table} c ON c.patient_id = p.user_id AND c.date = %s
WHERE p.user_id = %s
"""  # noqa: S608


def _profile_and_checkin_locked(
    *, patient: User, on: date
) -> tuple[PatientProfile | None, CheckIn | None]:
    """Lock the patient's profile row and read that date's check-in, if any, in one statement.

    The lock makes a patient's submissions run one at a time, so two for the same date cannot
    both find nothing and insert. The check-in is read through a LEFT JOIN evaluated on the
    statement's snapshot: a submission that had to wait for the lock still sees "no check-in"
    even though the one it waited for has just committed one (PostgreSQL re-checks only the
    locked row after the wait). So the insert that follows "none" gives way on a conflict
    (_checkin_insert), and the check-in found then is updated instead (issue 15: concurrent
    same-date POSTs answered 500).
    """
    sql = _LOCK_SQL + (" FOR UPDATE OF p" if connection.features.has_select_for_update_of else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [on, patient.pk])
        row = cursor.fetchone()
    if row is None:
        return None, None
    split = len(_PROFILE_FIELDS)
    profile = instances(PatientProfile, _PROFILE_FIELDS, [row[:split]])[0]
    stored = row[split:]
    if stored[0] is None:
        return profile, None
    values = dict(zip(_STORED, converted_rows(CheckIn, _STORED, [stored])[0], strict=True))
    checkin = CheckIn(patient=patient, date=on, **values)
    checkin._state.adding = False
    checkin._state.db = connection.alias
    return profile, checkin


# INSERT … ON CONFLICT DO NOTHING, which the ORM cannot combine with returning the new id.
_INSERTED = ("public_id", "patient", "date", *CheckIn.ANSWER_FIELDS, "created_at", "updated_at")
_INSERT_COLUMNS = ", ".join(f'"{model_field(CheckIn, name).column}"' for name in _INSERTED)
_INSERT_VALUES = ", ".join(["%s"] * len(_INSERTED))
# Table and column names only are interpolated; the values go as parameters.
_INSERT_SQL = f"""
INSERT INTO {CheckIn._meta.db_table} ({_INSERT_COLUMNS}) VALUES ({_INSERT_VALUES})
ON CONFLICT ("patient_id", "date") DO NOTHING RETURNING id
"""  # noqa: S608


def _checkin_insert(*, patient: User, on: date, answers: dict[str, Any]) -> CheckIn | None:
    """A new check-in, or None when one for that date committed while this one waited for the
    lock (see _profile_and_checkin_locked)."""
    now = timezone.now()
    checkin = CheckIn(patient=patient, date=on, created_at=now, updated_at=now, **answers)
    columns = [model_field(CheckIn, name) for name in _INSERTED]
    params = [
        column.get_db_prep_save(getattr(checkin, column.attname), connection) for column in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_SQL, params)
        inserted = cursor.fetchone()
    if inserted is None:
        return None
    checkin.pk = inserted[0]
    checkin._state.adding = False
    checkin._state.db = connection.alias
    return checkin


def _store(
    *, patient: User, on: date, answers: dict[str, Any], existing: CheckIn | None
) -> tuple[CheckIn, bool]:
    if existing is None:
        created = _checkin_insert(patient=patient, on=on, answers=answers)
        if created is not None:
            return created, True
        # A check-in for that date committed while this one waited for the lock: update it.
        existing = CheckIn.objects.get(patient=patient, date=on)
    if existing.answers() != answers:
        CheckInRevision.objects.create(
            checkin=existing, answers=existing.answers(), submitted_at=existing.updated_at
        )
        for field, value in answers.items():
            setattr(existing, field, value)
        existing.save(update_fields=[*answers, "updated_at"])
    return existing, False
