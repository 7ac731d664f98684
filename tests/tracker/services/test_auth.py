import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tracker.services.auth import LoginThrottled, auth_token_obtain


def _request(address="10.0.0.1"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_a_token_is_issued_for_the_right_password_and_is_stable(patient):
    first = auth_token_obtain(request=_request(), username="pat", password="Correct-horse-42")
    again = auth_token_obtain(request=_request(), username="pat", password="Correct-horse-42")

    assert first.key == again.key


def test_five_failures_lock_the_username_even_for_the_right_password(patient, settings):
    for _ in range(5):
        with pytest.raises(ValidationError):
            auth_token_obtain(request=_request(), username="pat", password="guess")

    with pytest.raises(LoginThrottled):
        auth_token_obtain(request=_request("10.9.9.9"), username="PAT", password="Correct-horse-42")


def test_one_address_guessing_many_usernames_is_locked_out(patient):
    for n in range(20):
        with pytest.raises(ValidationError):
            auth_token_obtain(request=_request(), username=f"user{n}", password="guess")

    with pytest.raises(LoginThrottled):
        auth_token_obtain(request=_request(), username="pat", password="Correct-horse-42")
    # Another address is not affected.
    auth_token_obtain(request=_request("10.0.0.2"), username="pat", password="Correct-horse-42")


def test_the_lockout_ends_one_full_window_later(patient, time_machine):
    time_machine.move_to("2026-03-10 04:00:00+00:00", tick=False)
    for _ in range(5):
        with pytest.raises(ValidationError):
            auth_token_obtain(request=_request(), username="pat", password="guess")

    time_machine.move_to("2026-03-10 04:16:00+00:00", tick=False)
    with pytest.raises(LoginThrottled):  # still locked: the failures were this quarter-hour
        auth_token_obtain(request=_request(), username="pat", password="Correct-horse-42")

    time_machine.move_to("2026-03-10 04:31:00+00:00", tick=False)
    assert auth_token_obtain(request=_request(), username="pat", password="Correct-horse-42")
