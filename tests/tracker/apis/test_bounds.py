"""Dates at the ends of the calendar: bounded, a 400 that names the field, never a 500
(issue 15). `now` is 2026-03-10 in Shanghai."""

import pytest

from tests.factories import CheckInFactory
from tracker.models import ProgrammeAssignment


def _patient_url(patient, tail=""):
    return f"/api/v1/patients/{patient.public_id}/{tail}"


@pytest.mark.parametrize("born", ["0001-01-01", "1899-12-31", "2026-03-11", "9999-12-31"])
def test_a_date_of_birth_outside_1900_to_today_is_refused(api, patient, therapist, now, born):
    response = api(therapist).patch(_patient_url(patient), {"date_of_birth": born}, format="json")

    assert response.status_code == 400
    assert "date_of_birth" in response.json()
    patient.patient_profile.refresh_from_db()
    assert patient.patient_profile.date_of_birth is None


@pytest.mark.parametrize("born", ["1900-01-01", "2026-03-10"])
def test_a_date_of_birth_at_the_ends_of_the_range_is_kept(api, patient, therapist, now, born):
    response = api(therapist).patch(_patient_url(patient), {"date_of_birth": born}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["date_of_birth"] == born


@pytest.mark.parametrize("field", ["postpartum_on", "episode_started_on"])
def test_other_profile_dates_are_bounded_too(api, patient, therapist, now, field):
    response = api(therapist).patch(_patient_url(patient), {field: "0001-01-01"}, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_new_patient_born_in_year_1_is_refused(api, therapist, now):
    response = api(therapist).post(
        "/api/v1/patients/",
        {
            "username": "ancient",
            "password": "Long-Enough-2026",
            "display_name": "Ancient",
            "date_of_birth": "0001-01-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "date_of_birth" in response.json()


@pytest.mark.parametrize("starts_on", ["9999-12-31", "2027-03-11", "0001-01-01", "2025-12-09"])
def test_a_programme_starting_far_from_today_is_refused(api, patient, therapist, now, starts_on):
    response = api(therapist).post(
        _patient_url(patient, "assignments/"),
        {"template": "circulation", "starts_on": starts_on},
        format="json",
    )

    assert response.status_code == 400
    assert "starts_on" in response.json()
    assert not ProgrammeAssignment.objects.exists()


@pytest.mark.parametrize("starts_on", ["2027-03-10", "2025-12-10"])
def test_a_programme_may_start_up_to_a_year_ahead_or_90_days_back(
    api, patient, therapist, now, starts_on
):
    response = api(therapist).post(
        _patient_url(patient, "assignments/"),
        {"template": "circulation", "starts_on": starts_on},
        format="json",
    )

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "performed_at",
    ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59Z"],
)
def test_a_session_at_the_end_of_time_is_refused(api, patient, now, performed_at):
    response = api(patient).post(
        "/api/v1/sessions/",
        {"exercise": "plank", "minutes": 1, "performed_at": performed_at},
        format="json",
    )

    assert response.status_code == 400
    assert "performed_at" in response.json()


@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31"])
def test_a_checkin_at_the_ends_of_the_calendar_is_refused(api, patient, now, on):
    response = api(patient).post(
        "/api/v1/checkins/",
        {"date": on, "back_pain": 1, "leg_pain": 1, "numbness": 1},
        format="json",
    )

    assert response.status_code == 400
    assert "date" in response.json()


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/checkins/", {"date_from": "0001-01-01", "date_to": "9999-12-31"}),
        ("/api/v1/sessions/", {"date_from": "0001-01-01", "date_to": "9999-12-31"}),
        ("/api/v1/audit-events/", {"since": "9999-12-31T23:59:59-14:00"}),
        ("/api/v1/audit-events/", {"since": "0001-01-01T00:00:00+14:00"}),
    ],
)
def test_filters_at_the_ends_of_the_calendar_answer_without_a_500(
    api, patient, clinic_admin, now, path, query
):
    CheckInFactory(patient=patient, date="2026-03-09")
    user = clinic_admin if "audit" in path else patient

    response = api(user).get(path, query)

    assert response.status_code in (200, 400), response.content[:200]
