from django.core.management.base import BaseCommand

from tracker.services.flags import flags_sweep


class Command(BaseCommand):
    help = "Evaluate the time-driven worsening rules (missing_checkins) for every patient now."

    def handle(self, *args, **options):
        opened = flags_sweep()
        self.stdout.write(self.style.SUCCESS(f"Opened {opened} missing-check-in flag(s)."))
