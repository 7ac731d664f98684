"""Today: the programme's items with dosage in words, one-tap logging, the stand-up card."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reminders.services import reminder_schedule_upsert
from tests.factories import SessionLogFactory
from tests.tracker.app.support import add_checkins
from tests.tracker.dashboard.support import add_flag
from tracker.models import AssignmentItem, SessionLog


def _item(programme, key):
    return programme.items.get(exercise__key=key)


def test_today_lists_the_programme_with_dosage_in_words_and_pictures(
    app_client, patient, programme
):
    page = app_client(patient).get("/app/").content.decode()

    assert "Five-point bridge" in page
    assert "Hold 10 s, 10 sets" in page  # the catalogue's dosage, in words
    assert "Straight-leg raise" in page
    # Each card shows its guide's first picture; only the first loads with the page.
    assert 'src="/static/exercises/guides/five_point_bridge-1.svg"' in page
    assert page.count('class="guide-pic"') == programme.items.count()
    assert page.count('loading="lazy"') == programme.items.count() - 1
    assert "pictograms.svg#stand" in page  # the stand-up card keeps its pictogram
    assert page.count("data-session-form") == programme.items.count()
    assert "0</span> / <span data-day-due>5" in page


def test_today_in_chinese_uses_the_catalogue_chinese(app_client, patient, programme):
    page = app_client(patient, "zh-hans").get("/app/").content.decode()

    assert '<html lang="zh-hans">' in page
    assert "五点支撑" in page
    assert "每次保持 10 秒" in page or "保持 10 秒" in page


def test_done_logs_a_session_prefilled_from_the_dosage(app_client, patient, programme):
    bridge = _item(programme, "five_point_bridge")
    client = app_client(patient)
    page = client.get("/app/").content.decode()
    assert f'name="sets" id="sets-{bridge.public_id}" value="10"' in page  # prefilled

    response = client.post("/app/sessions/", {"item": bridge.public_id, "sets": "10"})

    assert response.status_code == 302
    assert response["Location"] == f"/app/#item-{bridge.public_id}"
    session = SessionLog.objects.get()
    assert (session.item, session.sets, session.patient) == (bridge, 10, patient)
    after = client.get("/app/").content.decode()
    assert "Well done: Five-point bridge is logged." in after
    assert "1</span> / <span data-day-due>5" in after
    assert "✓ Done today" in after


def test_the_amounts_are_editable(app_client, patient, programme):
    walk = _item(programme, "plank")

    app_client(patient).post(
        "/app/sessions/",
        {"item": walk.public_id, "minutes": "3", "pain_during": "2", "difficulty": "hard"},
    )

    session = SessionLog.objects.get()
    assert (session.minutes, session.pain_during, session.difficulty) == (3, 2, "hard")


def test_bad_amounts_are_refused_with_the_form_and_nothing_is_stored(
    app_client, patient, programme
):
    bridge = _item(programme, "five_point_bridge")

    response = app_client(patient).post(
        "/app/sessions/", {"item": bridge.public_id, "sets": "-1", "difficulty": "heroic"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    assert 'value="-1"' in page  # what was typed is kept
    assert not SessionLog.objects.exists()


def test_someone_elses_item_is_refused(app_client, patient, other_patient, therapist, programme):
    from tracker.services.assignments import assignment_change

    their_therapist = other_patient.care_team.get().therapist
    theirs = assignment_change(
        patient=other_patient, therapist=their_therapist, template_key="circulation"
    ).items.get()

    response = app_client(patient).post("/app/sessions/", {"item": theirs.public_id})

    assert response.status_code == 400
    assert "This exercise is not in your programme" in response.content.decode()
    assert not SessionLog.objects.exists()


def test_items_done_on_enough_days_this_week_step_aside(app_client, patient, therapist, now):
    from tracker.services.assignments import assignment_change

    programme = assignment_change(
        patient=patient, therapist=therapist, template_key="desk_worker_prevention"
    )
    stretch = _item(programme, "waist_hip_stretch")
    assert stretch.days_per_week == 5
    # 2026-03-10 is a Tuesday: five days this week cannot have happened yet, so put the
    # item's five days in by lowering it to one day a week, done yesterday (Monday).
    AssignmentItem.objects.filter(pk=stretch.pk).update(days_per_week=1)
    SessionLogFactory(
        patient=patient,
        exercise=stretch.exercise,
        item=stretch,
        performed_at=timezone.now() - timedelta(days=1),
    )

    page = app_client(patient).get("/app/").content.decode()

    assert "1 exercise already done enough this week" in page
    assert f'id="item-{stretch.public_id}"' not in page


def test_the_stand_up_card_shows_the_next_break_in_the_patients_time(app_client, patient, now):
    schedule = reminder_schedule_upsert(
        user=patient, kind="stand_up", timezone="Asia/Shanghai", interval_minutes=35
    )

    page = app_client(patient).get("/app/").content.decode()

    expected = schedule.next_due_at.astimezone(patient.patient_profile.tzinfo)
    assert expected.utcoffset() == timedelta(hours=8)
    time_tag = f'<time datetime="{expected.isoformat()}" data-next-break>{expected:%H:%M}</time>'
    assert f"Next break at <strong>{time_tag}" in page
    assert "I moved" in page


def test_i_moved_restarts_the_stand_up_timer(app_client, patient, now, time_machine):
    schedule = reminder_schedule_upsert(user=patient, kind="stand_up", interval_minutes=35)
    before = schedule.next_due_at
    time_machine.shift(timedelta(minutes=20))

    response = app_client(patient).post("/app/moved/")

    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.next_due_at == before + timedelta(minutes=20)


def test_without_reminders_the_card_offers_to_set_them_up(app_client, patient, now):
    page = app_client(patient).get("/app/").content.decode()

    assert 'href="/app/welcome/"' in page
    assert "data-moved-form" not in page


def test_an_open_urgent_flag_keeps_the_emergency_instruction_on_today(app_client, patient, now):
    add_flag(patient, "cauda_equina")

    page = app_client(patient).get("/app/").content.decode()

    assert "Seek emergency care now" in page
    assert "Go to an emergency department now" in page


def test_a_resolved_urgent_flag_does_not(app_client, patient, now):
    add_flag(patient, "cauda_equina", status="resolved")

    page = app_client(patient).get("/app/").content.decode()

    assert 'role="alert"' not in page


@pytest.mark.parametrize(("done", "text"), [(True, "check-in is done"), (False, "1 minute")])
def test_today_says_whether_the_check_in_is_in(app_client, patient, now, done, text):
    if done:
        add_checkins(patient, [0])

    assert text in app_client(patient).get("/app/").content.decode()
