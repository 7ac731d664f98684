"""PSFS (CLINICAL.md §3a): scoring, the five-activity limit, pages, API, export, prompts."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reminders.models import Delivery, InboxMessage
from tracker.models import AuditEvent, PsfsActivity, PsfsRating
from tracker.outcomes import (
    IMPROVED,
    NO_CHANGE,
    PSFS_MINIMAL_IMPORTANT_CHANGE,
    WORSENED,
    psfs_change,
    psfs_is_due,
    psfs_scores,
)
from tracker.services.psfs import psfs_activity_add, psfs_prompts_send, psfs_rate

pytestmark = pytest.mark.django_db

DAY1, DAY15 = date(2026, 2, 24), date(2026, 3, 10)


def test_the_score_is_the_mean_of_the_activities_rated_that_day():
    scores = psfs_scores([(DAY1, 2), (DAY1, 3), (DAY1, 5), (DAY15, 6)])
    assert [(s.on, s.mean, s.rated) for s in scores] == [(DAY1, 3.3, 3), (DAY15, 6.0, 1)]


@pytest.mark.parametrize(
    ("intake", "latest", "reading"),
    [
        (3.0, 5.0, IMPROVED),  # exactly the minimal important change
        (3.0, 4.9, NO_CHANGE),  # just under it
        (6.0, 4.0, WORSENED),
        (6.0, 4.1, NO_CHANGE),
    ],
)
def test_a_change_of_two_points_from_intake_is_marked(intake, latest, reading):
    assert PSFS_MINIMAL_IMPORTANT_CHANGE == 2
    assert psfs_change(intake, latest)[1] == reading


def test_rerating_is_due_after_two_weeks():
    assert psfs_is_due(last_rated_on=None, today=DAY15)
    assert psfs_is_due(last_rated_on=DAY1, today=DAY15)
    assert not psfs_is_due(last_rated_on=date(2026, 2, 25), today=DAY15)


def test_at_most_five_activities_and_the_database_holds_to_it(patient):
    for n in range(5):
        psfs_activity_add(patient=patient, text=f"Activity {n}", by=patient)
    with pytest.raises(ValidationError):
        psfs_activity_add(patient=patient, text="A sixth", by=patient)
    assert PsfsActivity.objects.filter(patient=patient).count() == 5
    with pytest.raises(IntegrityError), transaction.atomic():
        PsfsActivity.objects.create(patient=patient, slot=6, text="x", created_by=patient)


def test_scores_outside_0_to_10_are_refused_by_service_and_database(patient):
    activity = psfs_activity_add(patient=patient, text="Putting on socks", by=patient)
    with pytest.raises(ValidationError):
        psfs_rate(patient=patient, scores={activity: 11}, on=DAY1, by=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        PsfsRating.objects.create(activity=activity, score=11, rated_on=DAY1, created_by=patient)


def _rated(patient, by, first: int, later: int):
    socks = psfs_activity_add(patient=patient, text="穿袜子", by=patient)
    sitting = psfs_activity_add(patient=patient, text="Sitting through a film", by=by)
    psfs_rate(patient=patient, scores={socks: first, sitting: first}, on=DAY1, by=patient)
    psfs_rate(patient=patient, scores={socks: later, sitting: later}, on=DAY15, by=patient)
    return socks, sitting


def test_patient_names_and_rates_activities_on_their_page(client, patient, now):
    client.force_login(patient)
    page = client.get("/app/psfs/")
    assert page.status_code == 200
    assert "一项您觉得困难的活动" in page.content.decode()  # the first-use question, in Chinese
    assert (
        client.post("/app/psfs/", {"action": "add", "text": "Carrying shopping"}).status_code == 302
    )
    activity = PsfsActivity.objects.get(patient=patient)
    assert activity.text == "Carrying shopping" and activity.created_by == patient
    response = client.post("/app/psfs/", {"action": "rate", f"score-{activity.public_id}": "4"})
    assert response.status_code == 302
    assert PsfsRating.objects.get(activity=activity).score == 4
    bad = client.post("/app/psfs/", {"action": "rate", f"score-{activity.public_id}": "12"})
    assert bad.status_code == 400
    assert PsfsRating.objects.get(activity=activity).score == 4
    assert client.post("/app/psfs/", {"action": "add", "text": "   "}).status_code == 400


def test_progress_page_and_therapist_page_show_the_mean_and_the_reading(
    client, patient, therapist, now
):
    _rated(patient, therapist, 2, 5)
    client.force_login(patient)
    progress = client.get("/app/progress/").content.decode()
    assert 'class="line psfs"' in progress
    assert "psfs-improved" in progress
    client.force_login(therapist)
    page = client.get(f"/therapist/patients/{patient.public_id}/").content.decode()
    assert 'id="psfs-heading"' in page and "psfs-improved" in page and "穿袜子" in page
    assert 'name="text"' in page  # the therapist's add/reword forms


def test_therapist_adds_and_rewords_an_activity_with_the_patient(client, patient, therapist):
    client.force_login(therapist)
    url = f"/therapist/patients/{patient.public_id}/psfs/"
    assert client.post(url, {"text": "Bending to the dishwasher"}).status_code == 302
    activity = PsfsActivity.objects.get(patient=patient)
    assert activity.created_by == therapist
    client.post(url, {"activity": str(activity.public_id), "text": "Emptying the dishwasher"})
    activity.refresh_from_db()
    assert activity.text == "Emptying the dishwasher"
    assert (
        AuditEvent.objects.filter(patient=patient, object_type="psfs", actor=therapist).count() == 2
    )


def test_outsiders_cannot_touch_the_therapist_form(client, patient, other_therapist):
    client.force_login(other_therapist)
    url = f"/therapist/patients/{patient.public_id}/psfs/"
    assert client.post(url, {"text": "x"}).status_code == 404
    assert not PsfsActivity.objects.exists()


def test_api_lists_creates_and_rates_with_the_change_from_intake(api, patient, therapist, now):
    client = api(patient)
    base = f"/api/v1/patients/{patient.public_id}/psfs/"
    created = client.post(base + "activities/", {"text": "Walking the dog"}, format="json")
    assert created.status_code == 201
    activity_id = created.json()["id"]
    first = client.post(
        base + "ratings/",
        {"rated_on": "2026-02-24", "scores": [{"activity": activity_id, "score": 3}]},
        format="json",
    )
    assert first.status_code == 201
    second = client.post(
        base + "ratings/", {"scores": [{"activity": activity_id, "score": 6}]}, format="json"
    )
    body = second.json()
    assert [s["mean"] for s in body["scores"]] == [3.0, 6.0]
    assert body["change_from_intake"] == 3.0 and body["reading"] == "improved"
    listed = api(therapist).get(base + "activities/").json()
    assert [a["text"] for a in listed] == ["Walking the dog"]
    renamed = api(therapist).patch(
        f"/api/v1/psfs/activities/{activity_id}/",
        {"text": "Walking the dog round the block"},
        format="json",
    )
    assert renamed.status_code == 200
    assert AuditEvent.objects.filter(patient=patient, object_type="psfs", action="read").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"scores": []},
        {"scores": [{"activity": "00000000-0000-0000-0000-000000000000", "score": 3}]},
        {"scores": [{"activity": "ACTIVITY", "score": 11}]},
        {"rated_on": "2099-01-01", "scores": [{"activity": "ACTIVITY", "score": 3}]},
    ],
)
def test_api_bad_ratings_are_400_and_change_nothing(api, patient, now, body):
    activity = psfs_activity_add(patient=patient, text="Socks", by=patient)
    for score in body["scores"]:
        if score["activity"] == "ACTIVITY":
            score["activity"] = str(activity.public_id)
    response = api(patient).post(
        f"/api/v1/patients/{patient.public_id}/psfs/ratings/", body, format="json"
    )
    assert response.status_code == 400
    assert not PsfsRating.objects.exists()


def test_api_outsiders_get_404(api, patient, other_therapist, other_clinic_admin, clinic_admin):
    activity = psfs_activity_add(patient=patient, text="Socks", by=patient)
    base = f"/api/v1/patients/{patient.public_id}/psfs/"
    for outsider in (other_therapist, other_clinic_admin):
        assert api(outsider).get(base + "activities/").status_code == 404
        assert api(outsider).get(base + "ratings/").status_code == 404
        patch = api(outsider).patch(
            f"/api/v1/psfs/activities/{activity.public_id}/", {"text": "x"}, format="json"
        )
        assert patch.status_code == 404
    assert api(clinic_admin).get(base + "ratings/").status_code == 200
    assert api(clinic_admin).post(base + "activities/", {"text": "x"}).status_code == 403


def test_the_export_carries_the_psfs_figures(api, patient, therapist):
    _rated(patient, therapist, 6, 3)
    client = api(patient)
    data = client.get(f"/api/v1/patients/{patient.public_id}/export/").json()
    assert [a["text"] for a in data["psfs"]["activities"]] == ["穿袜子", "Sitting through a film"]
    assert [(s["mean"], s["reading"]) for s in data["psfs"]["scores"]] == [
        (6.0, "no_change"),
        (3.0, "worsened"),
    ]
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/api/v1/patients/{patient.public_id}/export/csv/").content)
    )
    assert "worsened" in archive.read("psfs_scores.csv").decode("utf-8-sig")


def test_the_two_weekly_prompt_goes_out_once_per_due_date(patient, time_machine):
    time_machine.move_to("2026-02-24 04:00:00+00:00", tick=False)
    activity = psfs_activity_add(patient=patient, text="Socks", by=patient)
    psfs_rate(patient=patient, scores={activity: 4}, on=DAY1, by=patient)
    time_machine.move_to("2026-03-09 04:00:00+00:00", tick=False)  # 13 days later: not yet
    assert psfs_prompts_send() == 0
    time_machine.move_to("2026-03-10 04:00:00+00:00", tick=False)  # 14 days later
    psfs_prompts_send()
    psfs_prompts_send()  # run twice: one prompt
    assert InboxMessage.objects.filter(user=patient).count() == 1
    assert Delivery.objects.filter(user=patient).count() == 1
    message = InboxMessage.objects.get(user=patient)
    assert message.url.endswith("/app/psfs/")


def test_a_rating_dated_after_the_patients_today_is_refused_whichever_way_it_comes(patient, now):
    activity = psfs_activity_add(patient=patient, text="Socks", by=patient)

    with pytest.raises(ValidationError) as refused:
        psfs_rate(patient=patient, scores={activity: 4}, on=date(2026, 3, 11), by=patient)

    assert "rated_on" in refused.value.message_dict
    assert not PsfsRating.objects.exists()
    psfs_rate(patient=patient, scores={activity: 4}, by=patient)  # today, by default
    assert PsfsRating.objects.get().rated_on == date(2026, 3, 10)
