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


def test_failed_logins_are_throttled_to_429(api, patient):
    client = api()
    for _ in range(5):
        response = client.post(TOKEN, {"username": "pat", "password": "wrong"}, format="json")
        assert response.status_code == 400

    locked = client.post(TOKEN, {"username": "pat", "password": "Correct-horse-42"}, format="json")

    assert locked.status_code == 429
    assert "Retry-After" in locked


def test_the_sign_in_page_shares_the_throttle(client, patient):
    for _ in range(5):
        assert (
            client.post("/accounts/login/", {"username": "pat", "password": "x"}).status_code == 200
        )

    locked = client.post("/accounts/login/", {"username": "pat", "password": "Correct-horse-42"})

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


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
