from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exercises.services import CatalogueError, catalogue_load


class Command(BaseCommand):
    help = (
        "Load exercises/catalogue.yaml: create or update exercises and programme templates in "
        "place, by key. Idempotent: a second run reports everything unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, help="another catalogue file (default: ours)")

    def handle(self, *args, path: Path | None = None, **options):
        try:
            report = catalogue_load(path=path)
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(report)))
