"""Migration 0003 creates the catalogue from its own frozen copy, not through the live loader or
the live file, so a later field or table cannot break `migrate` on a fresh database."""

import ast
import importlib
import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from exercises.models import (
    Exercise,
    ExercisePhase,
    ExercisePopulation,
    ProgrammeTemplate,
    ProgrammeTemplateItem,
)
from exercises.services import catalogue_load

MIGRATION = importlib.import_module("exercises.migrations.0003_load_catalogue")
FROZEN = json.loads(Path(MIGRATION.__file__).with_suffix(".json").read_text(encoding="utf-8"))


def _empty_catalogue() -> None:
    ProgrammeTemplateItem.objects.all().delete()
    ProgrammeTemplate.objects.all().delete()
    ExercisePhase.objects.all().delete()
    ExercisePopulation.objects.all().delete()
    Exercise.objects.all().delete()


def test_the_migration_imports_nothing_of_the_live_code():
    tree = ast.parse(Path(MIGRATION.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"json", "pathlib", "django.db"}, imported


def test_the_migration_creates_the_frozen_catalogue_without_the_live_file_or_loader(
    db, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("the migration used the live catalogue file or loader")

    monkeypatch.setattr("exercises.services.catalogue_file.catalogue_read", refuse)
    monkeypatch.setattr("exercises.services.catalogue.catalogue_read", refuse)
    monkeypatch.setattr("yaml.safe_load", refuse)
    _empty_catalogue()
    state = MigrationExecutor(connection).loader.project_state(("exercises", "0003_load_catalogue"))

    MIGRATION.load_catalogue(state.apps, None)

    assert Exercise.objects.count() == len(FROZEN["exercises"])
    assert ProgrammeTemplate.objects.count() == len(FROZEN["templates"])
    items = sum(len(template["items"]) for template in FROZEN["templates"])
    assert ProgrammeTemplateItem.objects.count() == items
    bridge = Exercise.objects.get(key="five_point_bridge")
    assert (bridge.name_zh, bridge.sets, bridge.hold_seconds) == ("五点支撑", 10, 10)
    assert set(bridge.phases.values_list("phase", flat=True)) == {"recovery", "maintenance"}
    first = ProgrammeTemplate.objects.get(key=FROZEN["templates"][0]["key"])
    assert [i.exercise.key for i in first.items.order_by("position")] == [
        item["exercise"] for item in FROZEN["templates"][0]["items"]
    ]


def test_running_the_migration_again_over_a_loaded_catalogue_adds_nothing(db):
    state = MigrationExecutor(connection).loader.project_state(("exercises", "0003_load_catalogue"))
    before = (Exercise.objects.count(), ProgrammeTemplateItem.objects.count())
    MIGRATION.load_catalogue(state.apps, None)
    assert (Exercise.objects.count(), ProgrammeTemplateItem.objects.count()) == before


@pytest.mark.parametrize("reloaded", [False, True])
def test_load_catalogue_then_brings_the_frozen_rows_up_to_the_live_file(db, reloaded):
    if reloaded:
        _empty_catalogue()
        state = MigrationExecutor(connection).loader.project_state(
            ("exercises", "0003_load_catalogue")
        )
        MIGRATION.load_catalogue(state.apps, None)
    catalogue_load()
    report = catalogue_load()  # the test database was loaded the same way: nothing left to do
    assert report.created == report.updated == 0
    frozen_keys = {row["key"] for row in FROZEN["exercises"]}
    assert frozen_keys <= set(Exercise.objects.values_list("key", flat=True))
