"""Exercise sessions a patient logs."""

from datetime import datetime, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from exercises.models import Exercise
from reminders.services import activity_recorded
from tracker.models import AssignmentItem, AuditAction, Difficulty, SessionLog, User
from tracker.patient_calendar import MAX_BACKDATE_DAYS, local_today
from tracker.services.audit import audit_record
from tracker.services.checkins import patient_profile_for_update
from tracker.services.side_work import side_work_enqueue

# Phones' clocks drift; a session "a minute from now" is a clock, not a lie.
CLOCK_SKEW = timedelta(minutes=5)
# A second "Done" on the same item this soon is more likely a double tap than a second session:
# the app asks before logging it again.
REPEAT_WINDOW = timedelta(seconds=60)


def session_log_create(
    *,
    patient: User,
    item_id: UUID | None = None,
    exercise_key: str | None = None,
    performed_at: datetime | None = None,
    sets: int | None = None,
    reps: int | None = None,
    minutes: int | None = None,
    pain_during: int | None = None,
    difficulty: str = "",
    note: str = "",
) -> SessionLog:
    errors: dict[str, list[str]] = {}
    item = exercise = None
    if (item_id is None) == (exercise_key is None):
        errors["item"] = [gettext("Give either a programme item or an exercise (one of them).")]
    elif item_id is not None:
        # Any version of the patient's own programme: an offline log may predate a change.
        item = (
            AssignmentItem.objects.filter(public_id=item_id, assignment__patient=patient)
            .select_related("exercise")
            .first()
        )
        if item is None:
            errors["item"] = [gettext("No such programme item.")]
    else:
        exercise = Exercise.objects.filter(key=exercise_key).first()
        if exercise is None:
            errors["exercise"] = [gettext("No such exercise.")]
    now = timezone.now()
    performed_at = performed_at or now
    if performed_at > now + CLOCK_SKEW:
        errors["performed_at"] = [gettext("This time is in the future.")]
    elif performed_at < now - timedelta(days=MAX_BACKDATE_DAYS):
        errors["performed_at"] = [
            gettext("Sessions can be entered up to %(days)s days back.")
            % {"days": MAX_BACKDATE_DAYS}
        ]
    for field, value in (("sets", sets), ("reps", reps), ("minutes", minutes)):
        if value is not None and value < 0:
            errors[field] = [gettext("Must be 0 or more.")]
    if pain_during is not None and not 0 <= pain_during <= 10:
        errors["pain_during"] = [gettext("A whole number from 0 to 10.")]
    if difficulty not in ("", *Difficulty.values):
        errors["difficulty"] = [
            gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(Difficulty.values)}
        ]
    if errors:
        raise ValidationError(errors)
    chosen = item.exercise if item is not None else exercise
    assert chosen is not None  # an item or an exercise, else an error above
    # savepoint=False: one transaction with the idempotent POST's, no SAVEPOINT round trips;
    # nothing below raises a refusal (they were all raised above).
    with transaction.atomic(savepoint=False):
        profile = patient_profile_for_update(patient=patient)
        session = SessionLog.objects.create(
            patient=patient,
            item=item,
            exercise=chosen,
            performed_at=performed_at,
            performed_on=local_today(profile, performed_at),
            sets=sets,
            reps=reps,
            minutes=minutes,
            pain_during=pain_during,
            difficulty=difficulty,
            note=note,
        )
        audit_record(
            actor=patient,
            patient=patient,
            action=AuditAction.CREATE,
            object_type="session",
            object_id=session.public_id,
            clinic_id=profile.clinic_id,
        )
        # A session is movement: the stand-up timer starts again from it (once committed).
        from tracker.tasks import session_side_work_task

        side_work_enqueue(
            session_side_work_task,
            patient.pk,
            performed_at.isoformat(),
            inline=lambda: session_side_work(patient=patient, performed_at=performed_at),
        )
    return session


def session_side_work(*, patient: User, performed_at: datetime) -> None:
    """What a logged session changes beyond the record: the stand-up timer restarts."""
    activity_recorded(user=patient, at=performed_at)


def session_recent_repeat(
    *, patient: User, item_id: UUID, now: datetime | None = None
) -> SessionLog | None:
    """The patient's session of this programme item done within REPEAT_WINDOW, if any. By when
    it was done, not when it arrived: a batch sent late from the phone's outbox is no repeat."""
    now = now or timezone.now()
    return (
        SessionLog.objects.filter(
            patient=patient,
            item__public_id=item_id,
            performed_at__gte=now - REPEAT_WINDOW,
            performed_at__lte=now + CLOCK_SKEW,
        )
        .select_related("exercise")
        .order_by("-performed_at")
        .first()
    )


def session_log_undo(*, patient: User, session: SessionLog) -> None:
    """The patient takes back a session logged by mistake: only their own, only on the day it
    was done (their time zone). The row goes; the audit trail keeps who removed which session
    and when, so adherence that changes afterwards can be explained."""
    if session.patient_id != patient.pk:
        raise SessionLog.DoesNotExist
    with transaction.atomic():
        profile = patient_profile_for_update(patient=patient)
        today = local_today(profile)
        if session.performed_on != today:
            raise ValidationError({"session": [gettext("Only today's sessions can be undone.")]})
        deleted, _ = SessionLog.objects.filter(pk=session.pk, patient=patient).delete()
        if not deleted:  # undone already (a second tap): nothing more to record
            return
        audit_record(
            actor=patient,
            patient=patient,
            action=AuditAction.DELETE,
            object_type="session",
            object_id=session.public_id,
            clinic_id=profile.clinic_id,
        )
