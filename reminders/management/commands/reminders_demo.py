"""Give a demo patient reminders that arrive while `make run` is up: a stand-up due in a minute
(console e-mail and the inbox; push too once a browser subscribes) and a check-in tonight."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.models import ReminderSchedule
from reminders.services import reminder_schedule_upsert


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
            active_from="00:00",
            active_until="23:59",
        )
        reminder_schedule_upsert(
            user=user, kind="checkin", timezone=zone, times_of_day=["20:00"], channels=["email"]
        )
        due = timezone.now() + timedelta(minutes=1)
        ReminderSchedule.objects.filter(pk=stand_up.pk).update(next_due_at=due)
        self.stdout.write(
            f"{username}: stand-up reminder due at {due:%H:%M:%S} UTC, then every "
            f"{stand_up.interval_minutes} minutes; watch the worker's console and the inbox."
        )
