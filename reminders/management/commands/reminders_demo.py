"""Give a demo patient reminders that arrive while `make run` is up: a stand-up due in a minute
(console e-mail and the inbox; push too once a browser subscribes) and a check-in tonight.

The demo keeps the product's manners: active hours 08:00-21:00 and quiet hours 22:00-07:00 in
the patient's time zone, so a demo started at night stays quiet until morning."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.models import ReminderSchedule
from reminders.services import reminder_schedule_upsert

ACTIVE_FROM, ACTIVE_UNTIL = "08:00", "21:00"
QUIET_FROM, QUIET_UNTIL = "22:00", "07:00"


class Command(BaseCommand):
    help = "Make a demo patient's stand-up reminder due in a minute (for `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo_patient")
        parser.add_argument("--timezone", default="Asia/Shanghai")

    def handle(self, *args, username: str, **options):
        zone = options["timezone"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}; run `manage.py seed_demo` first.")
        stand_up = reminder_schedule_upsert(
            user=user,
            kind="stand_up",
            timezone=zone,
            channels=["email", "push"],
            active_from=ACTIVE_FROM,
            active_until=ACTIVE_UNTIL,
            quiet_from=QUIET_FROM,
            quiet_until=QUIET_UNTIL,
        )
        reminder_schedule_upsert(
            user=user,
            kind="checkin",
            timezone=zone,
            times_of_day=["20:00"],
            channels=["email"],
            quiet_from=QUIET_FROM,
            quiet_until=QUIET_UNTIL,
        )
        local = timezone.now().astimezone(ZoneInfo(zone)).time()
        if not time.fromisoformat(ACTIVE_FROM) <= local < time.fromisoformat(ACTIVE_UNTIL):
            when = stand_up.next_due_at
            self.stdout.write(
                f"{username}: it is night where they live ({zone}); the first stand-up reminder "
                f"waits for the morning ({when:%Y-%m-%d %H:%M} UTC)."
            )
            return
        due = timezone.now() + timedelta(minutes=1)
        ReminderSchedule.objects.filter(pk=stand_up.pk).update(next_due_at=due)
        self.stdout.write(
            f"{username}: stand-up reminder due at {due:%H:%M:%S} UTC, then every "
            f"{stand_up.interval_minutes} minutes; watch the worker's console and the inbox."
        )
