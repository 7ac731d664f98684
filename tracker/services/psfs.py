"""Writes of the Patient-Specific Functional Scale (CLINICAL.md §3a) and its two-weekly prompt.

The patient names and rates their activities; a therapist on the care team may add or reword
them with the patient. Every write is audited against the patient's record.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reminders.models import Channel, Urgency
from reminders.services.notifications import notification_send_now
from tracker.models import (
    PSFS_MAX_ACTIVITIES,
    PSFS_SCORE_MAX,
    AuditAction,
    PatientProfile,
    PsfsActivity,
    PsfsRating,
    User,
)
from tracker.outcomes import PSFS_RERATE_DAYS
from tracker.patient_calendar import local_today
from tracker.services.audit import audit_record

TEXT_MAX_LENGTH = 200


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": [_("Name the activity.")]})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": [_("At most %(count)s characters.") % {"count": TEXT_MAX_LENGTH}]}
        )
    return text


def _audit(*, by: User, patient: User, action: str, object_id: object) -> None:
    audit_record(actor=by, patient=patient, action=action, object_type="psfs", object_id=object_id)


def psfs_activity_add(*, patient: User, text: str, by: User) -> PsfsActivity:
    """The next free slot of five; a sixth is refused (the slot constraint holds under races)."""
    text = _clean_text(text)
    try:
        with transaction.atomic():
            taken = set(
                PsfsActivity.objects.select_for_update()
                .filter(patient=patient)
                .values_list("slot", flat=True)
            )
            free = [slot for slot in range(1, PSFS_MAX_ACTIVITIES + 1) if slot not in taken]
            if not free:
                raise ValidationError(
                    {
                        "text": [
                            _("Up to %(count)s activities; reword one instead.")
                            % {"count": PSFS_MAX_ACTIVITIES}
                        ]
                    }
                )
            activity = PsfsActivity.objects.create(
                patient=patient, slot=free[0], text=text, created_by=by
            )
            _audit(by=by, patient=patient, action=AuditAction.CREATE, object_id=activity.public_id)
    except IntegrityError:
        # Two adds raced for one slot: the loser's is refused like a sixth.
        raise ValidationError({"text": [_("Try again: the list changed meanwhile.")]}) from None
    return activity


@transaction.atomic
def psfs_activity_update(*, activity: PsfsActivity, text: str, by: User) -> PsfsActivity:
    activity.text = _clean_text(text)
    activity.save(update_fields=["text", "updated_at"])
    _audit(by=by, patient=activity.patient, action=AuditAction.UPDATE, object_id=activity.public_id)
    return activity


@transaction.atomic
def psfs_rate(
    *, patient: User, scores: dict[PsfsActivity, int], on: date | None = None, by: User
) -> list[PsfsRating]:
    """Ratings of the patient's activities for one date (default: the patient's today, never
    after it); rating a date again replaces it."""
    today = local_today(patient.patient_profile)
    on = on or today
    errors = {}
    if on > today:
        errors["rated_on"] = [_("Not in the future.")]
    for activity, score in scores.items():
        if activity.patient_id != patient.pk:
            errors[str(activity.public_id)] = [_("Not one of this patient's activities.")]
        elif not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
            errors[str(activity.public_id)] = [
                _("A whole number from 0 to %(max)s.") % {"max": PSFS_SCORE_MAX}
            ]
    if not scores:
        errors["scores"] = [_("Rate at least one activity.")]
    if errors:
        raise ValidationError(errors)
    ratings = []
    for activity, score in scores.items():
        rating, _created = PsfsRating.objects.update_or_create(
            activity=activity, rated_on=on, defaults={"score": score, "created_by": by}
        )
        ratings.append(rating)
    _audit(by=by, patient=patient, action=AuditAction.CREATE, object_id=on.isoformat())
    return ratings


def psfs_prompts_send(*, now: datetime | None = None) -> int:
    """The two-weekly re-rating prompt (CLINICAL.md §3a) through the reminders' notification:
    one per patient and due date (its key), so a sweep run twice prompts once. Due: activities
    named and never rated, or last rated 14 days ago or more, in the patient's time zone."""
    from django.conf import settings

    now = now or timezone.now()
    sent = 0
    last_by_patient = dict(
        PsfsActivity.objects.values("patient_id")
        .annotate(last=Max("ratings__rated_on"))
        .values_list("patient_id", "last")
    )
    profiles = PatientProfile.objects.filter(
        user_id__in=list(last_by_patient), user__is_active=True
    ).select_related("user")
    for profile in profiles:
        last = last_by_patient[profile.user_id]
        today = local_today(profile, now)
        due_on = last + timedelta(days=PSFS_RERATE_DAYS) if last else None
        if due_on is not None and due_on > today:
            continue
        with translation.override(profile.language):
            title = _("Time to re-rate your activities")
            body = _(
                "Two weeks have passed: rate again how well you can do the activities you named "
                "(0 = unable, 10 = as before the problem)."
            )
        key = f"psfs:{profile.user.public_id}:{(due_on or 'first').__str__()}"
        notification_send_now(
            user=profile.user,
            key=key,
            title=title,
            body=body,
            url=f"{settings.SITE_URL.rstrip('/')}/app/psfs/",
            urgency=Urgency.NORMAL,
            channels=(Channel.PUSH,),
        )
        sent += 1
    return sent
