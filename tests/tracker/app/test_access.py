"""Patient pages are for patients with a patient record; everyone else is turned away."""

import pytest

from reminders.models import ReminderSchedule
from tests.factories import PASSWORD
from tests.tracker.app.support import APP_PAGES, APP_POSTS, CHECKIN, add_checkins
from tracker.models import CheckIn, SessionLog


@pytest.mark.parametrize("path", APP_PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(app_client, db, path):
    response = app_client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", APP_POSTS)
def test_signed_out_posts_store_nothing(app_client, db, path):
    response = app_client().post(path, CHECKIN)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not CheckIn.objects.exists()
    assert not SessionLog.objects.exists()


@pytest.mark.parametrize("who", ["therapist", "clinic_admin", "unenrolled_patient"])
@pytest.mark.parametrize("path", APP_PAGES)
def test_anyone_but_an_enrolled_patient_gets_404(app_client, request, who, path):
    user = request.getfixturevalue(who)

    assert app_client(user).get(path).status_code == 404


@pytest.mark.parametrize("path", APP_POSTS)
def test_a_therapist_cannot_post_as_a_patient(app_client, therapist, patient, path):
    response = app_client(therapist).post(path, CHECKIN)

    assert response.status_code == 404
    assert not CheckIn.objects.exists()
    assert not ReminderSchedule.objects.exists()


@pytest.mark.parametrize("path", APP_PAGES)
def test_the_patient_sees_every_page_with_the_caveat(app_client, patient, now, path):
    response = app_client(patient).get(path)

    assert response.status_code == 200
    assert b"not a diagnosis" in response.content
    assert b'rel="manifest"' in response.content


def test_signing_in_lands_a_new_patient_on_the_first_run_screen(client, patient):
    response = client.post(
        "/accounts/login/", {"username": patient.username, "password": PASSWORD}, follow=True
    )

    assert [url for url, _ in response.redirect_chain] == ["/start/", "/app/welcome/"]


def test_signing_in_lands_a_patient_who_has_logged_something_on_today(client, patient, now):
    add_checkins(patient, [1])

    response = client.post(
        "/accounts/login/", {"username": patient.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/app/"
    assert response.context["page"].today


def test_signing_in_lands_a_therapist_on_the_dashboard(client, therapist):
    response = client.post("/accounts/login/", {"username": "ther", "password": PASSWORD})

    assert response["Location"] == "/start/"
    assert client.get("/start/")["Location"] == "/therapist/"


def test_the_router_sends_signed_out_visitors_to_sign_in(client, db):
    assert client.get("/start/")["Location"].startswith("/accounts/login/")


def test_the_router_sends_an_unenrolled_patient_to_the_catalogue(app_client, unenrolled_patient):
    assert app_client(unenrolled_patient).get("/start/")["Location"] == "/exercises/"


def test_the_service_worker_and_manifest_need_no_sign_in(client, db):
    assert client.get("/app/sw.js").status_code == 200
    assert client.get("/app/manifest.webmanifest").status_code == 200
    assert client.get("/app/offline/").status_code == 200
