import pytest

from tests.tracker.support import (  # noqa: F401 - fixtures
    api,
    clinic_admin,
    colleague,
    now,
    other_clinic_admin,
    other_patient,
    patient,
)
from tracker.services.invitations import patient_invite


@pytest.fixture
def invite(therapist, django_capture_on_commit_callbacks):
    """invite(**profile) -> (profile, issued): a new patient of `therapist`, e-mail sent."""

    def make(**fields):
        values = {"display_name": "Wang Fang", "email": "fang@example.org", "language": "en"}
        values.update(fields)
        with django_capture_on_commit_callbacks(execute=True):
            return patient_invite(therapist=therapist, **values)

    return make
