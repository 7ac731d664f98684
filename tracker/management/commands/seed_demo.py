from django.core.management.base import BaseCommand

from tracker.services.demo import demo_seed


class Command(BaseCommand):
    help = "Create demo accounts and data (idempotent). Local runs only."

    def handle(self, *args, **options):
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo logins (sign in at /accounts/login/):"))
        for login in logins:
            self.stdout.write(f"  {login.role:<10} {login.username} / {login.password}")
