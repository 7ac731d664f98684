"""Therapists and clinic admins use shared clinic computers: their sessions end when the browser
closes and after an idle limit. Patients (their own phones) keep the normal session."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from tests.factories import PASSWORD, ClinicAdminFactory

SIGNED_IN_AT = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)


def _sign_in(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response.cookies[settings.SESSION_COOKIE_NAME]


@pytest.fixture
def at(time_machine):
    def move(minutes: float = 0) -> None:
        time_machine.move_to(SIGNED_IN_AT + timedelta(minutes=minutes), tick=False)

    move()
    return move


@pytest.mark.parametrize("who", ["therapist", "clinic_admin"])
def test_a_staff_session_cookie_ends_with_the_browser(client, therapist, at, who):
    username = "ther" if who == "therapist" else ClinicAdminFactory(username="boss").username

    cookie = _sign_in(client, username)

    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()


def test_a_therapist_idle_past_the_limit_is_signed_out(client, therapist, at):
    _sign_in(client, "ther")
    at(29)
    assert client.get("/therapist/").status_code == 200  # in use: the clock restarts
    at(29 + 29)
    assert client.get("/therapist/").status_code == 200

    at(29 + 29 + 31)
    response = client.get("/therapist/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/therapist/")
    assert "_auth_user_id" not in client.session


def test_the_idle_limit_is_a_setting(client, therapist, at, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    _sign_in(client, "ther")

    at(6)

    assert client.get("/therapist/").status_code == 302


def test_an_idle_therapist_is_signed_out_of_the_api_too(client, therapist, at):
    _sign_in(client, "ther")
    at(31)

    assert client.get("/api/v1/patients/").status_code in (401, 403)


def test_a_patient_keeps_the_normal_session(client, patient, at):
    cookie = _sign_in(client, "pat")

    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    at(6 * 60)
    assert client.get("/app/progress/").status_code == 200
