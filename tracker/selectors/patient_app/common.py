"""What the patient pages' reads share: who the patient is, their today, the measures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tracker.models import (
    CheckIn,
    Clinic,
    PatientProfile,
    SessionLog,
    User,
)
from tracker.selectors.patient_app.rows import Columns, fetch, quoted

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
    # Every patient page (PatientLanguageMiddleware) reads this: hand-written, since the ORM's
    # select_related took about 1 ms of CPU to build what runs in 0.15 ms. The profile and its
    # clinic (LEFT JOIN: a patient may have none) by the primary key, one row at most.
    rows = fetch(_PROFILE_SQL, [user.pk])
    if not rows:
        return None
    profile = _PROFILE.instance(rows[0][: len(_PROFILE)])
    clinic_row = rows[0][len(_PROFILE) :]
    profile.clinic = _CLINIC.instance(clinic_row) if profile.clinic_id is not None else None
    # The request's own user object, both ways: `profile.user` (the selectors) and
    # `user.patient_profile` (the layout's "Signed in as") read no row again.
    profile.user = user
    return profile


_PROFILE = Columns(PatientProfile, "p")
_CLINIC = Columns(Clinic, "c")
_PROFILE_SQL = (
    f"SELECT {_PROFILE.sql}, {_CLINIC.sql} FROM {quoted(PatientProfile._meta.db_table)} p"  # noqa: S608 - names from the models; values as parameters
    f" LEFT JOIN {quoted(Clinic._meta.db_table)} c ON c.id = p.clinic_id WHERE p.user_id = %s"
)


def patient_is_new(*, patient: User) -> bool:
    """Nothing logged yet: signing in shows the first-run screen (reminders, notifications)."""
    return not (
        CheckIn.objects.filter(patient=patient).exists()
        or SessionLog.objects.filter(patient=patient).exists()
    )


# --- today ---------------------------------------------------------------------------------------
