from datetime import date

import pytest
from django.utils import translation

from tests.tracker.support import (  # noqa: F401 - fixtures
    clinic_admin,
    colleague,
    enroll,
    now,
    other_patient,
)


@pytest.fixture
def patient(patient, therapist):
    """A patient in the recovery phase with lumbar instability: the superman of the disc
    recovery template meets its caution (CLINICAL.md §2)."""
    return enroll(
        patient,
        therapist,
        display_name="Pat",
        language="en",
        conditions=["lumbar_instability"],
        episode_started_on=date(2026, 1, 5),
    )


@pytest.fixture(autouse=True)
def _english():
    # The service's messages are read in English here; the pages' tests choose their language.
    with translation.override("en"):
        yield


@pytest.fixture
def staff_client(client):
    def make(user, language: str = "en"):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make


def url(patient, page: str = "") -> str:
    return f"/therapist/patients/{patient.public_id}/programme/{page}"
