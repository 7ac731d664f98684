"""knox's token renewal as tracker.auth_backends does it: every use extends the token, written at
most once a minute and never past its maximum age; on PostgreSQL in the same statement that reads
the token (issue 16), elsewhere in an UPDATE of its own."""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from knox.settings import CONSTANTS

ISSUED = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
IDLE = timedelta(days=7)
ME = "/api/v1/me/"


def _client(api, token):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _token_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if "knox_authtoken" in q["sql"]]


def _get(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ME)
    return response, _token_statements(queries)


def test_a_use_renews_the_token_once_a_minute_at_most(api, patient, time_machine):
    time_machine.move_to(ISSUED, tick=False)
    instance, token = AuthToken.objects.create(user=patient)
    client = _client(api, token)

    time_machine.move_to(ISSUED + timedelta(seconds=30), tick=False)
    response, statements = _get(client)
    assert response.status_code == 200
    assert AuthToken.objects.get(pk=instance.pk).expiry == ISSUED + IDLE  # not written
    assert len(statements) == 1  # the read only (no UPDATE of its own anywhere)

    time_machine.move_to(ISSUED + timedelta(seconds=61), tick=False)
    response, statements = _get(client)
    assert response.status_code == 200
    assert AuthToken.objects.get(pk=instance.pk).expiry == ISSUED + timedelta(seconds=61) + IDLE
    expected = 1 if connection.vendor == "postgresql" else 2  # renewed by the read itself
    assert len(statements) == expected, statements
    assert any("UPDATE" in sql for sql in statements)


def test_the_renewal_is_capped_at_the_tokens_maximum_age(api, patient, time_machine):
    time_machine.move_to(ISSUED, tick=False)
    instance, token = AuthToken.objects.create(user=patient)
    client = _client(api, token)

    for day in (6, 12, 18, 24, 27):
        time_machine.move_to(ISSUED + timedelta(days=day), tick=False)
        assert client.get(ME).status_code == 200

    assert AuthToken.objects.get(pk=instance.pk).expiry == ISSUED + timedelta(days=30)


def test_an_expired_token_is_refused_deleted_and_not_renewed(api, patient, time_machine):
    time_machine.move_to(ISSUED, tick=False)
    instance, token = AuthToken.objects.create(user=patient)

    time_machine.move_to(ISSUED + IDLE + timedelta(seconds=1), tick=False)
    response = _client(api, token).get(ME)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


def test_a_wrong_key_with_a_tokens_prefix_neither_signs_in_nor_renews(api, patient, time_machine):
    time_machine.move_to(ISSUED, tick=False)
    instance, token = AuthToken.objects.create(user=patient)
    prefix = token[: CONSTANTS.TOKEN_KEY_LENGTH]
    forged = prefix + ("0" if token[-1] != "0" else "1") * (len(token) - len(prefix))

    time_machine.move_to(ISSUED + timedelta(days=1), tick=False)
    response = _client(api, forged).get(ME)

    assert response.status_code == 401
    assert AuthToken.objects.get(pk=instance.pk).expiry == ISSUED + IDLE


def test_a_renewed_token_reports_its_new_expiry(api, patient, time_machine):
    """request.auth carries the renewed expiry, as knox's renew_token leaves it."""
    from tracker.auth_backends import TokenAuthentication

    time_machine.move_to(ISSUED, tick=False)
    _, token = AuthToken.objects.create(user=patient)
    time_machine.move_to(ISSUED + timedelta(hours=2), tick=False)

    user, auth_token = TokenAuthentication().authenticate_credentials(token.encode())

    assert user == patient
    assert auth_token.expiry == ISSUED + timedelta(hours=2) + IDLE
    assert user.patient_profile is not None  # read with the token, no query of its own
