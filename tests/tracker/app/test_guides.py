"""The guide pages, the player page, doses on Today, the double-Done question and late
check-ins, through the test client (the browser tests drive the JavaScript)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.tracker.app.support import CHECKIN, days_ago
from tracker.models import CheckIn, SessionLog
from tracker.services.assignments import assignment_change


def _item(programme, key):
    return programme.items.get(exercise__key=key)


def test_the_guide_list_puts_the_programme_first(app_client, patient, programme):
    page = app_client(patient).get("/app/guides/").content.decode()
    mine, others = page.split('id="others-title"')
    assert "Five-point bridge" in mine and "Kegel" not in mine
    assert "Pelvic-floor (Kegel) exercise" in others
    assert "Massage" not in page  # therapist treatments have no home guide
    assert 'aria-current="page">Guides</a>' in page  # reached from the navigation


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_guide_has_steps_pictures_feelings_and_when_to_stop(app_client, patient, language):
    page = app_client(patient, language).get("/app/guides/glute_bridge/").content.decode()
    assert page.count('src="/static/exercises/guides/glute_bridge-') == 3  # 1, 2, 1 again
    assert 'loading="lazy"' in page
    if language == "en":
        assert "Squeeze your buttocks and push your hips up" in page
        assert "What you should feel" in page and "Stop and tell your therapist if" in page
        assert "2 sets of 10, hold 3 s, once a day" in page  # CLINICAL.md §1a
    else:
        assert "夹紧臀部" in page and "应该有的感觉" in page and "请停下，并告诉治疗师" in page
        assert "每组 10 次，每次保持 3 秒，做 2 组" in page


def test_the_guide_shows_the_patients_own_dose(app_client, patient, therapist, programme):
    bridge = _item(programme, "five_point_bridge")
    bridge.sets = 6
    bridge.save(update_fields=["sets"])
    page = app_client(patient).get(f"/app/guides/five_point_bridge/?item={bridge.public_id}")
    assert "Hold 10 s, 6 sets" in page.content.decode()
    play = app_client(patient).get(f"/app/guides/five_point_bridge/play/?item={bridge.public_id}")
    assert play.status_code == 200
    data = play.context["player"]
    assert data["item"] == str(bridge.public_id) and data["sets"] == 6
    assert sum(1 for phase in data["plan"] if phase["kind"] == "hold") == 6


def test_someone_elses_item_in_the_address_is_ignored(
    app_client, patient, other_patient, therapist, other_therapist, now
):
    theirs = assignment_change(
        patient=other_patient, therapist=other_therapist, template_key="disc_recovery"
    ).items.get(exercise__key="plank")
    response = app_client(patient).get(f"/app/guides/plank/play/?item={theirs.public_id}")
    assert response.status_code == 200
    assert response.context["player"]["item"] is None  # the plain exercise, not their item
    assert 'name="item"' not in response.content.decode()


def test_guide_pages_are_for_patients_only(app_client, client, therapist):
    for path in ("/app/guides/", "/app/guides/plank/", "/app/guides/plank/play/"):
        assert app_client(therapist).get(path).status_code == 404
    client.logout()
    assert client.get("/app/guides/plank/")["Location"].startswith("/accounts/login/")


def test_an_unknown_exercise_has_no_guide(app_client, patient):
    assert app_client(patient).get("/app/guides/yoga/").status_code == 404
    assert app_client(patient).get("/app/guides/massage/").status_code == 404


def test_the_walk_player_has_the_leg_stop_button(app_client, patient, therapist, now):
    assignment_change(patient=patient, therapist=therapist, template_key="circulation")
    response = app_client(patient).get("/app/guides/brisk_walk/play/")
    assert "I had to stop because of my leg" in response.content.decode()
    [walk] = [p for p in response.context["player"]["plan"] if p["kind"] == "walk"]
    assert walk["seconds"] == 20 * 60


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_item_on_today_has_a_concrete_dose(app_client, patient, therapist, now, language):
    assignment_change(patient=patient, therapist=therapist, template_key="postpartum")
    page = app_client(patient, language).get("/app/").content.decode()
    assert "no dose in the articles" not in page.lower() and "文章未给出" not in page
    if language == "en":
        assert "3 sets of 10 squeezes, hold 5 s, twice a day" in page
        assert "5 minutes, twice a day" in page
    else:
        assert "每组收紧 10 次，每次保持 5 秒，做 3 组，每天 2 次" in page


def test_the_stand_up_break_is_its_own_card_not_an_exercise(app_client, patient, therapist, now):
    assignment_change(patient=patient, therapist=therapist, template_key="desk_worker_prevention")
    page = app_client(patient).get("/app/").content.decode()
    assert page.count("data-session-form") == 1  # the stretch only
    assert "Standing waist–hip stretch" in page
    assert "Done: Stand up and move" not in page
    assert "Stand-up breaks" in page


def test_a_second_done_within_a_minute_asks_first(app_client, patient, programme, time_machine):
    bridge = _item(programme, "five_point_bridge")
    client = app_client(patient)
    client.post("/app/sessions/", {"item": bridge.public_id, "sets": "10"})

    again = client.post("/app/sessions/", {"item": bridge.public_id, "sets": "10"})
    assert again.status_code == 200
    page = again.content.decode()
    assert "Log it again?" in page
    assert "You logged Five-point bridge less than a minute ago" in page
    assert 'name="confirm" value="1"' in page and 'name="sets" value="10"' in page
    assert SessionLog.objects.count() == 1

    confirmed = client.post(
        "/app/sessions/", {"item": bridge.public_id, "sets": "10", "confirm": "1"}
    )
    assert confirmed.status_code == 302
    assert SessionLog.objects.count() == 2

    time_machine.shift(timedelta(seconds=61))  # a minute later it is simply logged
    later = client.post("/app/sessions/", {"item": bridge.public_id})
    assert later.status_code == 302 and SessionLog.objects.count() == 3


def test_the_question_is_per_item(app_client, patient, programme):
    client = app_client(patient)
    client.post("/app/sessions/", {"item": _item(programme, "five_point_bridge").public_id})
    other = client.post("/app/sessions/", {"item": _item(programme, "plank").public_id})
    assert other.status_code == 302 and SessionLog.objects.count() == 2


def test_undo_on_today_takes_back_the_last_session(app_client, patient, programme):
    bridge = _item(programme, "five_point_bridge")
    client = app_client(patient)
    client.post("/app/sessions/", {"item": bridge.public_id, "sets": "10"})
    session = SessionLog.objects.get()
    page = client.get("/app/").content.decode()
    assert f'action="/app/sessions/{session.public_id}/undo/"' in page

    response = client.post(f"/app/sessions/{session.public_id}/undo/", follow=True)
    assert "Undone: Five-point bridge is no longer logged" in response.content.decode()
    assert not SessionLog.objects.exists()
    assert client.post(f"/app/sessions/{session.public_id}/undo/").status_code == 404


def test_an_other_patients_session_cannot_be_undone_from_the_app(
    app_client, patient, other_patient, other_therapist, now
):
    item = assignment_change(
        patient=other_patient, therapist=other_therapist, template_key="circulation"
    ).items.get()
    from tracker.services.sessions import session_log_create

    theirs = session_log_create(patient=other_patient, item_id=item.public_id, minutes=20)
    assert app_client(patient).post(f"/app/sessions/{theirs.public_id}/undo/").status_code == 404
    assert SessionLog.objects.filter(pk=theirs.pk).exists()


def test_yesterdays_missed_check_in_can_be_entered(app_client, patient, now):
    client = app_client(patient)
    yesterday = days_ago(1).isoformat()
    form = client.get(f"/app/checkin/?date={yesterday}").content.decode()
    assert f'action="/app/checkin/?date={yesterday}"' in form
    assert f'data-date="{yesterday}"' in form

    response = client.post(f"/app/checkin/?date={yesterday}", CHECKIN)

    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.date == days_ago(1) and checkin.leg_pain == 5


@pytest.mark.parametrize("back", [3, -1])
def test_a_late_check_in_is_bounded_to_two_days_back(app_client, patient, now, back):
    client = app_client(patient)
    when = days_ago(back).isoformat()
    response = client.post(f"/app/checkin/?date={when}", CHECKIN, follow=True)
    assert "yesterday or the day before only" in response.content.decode()
    assert not CheckIn.objects.exists()
    assert client.get("/app/checkin/?date=not-a-date").status_code == 302


def test_the_day_before_yesterday_counts_in_the_patients_time_zone(
    app_client, patient, time_machine
):
    # 23:30 on 10 March in Shanghai is 15:30 UTC: "the day before yesterday" is 8 March.
    time_machine.move_to("2026-03-10 15:30:00+00:00", tick=False)
    client = app_client(patient)
    assert client.post("/app/checkin/?date=2026-03-08", CHECKIN).status_code == 302
    assert CheckIn.objects.get().date.isoformat() == "2026-03-08"
    assert client.post("/app/checkin/?date=2026-03-07", CHECKIN).status_code == 302
    assert CheckIn.objects.count() == 1


def test_today_offers_the_missed_days(app_client, patient, now):
    profile = patient.patient_profile
    type(profile).objects.filter(pk=profile.pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    CheckIn.objects.create(patient=patient, date=days_ago(2), back_pain=1, leg_pain=1, numbness=1)
    page = app_client(patient).get("/app/").content.decode()
    assert f'href="/app/checkin/?date={days_ago(1).isoformat()}"' in page
    assert f"?date={days_ago(2).isoformat()}" not in page


def test_a_session_sent_late_is_no_reason_to_ask(app_client, patient, programme):
    # Done offline ten minutes ago and only just arrived: a new "Done" now is a new session.
    bridge = _item(programme, "five_point_bridge")
    from tracker.services.sessions import session_log_create

    session_log_create(
        patient=patient,
        item_id=bridge.public_id,
        performed_at=timezone.now() - timedelta(minutes=10),
    )
    response = app_client(patient).post("/app/sessions/", {"item": bridge.public_id})
    assert response.status_code == 302 and SessionLog.objects.count() == 2
