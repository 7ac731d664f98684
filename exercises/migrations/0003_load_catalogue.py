from django.db import migrations


def load_catalogue(apps, schema_editor):
    # Imported here so the migration module stays importable if the service moves.
    from exercises.services import catalogue_load

    catalogue_load(apps=apps)


class Migration(migrations.Migration):
    """A fresh `migrate` already has the catalogue; `load_catalogue` keeps it up to date."""

    dependencies = [
        ("exercises", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(load_catalogue, migrations.RunPython.noop, elidable=False),
    ]
