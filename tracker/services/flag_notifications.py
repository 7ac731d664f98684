"""Telling the care team about flags: urgent ones at once, the rest in the daily digest."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy

from reminders.models import Urgency
from reminders.services.notifications import digest_item_add, notification_send_now
from tracker.flag_texts import flag_explanation
from tracker.models import UNRESOLVED_STATUSES, CareTeamMember, Flag, PatientProfile, User
from tracker.services.flags import FlagChanges, flag_notification_prefix


def patient_page_url(patient: User) -> str:
    """Absolute: an e-mail or a push opened on another device must still find the page."""
    return f"{settings.SITE_URL}/therapist/patients/{patient.public_id}/"


# Therapists have no language of their own on record: an alert says it in both, Chinese first.
BOTH_LANGUAGES = ("zh-hans", "en")
URGENT = pgettext_lazy("urgent flag alert title", "Urgent")


def _both_languages(flag: Flag) -> str:
    evidence = flag.latest_evidence
    return " / ".join(
        flag_explanation(flag.rule, evidence, audience="therapist", language=language)
        for language in BOTH_LANGUAGES
    )


def _urgent_title(name: str) -> str:
    """ "紧急 Urgent: <name>"."""
    words = []
    for language in BOTH_LANGUAGES:
        with translation.override(language):
            words.append(str(URGENT))
    return f"{' '.join(words)}: {name}"


def _therapists(patient: User) -> list[User]:
    return [
        member.therapist
        for member in CareTeamMember.objects.filter(patient=patient).select_related("therapist")
    ]


def flags_notify_urgent(*, patient: User, profile: PatientProfile, changes: FlagChanges) -> None:
    """Urgent flags just opened reach every therapist of the patient by push, e-mail and inbox
    at once, in the check-in's own transaction. Idempotent per flag (its UUID is the key)."""
    if not changes.opened_urgent:
        return
    therapists = _therapists(patient)
    url = patient_page_url(patient)
    for flag in changes.opened_urgent:
        text = _both_languages(flag)
        for therapist in therapists:
            notification_send_now(
                user=therapist,
                key=f"{flag_notification_prefix(flag)}{therapist.public_id}",
                title=_urgent_title(profile.display_name),
                body=text,
                url=url,
                urgency=Urgency.HIGH,
                about=patient,  # erasing the patient removes it (reminders_forget_user)
            )


def flags_digest_add(*, patient: User, flag_ids: list[int]) -> None:
    """New evidence on the patient's flags that are not urgent waits for each therapist's daily
    digest. Run after the check-in has committed (tracker.tasks.checkin_side_work_task): a flag
    withdrawn or resolved in the meantime is left out, as digest_items_discard would have."""
    flags = list(
        Flag.objects.filter(pk__in=flag_ids, patient=patient, status__in=UNRESOLVED_STATUSES)
        .exclude(severity="urgent")
        .order_by("pk")
    )
    if not flags:
        return
    therapists = _therapists(patient)
    name = PatientProfile.objects.values_list("display_name", flat=True).get(user=patient)
    url = patient_page_url(patient)
    for flag in flags:
        text = _both_languages(flag)
        for therapist in therapists:
            digest_item_add(
                user=therapist,
                key=f"{flag_notification_prefix(flag)}{therapist.public_id}",
                text=f"{name}: {text}",
                url=url,
                about=patient,
            )
