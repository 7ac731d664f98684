import pytest

from tests.tracker.support import (  # noqa: F401 - fixtures
    api,
    clinic_admin,
    colleague,
    now,
    other_patient,
    patient,
)


@pytest.fixture
def signed_in(client):
    """signed_in(user, language="en") -> the test client signed in as that user."""

    def make(user, language: str = "en"):
        from tracker.models import PatientProfile

        client.force_login(user)
        PatientProfile.objects.filter(user=user).update(language=language)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make
