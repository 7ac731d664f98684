import json
from pathlib import Path

from django.db import migrations

# The catalogue as it was when this migration was written (exercises/catalogue.yaml, version 1),
# frozen beside it as the rows to create. Frozen on purpose: the live file and loader follow
# today's models, and a field or table added by a later migration would break `migrate` on a
# fresh database here. `load_catalogue` (run by `make setup`, the deploy and the test setup)
# brings the rows up to date with the live file afterwards, in place.
DATA = Path(__file__).with_suffix(".json")


def load_catalogue(apps, schema_editor):
    Exercise = apps.get_model("exercises", "Exercise")
    ExercisePhase = apps.get_model("exercises", "ExercisePhase")
    ExercisePopulation = apps.get_model("exercises", "ExercisePopulation")
    ProgrammeTemplate = apps.get_model("exercises", "ProgrammeTemplate")
    ProgrammeTemplateItem = apps.get_model("exercises", "ProgrammeTemplateItem")
    data = json.loads(DATA.read_text(encoding="utf-8"))

    exercises = {}
    for row in data["exercises"]:
        values = dict(row)
        key = values.pop("key")
        phases, populations = values.pop("phases"), values.pop("populations")
        exercise, created = Exercise.objects.get_or_create(key=key, defaults=values)
        exercises[key] = exercise
        if created:
            ExercisePhase.objects.bulk_create(
                [ExercisePhase(exercise=exercise, phase=phase) for phase in phases]
            )
            ExercisePopulation.objects.bulk_create(
                [ExercisePopulation(exercise=exercise, population=p) for p in populations]
            )

    for row in data["templates"]:
        values = dict(row)
        key, items = values.pop("key"), values.pop("items")
        template, created = ProgrammeTemplate.objects.get_or_create(key=key, defaults=values)
        if created:
            ProgrammeTemplateItem.objects.bulk_create(
                [
                    ProgrammeTemplateItem(
                        template=template,
                        exercise=exercises[item["exercise"]],
                        **{name: value for name, value in item.items() if name != "exercise"},
                    )
                    for item in items
                ]
            )


class Migration(migrations.Migration):
    """A fresh `migrate` already has the catalogue; `load_catalogue` keeps it up to date."""

    dependencies = [
        ("exercises", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(load_catalogue, migrations.RunPython.noop, elidable=False),
    ]
