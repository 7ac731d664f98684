from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.services.accounts import therapist_create


class Command(BaseCommand):
    help = "Create a therapist account (non-interactive; running it again updates the password)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--clinic", default="", help="clinic name; created if new")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, password, clinic, email, **options):
        try:
            user, created = therapist_create(
                username=username, password=password, clinic_name=clinic, email=email
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} therapist {user.username}"))
