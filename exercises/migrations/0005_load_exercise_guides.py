from django.db import migrations


def load_guides(apps, schema_editor):
    # 0003 loaded the catalogue before the guide and starting-dose columns existed; this fills
    # them (the load updates rows in place and changes nothing else that is already right).
    from exercises.services import catalogue_load

    catalogue_load(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0004_exercise_guide_and_starting_dose"),
    ]

    operations = [
        migrations.RunPython(load_guides, migrations.RunPython.noop, elidable=False),
    ]
