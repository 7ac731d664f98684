import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from knox.models import AuthToken

from tracker.services.auth import LoginThrottled, auth_token_obtain, client_address


def _request(address="10.0.0.1", **meta):
    return RequestFactory().post("/", REMOTE_ADDR=address, **meta)


def test_each_sign_in_gets_its_own_token_and_only_its_hash_is_kept(patient):
    first, first_key = auth_token_obtain(
        request=_request(), username="pat", password="Correct-horse-42"
    )
    again, again_key = auth_token_obtain(
        request=_request(), username="pat", password="Correct-horse-42"
    )

    assert first_key != again_key
    stored = set(AuthToken.objects.filter(user=patient).values_list("digest", flat=True))
    assert stored == {first.digest, again.digest}
    assert not stored & {first_key, again_key}


def test_five_failures_lock_the_username_from_that_address_in_any_spelling(patient):
    for _ in range(4):
        with pytest.raises(ValidationError):
            auth_token_obtain(request=_request(), username="pat", password="guess")
    with pytest.raises(LoginThrottled):
        auth_token_obtain(request=_request(), username="Pat ", password="guess")

    with pytest.raises(LoginThrottled):
        auth_token_obtain(request=_request(), username="PAT", password="Correct-horse-42")
    # From another address the patient is not locked out.
    assert auth_token_obtain(
        request=_request("10.9.9.9"), username="pat", password="Correct-horse-42"
    )


def test_a_success_clears_the_failures_before_it(patient):
    for _ in range(4):
        with pytest.raises(ValidationError):
            auth_token_obtain(request=_request(), username="pat", password="guess")
    auth_token_obtain(request=_request(), username="pat", password="Correct-horse-42")

    for _ in range(4):  # four more are again just wrong passwords
        with pytest.raises(ValidationError):
            auth_token_obtain(request=_request(), username="pat", password="guess")


def test_the_client_address_is_the_connection_unless_it_is_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    spoofed = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}

    assert client_address(_request("203.0.113.9", **spoofed)) == "203.0.113.9"
    assert client_address(_request("10.0.0.5", **spoofed)) == "198.51.100.7"
    # The client may prepend anything; the proxy appends the address it saw, and only that counts.
    chain = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7, 10.0.0.9"}
    assert client_address(_request("10.0.0.5", **chain)) == "198.51.100.7"
    assert client_address(_request("10.0.0.5", HTTP_X_FORWARDED_FOR="nonsense")) == "10.0.0.5"
    assert client_address(_request("10.0.0.5")) == "10.0.0.5"


def test_without_trusted_proxies_forwarded_headers_are_ignored(settings):
    settings.TRUSTED_PROXIES = []

    assert client_address(_request("127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")) == (
        "127.0.0.1"
    )
