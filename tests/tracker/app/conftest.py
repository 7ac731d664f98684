import pytest

from tests.factories import ClinicAdminFactory, UserFactory
from tests.tracker.support import now, other_patient, patient  # noqa: F401 - fixtures
from tracker.models import PatientProfile
from tracker.services.assignments import assignment_change


@pytest.fixture
def programme(patient, therapist, now):  # noqa: F811 - the fixtures imported above
    """The disc-recovery programme (five items, every day), started today."""
    return assignment_change(patient=patient, therapist=therapist, template_key="disc_recovery")


@pytest.fixture
def app_client(client):
    """app_client(user, language="en") -> the test client, signed in as that user (None: not).

    A patient reads the app in their profile's language (issue 9), so a patient's profile is set
    to `language`; the browser asks for the same."""

    def make(user=None, language: str = "en"):
        if user is not None:
            client.force_login(user)
            PatientProfile.objects.filter(user=user).update(language=language)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make


@pytest.fixture
def unenrolled_patient(db):
    """A patient account with no patient record (not taken on by a clinic yet)."""
    return UserFactory(username="unenrolled")


@pytest.fixture
def clinic_admin(therapist):
    return ClinicAdminFactory(username="admin", clinic=therapist.clinic)
