"""End to end: a check-in stored through the API means today's check-in reminder is not sent
(CLINICAL.md §5: "skipped when today's check-in is in"); any other day's check-in does not."""

from datetime import UTC, datetime

import pytest
import time_machine

from reminders.models import Delivery, InboxMessage, Kind, ReminderSchedule, Status
from reminders.services import reminders_dispatch
from tracker.services.patient_reminders import patient_reminders_set_up

CHECKINS = "/api/v1/checkins/"
# 20:00 in Shanghai on 2026-03-10, the patient's check-in reminder time (the `now` fixture is
# 12:00 the same day).
REMINDER_DUE = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def dispatch_at_reminder_time(capture):
    with time_machine.travel(REMINDER_DUE, tick=False), capture():
        reminders_dispatch()


def checkin_reminders():
    return Delivery.objects.filter(schedule__kind=Kind.CHECKIN)


@pytest.fixture
def reminded(patient, now):
    patient_reminders_set_up(profile=patient.patient_profile)
    schedule = ReminderSchedule.objects.get(user=patient, kind=Kind.CHECKIN)
    assert schedule.next_due_at == REMINDER_DUE
    return patient


def post_checkin(api, patient, on: str):
    response = api(patient).post(
        CHECKINS,
        {"date": on, "back_pain": 3, "leg_pain": 4, "numbness": 1},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_todays_checkin_through_the_api_skips_todays_reminder(
    api, reminded, django_capture_on_commit_callbacks
):
    post_checkin(api, reminded, "2026-03-10")

    dispatch_at_reminder_time(django_capture_on_commit_callbacks)

    assert set(checkin_reminders().values_list("status", flat=True)) <= {Status.SKIPPED}
    assert not InboxMessage.objects.filter(user=reminded, schedule__kind=Kind.CHECKIN).exists()


@pytest.mark.parametrize("on", [None, "2026-03-09"])
def test_without_todays_checkin_the_reminder_goes_out(
    api, reminded, django_capture_on_commit_callbacks, on
):
    if on:
        post_checkin(api, reminded, on)  # yesterday's, typed in late

    dispatch_at_reminder_time(django_capture_on_commit_callbacks)

    assert checkin_reminders().filter(status=Status.PENDING).exists()
    assert InboxMessage.objects.filter(user=reminded, schedule__kind=Kind.CHECKIN).exists()
