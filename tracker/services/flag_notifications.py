"""Telling the care team about flags: urgent ones at once, the rest in the daily digest."""

from django.conf import settings

from reminders.models import Urgency
from reminders.services.notifications import digest_item_add, notification_send_now
from tracker.flag_texts import flag_explanation
from tracker.models import CareTeamMember, Flag, PatientProfile, User
from tracker.services.flags import FlagChanges, flag_notification_prefix


def patient_page_url(patient: User) -> str:
    """Absolute: an e-mail or a push opened on another device must still find the page."""
    return f"{settings.SITE_URL}/therapist/patients/{patient.public_id}/"


def _both_languages(flag: Flag) -> str:
    # Therapists have no language of their own on record: they get both.
    evidence = flag.latest_evidence
    return " / ".join(
        flag_explanation(flag.rule, evidence, audience="therapist", language=language)
        for language in ("zh", "en")
    )


def flags_notify_care_team(*, patient: User, profile: PatientProfile, changes: FlagChanges) -> None:
    """Urgent flags reach every therapist of the patient by push, e-mail and inbox at once;
    other new evidence waits for the daily digest. Idempotent per flag (its UUID is the key)."""
    if not changes.touched:
        return
    therapists = [
        member.therapist
        for member in CareTeamMember.objects.filter(patient=patient).select_related("therapist")
    ]
    url = patient_page_url(patient)
    for flag in changes.touched:
        text = _both_languages(flag)
        for therapist in therapists:
            if flag in changes.opened_urgent:
                notification_send_now(
                    user=therapist,
                    key=f"{flag_notification_prefix(flag)}{therapist.public_id}",
                    title=f"紧急 Urgent: {profile.display_name}",
                    body=text,
                    url=url,
                    urgency=Urgency.HIGH,
                    about=patient,  # erasing the patient removes it (reminders_forget_user)
                )
            elif not flag.is_urgent:
                digest_item_add(
                    user=therapist,
                    key=f"{flag_notification_prefix(flag)}{therapist.public_id}",
                    text=f"{profile.display_name}: {text}",
                    url=url,
                    about=patient,
                )
