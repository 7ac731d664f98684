"""Shared set-up for the patient-tracking tests (imported by the conftests next to them).

The standing fixtures keep their meaning: `patient` is a patient under `therapist`'s care in
`therapist`'s clinic; `other_therapist` is the outsider (another clinic, no shared patients).
"""

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    CareTeamMemberFactory,
    ClinicAdminFactory,
    PatientProfileFactory,
    TherapistFactory,
    UserFactory,
)

NOW = "2026-03-10 04:00:00+00:00"  # 12:00 in Shanghai
TODAY = "2026-03-10"


def enroll(patient, therapist, **profile):
    PatientProfileFactory(user=patient, clinic=therapist.clinic, **profile)
    CareTeamMemberFactory(patient=patient, therapist=therapist)
    patient.refresh_from_db()
    return patient


@pytest.fixture
def patient(patient, therapist):
    return enroll(patient, therapist, display_name="Pat")


@pytest.fixture
def other_patient(other_therapist):
    return enroll(UserFactory(username="other_pat"), other_therapist, display_name="Other")


@pytest.fixture
def colleague(therapist):
    """A therapist of the same clinic who is not (yet) on the patient's care team."""
    return TherapistFactory(username="colleague", clinic=therapist.clinic)


@pytest.fixture
def clinic_admin(therapist):
    return ClinicAdminFactory(username="admin", clinic=therapist.clinic)


@pytest.fixture
def other_clinic_admin(other_therapist):
    return ClinicAdminFactory(username="other_admin", clinic=other_therapist.clinic)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def api():
    """api(user) -> an APIClient signed in as that user (None: anonymous)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
