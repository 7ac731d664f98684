"""What the patient pages' reads share: who the patient is, their today, the measures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tracker.models import (
    CheckIn,
    PatientProfile,
    SessionLog,
    User,
)

PROGRESS_RANGES = (30, 90)
INBOX_SHOWN = 20
MEASURES = (
    ("leg_pain", _("Leg pain")),
    ("back_pain", _("Back pain")),
    ("numbness", _("Numbness")),
)
# The pictogram (a <symbol> of tracker/static/tracker/app/pictograms.svg) for each exercise;


def patient_profile_for(*, user: User) -> PatientProfile | None:
    """The profile behind the patient pages: only an active patient with a patient record."""
    if not (user.is_authenticated and user.is_active and user.is_patient):
        return None
    profile = PatientProfile.objects.filter(user=user).select_related("clinic").first()
    if profile is not None:
        # The request's own user object, both ways: `profile.user` (the selectors) and
        # `user.patient_profile` (the layout's "Signed in as") read no row again.
        profile.user = user
    return profile


def patient_is_new(*, patient: User) -> bool:
    """Nothing logged yet: signing in shows the first-run screen (reminders, notifications)."""
    return not (
        CheckIn.objects.filter(patient=patient).exists()
        or SessionLog.objects.filter(patient=patient).exists()
    )


# --- today ---------------------------------------------------------------------------------------
