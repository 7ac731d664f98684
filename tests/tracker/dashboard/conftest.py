import pytest

from tests.factories import ClinicFactory, UserFactory
from tests.tracker.support import (  # noqa: F401 - fixtures
    clinic_admin,
    enroll,
    now,
    other_clinic_admin,
    other_patient,
    patient,
)


@pytest.fixture
def make_patient(therapist):
    """make_patient("Name", therapist=..., clinic=...) -> an enrolled patient."""

    def make(name: str, *, under=None, clinic=None, **profile):
        under = under or therapist
        user = UserFactory(username=name.lower().replace(" ", "_"))
        enroll(user, under, display_name=name, **profile)
        if clinic is not None:
            user.patient_profile.clinic = clinic
            user.patient_profile.save(update_fields=["clinic"])
        return user

    return make


@pytest.fixture
def second_clinic():
    return ClinicFactory(name="Riverside")


@pytest.fixture
def staff_client(client):
    """staff_client(user, language="en") -> the test client signed in as that user."""

    def make(user, language: str = "en"):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make
