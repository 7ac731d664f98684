from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.services.accounts import clinic_admin_create


class Command(BaseCommand):
    help = (
        "Create a clinic admin: reads the clinic's patients and audit trail "
        "(non-interactive; running it again updates the password)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--clinic", required=True, help="clinic name; created if new")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, password, clinic, email, **options):
        try:
            user, created = clinic_admin_create(
                username=username, password=password, clinic_name=clinic, email=email
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} clinic admin {user.username} ({clinic})"))
