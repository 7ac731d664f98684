"""The reminder settings page: schedules and the inbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from reminders import selectors as reminder_selectors
from reminders.models import InboxMessage, Kind, ReminderSchedule
from tracker.models import (
    User,
)
from tracker.selectors.patient_app.common import (
    INBOX_SHOWN,
)
from tracker.selectors.patient_app.today import stand_up_schedule


@dataclass
class RemindersPage:
    stand_up: ReminderSchedule | None
    checkin: ReminderSchedule | None
    inbox: list[InboxMessage]
    unread_count: int
    is_paused: bool


def checkin_schedule(*, patient: User) -> ReminderSchedule | None:
    return ReminderSchedule.objects.filter(user=patient, kind=Kind.CHECKIN, key="").first()


def patient_reminders(*, patient: User, now: datetime | None = None) -> RemindersPage:
    now = now or timezone.now()
    stand_up = stand_up_schedule(patient=patient)
    return RemindersPage(
        stand_up=stand_up,
        checkin=checkin_schedule(patient=patient),
        inbox=list(reminder_selectors.inbox_for_user(user=patient)[:INBOX_SHOWN]),
        unread_count=reminder_selectors.inbox_unread_count(user=patient),
        is_paused=bool(stand_up and stand_up.paused_until and stand_up.paused_until > now),
    )
