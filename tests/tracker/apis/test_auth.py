from datetime import UTC, datetime, timedelta

from knox.models import AuthToken

from tests.factories import PASSWORD
from tracker.models import AuditEvent, CheckIn, User

TOKEN = "/api/v1/auth/token/"


def test_token_then_authenticated_requests(api, patient):
    token = api().post(TOKEN, {"username": "pat", "password": "Correct-horse-42"}, format="json")
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    assert client.get("/api/v1/me/").json()["username"] == "pat"


def test_anonymous_requests_are_401_and_say_how_to_authenticate(api, db):
    response = api().get("/api/v1/checkins/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def _sign_in(client, password=PASSWORD, address="10.0.0.1", username="pat"):
    return client.post(
        TOKEN, {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_failed_logins_are_throttled_to_429(api, patient):
    client = api()
    for _ in range(4):
        assert _sign_in(client, "wrong").status_code == 400

    fifth = _sign_in(client, "wrong")
    locked = _sign_in(client)

    assert fifth.status_code == 429 and fifth["Retry-After"] == "900"
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    # Chinese is the default language; an English client reads the same in English.
    assert "请等待 15 分钟" in locked.json()["detail"]
    assert "token" not in locked.json()
    english = client.post(
        TOKEN,
        {"username": "pat", "password": PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 429
    assert "Please wait 15 minutes" in english.json()["detail"]


def test_a_lock_is_for_that_username_from_that_address_only(api, patient, other_patient):
    client = api()
    for _ in range(5):
        _sign_in(client, "wrong", address="203.0.113.9")

    assert _sign_in(client, address="203.0.113.9").status_code == 429
    # The patient at home, and someone else at the attacker's address, still get in.
    assert _sign_in(client, address="198.51.100.7").status_code == 200
    assert _sign_in(client, address="203.0.113.9", username="other_pat").status_code == 200


def test_the_lock_lasts_what_retry_after_says(api, patient, time_machine):
    asked_at = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
    time_machine.move_to(asked_at, tick=False)
    client = api()
    for _ in range(5):
        answer = _sign_in(client, "wrong")

    # Each refused try restarts the wait, and says so: Retry-After is honest from every answer.
    for _ in range(2):
        asked_at += timedelta(seconds=int(answer["Retry-After"]) - 30)
        time_machine.move_to(asked_at, tick=False)
        answer = _sign_in(client)
        assert answer.status_code == 429

    time_machine.move_to(asked_at + timedelta(seconds=int(answer["Retry-After"]) + 1), tick=False)
    assert _sign_in(client).status_code == 200


def test_a_forwarded_address_counts_only_from_the_trusted_proxy(api, patient, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.254"]
    client = api()
    for n in range(5):  # a stranger rotating X-Forwarded-For gains nothing: counted as itself
        client.post(
            TOKEN,
            {"username": "pat", "password": "wrong"},
            format="json",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    assert _sign_in(client, address="203.0.113.9").status_code == 429

    # Through the proxy, the patient's own address (the right-most untrusted hop) counts.
    via_proxy = client.post(
        TOKEN,
        {"username": "pat", "password": "Correct-horse-42"},
        format="json",
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    assert via_proxy.status_code == 200


def test_the_sign_in_page_shares_the_throttle(client, patient):
    for _ in range(4):
        assert (
            client.post("/accounts/login/", {"username": "pat", "password": "x"}).status_code == 200
        )
    client.post("/accounts/login/", {"username": "pat", "password": "x"})

    locked = client.post(
        "/accounts/login/",
        {"username": "pat", "password": "Correct-horse-42"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "Please wait 15 minutes" in locked.content.decode()
    assert 'name="password"' in locked.content.decode()  # still the sign-in page
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_is_throttled_too(client, db):
    User.objects.create_superuser("root", "root@example.org", "Root-pass-2026")
    for _ in range(5):
        client.post("/admin/login/?next=/admin/", {"username": "root", "password": "guess"})

    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "root", "password": "Root-pass-2026"}
    )

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still signed out


def test_the_sign_in_page_still_signs_in(client, patient):
    response = client.post("/accounts/login/", {"username": "pat", "password": "Correct-horse-42"})

    assert response.status_code == 302


def test_a_patient_erases_their_account_with_their_password(api, patient, now):
    client = api(patient)
    client.post(
        "/api/v1/checkins/",
        {"date": "2026-03-10", "back_pain": 1, "leg_pain": 1, "numbness": 1},
        format="json",
    )

    wrong = client.post("/api/v1/me/erase/", {"password": "nope"}, format="json")
    erased = client.post("/api/v1/me/erase/", {"password": "Correct-horse-42"}, format="json")

    assert wrong.status_code == 400 and "password" in wrong.json()
    assert erased.status_code == 200
    assert not CheckIn.objects.exists()
    assert not User.objects.get(pk=patient.pk).is_active
    assert AuditEvent.objects.filter(action="erase").exists()


def test_only_patients_erase_themselves_here(api, therapist):
    response = api(therapist).post(
        "/api/v1/me/erase/", {"password": "Correct-horse-42"}, format="json"
    )

    assert response.status_code == 403


def _token_client(api, token):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_tokens_are_stored_only_as_a_hash_and_say_when_they_expire(api, patient, now):
    answer = _sign_in(api()).json()

    stored = AuthToken.objects.get(user=patient)
    assert answer["token"] not in {stored.digest, stored.token_key}
    assert len(stored.digest) == 128  # sha512 of the token
    assert answer["expiry"].startswith("2026-03-17T04:00:00")  # idle limit: 7 days


def test_a_token_unused_for_the_idle_limit_expires(api, patient, time_machine):
    time_machine.move_to("2026-03-10 04:00:00+00:00", tick=False)
    client = _token_client(api, _sign_in(api()).json()["token"])

    time_machine.move_to("2026-03-17 03:59:00+00:00", tick=False)
    assert client.get("/api/v1/me/").status_code == 200  # and this use extends it
    time_machine.move_to("2026-03-24 03:58:00+00:00", tick=False)
    assert client.get("/api/v1/me/").status_code == 200
    time_machine.move_to("2026-03-31 04:00:00+00:00", tick=False)
    assert client.get("/api/v1/me/").status_code == 401


def test_a_token_in_daily_use_still_ends_at_the_absolute_limit(api, patient, time_machine):
    issued = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
    time_machine.move_to(issued, tick=False)
    client = _token_client(api, _sign_in(api()).json()["token"])

    for day in range(1, 30):
        time_machine.move_to(issued + timedelta(days=day), tick=False)
        assert client.get("/api/v1/me/").status_code == 200
    time_machine.move_to(issued + timedelta(days=30, seconds=1), tick=False)

    assert client.get("/api/v1/me/").status_code == 401


def test_logout_revokes_this_token_only(api, patient, now):
    phone = _token_client(api, _sign_in(api()).json()["token"])
    tablet = _token_client(api, _sign_in(api()).json()["token"])

    assert phone.post("/api/v1/auth/logout/").status_code == 204

    assert phone.get("/api/v1/me/").status_code == 401
    assert tablet.get("/api/v1/me/").status_code == 200


def test_logout_all_revokes_every_device(api, patient, now):
    phone = _token_client(api, _sign_in(api()).json()["token"])
    tablet = _token_client(api, _sign_in(api()).json()["token"])

    assert tablet.post("/api/v1/auth/logout-all/").status_code == 204

    assert phone.get("/api/v1/me/").status_code == 401
    assert tablet.get("/api/v1/me/").status_code == 401


def test_logout_without_a_token_is_401(api, patient):
    assert api().post("/api/v1/auth/logout/").status_code == 401
    assert api(patient).post("/api/v1/auth/logout/").status_code == 401  # a session is no token


def test_a_password_change_revokes_every_token(api, patient, now):
    client = _token_client(api, _sign_in(api()).json()["token"])

    patient.set_password("A-new-password-2026")
    patient.save()

    assert client.get("/api/v1/me/").status_code == 401
    assert _sign_in(api(), "A-new-password-2026").status_code == 200


def test_the_lock_out_page_says_how_long_in_chinese(client, patient):
    for _ in range(5):
        locked = client.post(
            "/accounts/login/", {"username": "pat", "password": "x"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )

    assert locked.status_code == 429
    assert "请等待 15 分钟后再试" in locked.content.decode()
