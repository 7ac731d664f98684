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


@dataclass
class RemindersPage:
    stand_up: ReminderSchedule | None
    checkin: ReminderSchedule | None
    inbox: list[InboxMessage]
    unread_count: int
    is_paused: bool


def checkin_schedule(*, patient: User) -> ReminderSchedule | None:
    return ReminderSchedule.objects.filter(user=patient, kind=Kind.CHECKIN, key="").first()


Schedules = tuple[ReminderSchedule | None, ReminderSchedule | None]


def patient_schedules(*, patient: User) -> Schedules:
    """(the stand-up schedule, the daily check-in reminder's), in one query."""
    found = {
        schedule.kind: schedule
        for schedule in ReminderSchedule.objects.filter(
            user=patient, key="", kind__in=(Kind.STAND_UP, Kind.CHECKIN)
        )
    }
    return found.get(Kind.STAND_UP), found.get(Kind.CHECKIN)


def patient_reminders(
    *, patient: User, now: datetime | None = None, schedules: Schedules | None = None
) -> RemindersPage:
    now = now or timezone.now()
    stand_up, checkin = schedules or patient_schedules(patient=patient)
    return RemindersPage(
        stand_up=stand_up,
        checkin=checkin,
        inbox=list(reminder_selectors.inbox_for_user(user=patient)[:INBOX_SHOWN]),
        unread_count=reminder_selectors.inbox_unread_count(user=patient),
        is_paused=bool(stand_up and stand_up.paused_until and stand_up.paused_until > now),
    )
