"""Data helpers for the patient-app tests, dated relative to the `now` fixture (2026-03-10)."""

from datetime import date, timedelta

from tracker.models import CheckIn

TODAY = date(2026, 3, 10)

APP_PAGES = [
    "/app/",
    "/app/checkin/",
    "/app/checkin/thanks/",
    "/app/progress/",
    "/app/reminders/",
    "/app/welcome/",
]
APP_POSTS = [
    "/app/sessions/",
    "/app/moved/",
    "/app/checkin/",
    "/app/reminders/",
    "/app/reminders/pause/",
    "/app/reminders/inbox/read/",
    "/app/welcome/",
]


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def add_checkins(patient, days, **scores) -> None:
    values = {"back_pain": 3, "leg_pain": 4, "numbness": 2, **scores}
    CheckIn.objects.bulk_create(CheckIn(patient=patient, date=days_ago(n), **values) for n in days)


CHECKIN = {"back_pain": "3", "leg_pain": "5", "numbness": "2"}

STAND_UP = {
    "is_enabled": "on",
    "interval_minutes": "35",
    "active_from": "08:00",
    "active_until": "21:00",
    "weekdays": ["1", "2", "3", "4", "5"],
    "quiet_from": "",
    "quiet_until": "",
    "channels": ["push"],
    "checkin_enabled": "on",
    "checkin_time": "20:00",
}
