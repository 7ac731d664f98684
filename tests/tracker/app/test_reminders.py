"""Reminders and the first-run screen: interval 30-40, active hours, weekdays, quiet hours,
channels, pause, the inbox; the same reminder services as the API."""

from datetime import time

import pytest

from reminders.models import InboxMessage, ReminderSchedule
from reminders.services import reminder_schedule_upsert
from tests.tracker.app.support import STAND_UP


def _schedule(patient, kind="stand_up"):
    return ReminderSchedule.objects.get(user=patient, kind=kind, key="")


def test_the_first_run_screen_offers_reminders_and_notifications(app_client, patient, now):
    page = app_client(patient).get("/app/welcome/").content.decode()

    assert "Welcome, Pat" in page
    assert 'name="interval_minutes"' in page and 'min="30" max="40"' in page
    assert 'value="35"' in page  # the default of CLINICAL.md §5
    assert "data-push-enable" in page  # shown by app.js where push is supported
    assert 'name="checkin_time"' in page


def test_saving_the_first_run_screen_sets_up_both_reminders(app_client, patient, now):
    response = app_client(patient).post("/app/welcome/", STAND_UP)

    assert response.status_code == 302
    assert response["Location"] == "/app/"
    stand_up = _schedule(patient)
    assert stand_up.interval_minutes == 35
    assert stand_up.weekdays == [1, 2, 3, 4, 5]
    assert (stand_up.active_from, stand_up.active_until) == (time(8), time(21))
    assert stand_up.timezone == "Asia/Shanghai"
    assert stand_up.url == "/app/"
    assert stand_up.next_due_at is not None
    checkin = _schedule(patient, "checkin")
    assert checkin.times_of_day == ["20:00"]
    assert checkin.url == "/app/checkin/"


def test_the_reminders_page_changes_existing_schedules(app_client, patient, now):
    reminder_schedule_upsert(user=patient, kind="stand_up")
    reminder_schedule_upsert(user=patient, kind="checkin", times_of_day=["20:00"])

    response = app_client(patient).post(
        "/app/reminders/",
        {
            **STAND_UP,
            "interval_minutes": "30",
            "quiet_from": "12:00",
            "quiet_until": "13:30",
            "channels": ["push", "email"],
            "checkin_time": "21:15",
        },
    )

    assert response.status_code == 302
    stand_up = _schedule(patient)
    assert stand_up.interval_minutes == 30
    assert (stand_up.quiet_from, stand_up.quiet_until) == (time(12), time(13, 30))
    assert stand_up.channels == ["email", "push"]
    assert _schedule(patient, "checkin").times_of_day == ["21:15"]


def test_switching_stand_up_reminders_off(app_client, patient, now):
    reminder_schedule_upsert(user=patient, kind="stand_up")
    data = {key: value for key, value in STAND_UP.items() if key != "is_enabled"}

    app_client(patient).post("/app/reminders/", data)

    assert _schedule(patient).is_enabled is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"interval_minutes": "45"}, "Ensure this value is less than or equal to 40."),
        ({"interval_minutes": "20"}, "Ensure this value is greater than or equal to 30."),
        ({"active_from": "22:00"}, "Active hours must end after they start."),
        ({"quiet_from": "12:00"}, "Quiet hours need both a start and an end."),
        ({"checkin_time": "late"}, "Enter a valid time."),
    ],
)
def test_bad_settings_are_a_400_and_nothing_changes(app_client, patient, now, change, message):
    reminder_schedule_upsert(user=patient, kind="stand_up", interval_minutes=35)

    response = app_client(patient).post("/app/reminders/", {**STAND_UP, **change})

    assert response.status_code == 400
    assert message in response.content.decode()
    stand_up = _schedule(patient)
    assert (stand_up.interval_minutes, stand_up.active_from) == (35, time(8))
    assert stand_up.quiet_from is None
    assert not ReminderSchedule.objects.filter(user=patient, kind="checkin").exists()


def test_bad_settings_on_the_first_run_screen_create_nothing(app_client, patient, now):
    response = app_client(patient).post("/app/welcome/", {**STAND_UP, "interval_minutes": "90"})

    assert response.status_code == 400
    assert not ReminderSchedule.objects.exists()


def test_pause_for_today_and_resume(app_client, patient, now):
    reminder_schedule_upsert(user=patient, kind="stand_up")
    client = app_client(patient)

    client.post("/app/reminders/pause/")
    paused = _schedule(patient).paused_until
    assert paused is not None
    assert "paused until tomorrow" in client.get("/app/reminders/").content.decode()
    assert "Paused for the rest of today." in client.get("/app/").content.decode()

    client.post("/app/reminders/pause/", {"resume": "1"})
    assert _schedule(patient).paused_until is None


def test_pause_without_a_schedule_is_404(app_client, patient, now):
    assert app_client(patient).post("/app/reminders/pause/").status_code == 404


def test_the_inbox_lists_reminders_and_marks_them_read(app_client, patient, now):
    InboxMessage.objects.create(
        user=patient, dedupe_key="a", kind="stand_up", title="Time to stand up", body="Walk."
    )
    client = app_client(patient)

    page = client.get("/app/reminders/").content.decode()
    assert "Time to stand up" in page
    assert "1 unread" in page

    client.post("/app/reminders/inbox/read/")
    assert InboxMessage.objects.get().read_at is not None


def test_someone_elses_inbox_is_not_shown(app_client, patient, other_patient, now):
    InboxMessage.objects.create(
        user=other_patient, dedupe_key="a", kind="stand_up", title="Not yours", body="."
    )

    assert "Not yours" not in app_client(patient).get("/app/reminders/").content.decode()


def test_reminders_page_in_chinese(app_client, patient, now):
    response = app_client(patient, "zh-hans").get("/app/reminders/")

    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
