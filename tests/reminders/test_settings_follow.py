"""One path for reminder settings (issue 14): the daily check-in reminder follows the stand-up's
channels and quiet hours whether the patient changes them on the page or through the API."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from reminders.models import ReminderSchedule
from reminders.services import reminder_schedule_defaults, reminder_schedule_upsert
from tests.reminders.factories import CheckInScheduleFactory, StandUpScheduleFactory

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def schedules(patient):
    with time_machine.travel(NOW, tick=False):
        stand_up = StandUpScheduleFactory(
            user=patient, channels=["push"], next_due_at=NOW + timedelta(minutes=20)
        )
        checkin = CheckInScheduleFactory(user=patient, channels=["push"])
    return stand_up, checkin


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"channels": ["email"]}, {"channels": ["email"]}),
        (
            {"quiet_from": "12:00", "quiet_until": "14:00"},
            {"quiet_from": time(12, 0), "quiet_until": time(14, 0)},
        ),
    ],
)
def test_the_checkin_reminder_follows_a_stand_up_change_made_through_the_api(
    patient, schedules, change, expected
):
    stand_up, checkin = schedules
    client = APIClient()
    client.force_authenticate(patient)

    with time_machine.travel(NOW, tick=False):
        response = client.patch(
            f"/api/v1/reminders/schedules/{stand_up.public_id}/", change, format="json"
        )

    assert response.status_code == 200, response.json()
    checkin.refresh_from_db()
    for name, value in expected.items():
        assert getattr(checkin, name) == value


def test_a_change_to_the_checkin_reminder_alone_leaves_the_stand_up_as_it_is(patient, schedules):
    stand_up, checkin = schedules
    reminder_schedule_upsert(user=patient, kind="checkin", times_of_day=["21:30"])

    stand_up.refresh_from_db()
    checkin.refresh_from_db()
    assert checkin.times_of_day == ["21:30"]
    assert stand_up.channels == ["push"]


def test_the_defaults_a_new_schedule_starts_with_are_written_once(patient):
    stand_up = reminder_schedule_defaults(kind="stand_up")
    checkin = reminder_schedule_defaults(kind="checkin")

    created = reminder_schedule_upsert(user=patient, kind="stand_up")

    assert (stand_up.interval_minutes, created.interval_minutes) == (35, 35)
    assert checkin.times_of_day == ["20:00"]
    assert ReminderSchedule.objects.get(user=patient).interval_minutes == 35
