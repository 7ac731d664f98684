"""Loading exercises/catalogue.yaml into the database.

The file is validated whole before anything is written, so a bad file changes nothing. Rows are
matched by `key` and updated in place: an Exercise is never deleted and recreated, because
programme items and patient data refer to it (on_delete=PROTECT). Rows whose values did not
change are not saved, so their `updated_at` stays put.

`apps` may be a historical app registry (a migration's state); the file may then name fields
the historical models do not have yet, which are skipped. Migration 0003 does not use this
loader: it creates the catalogue from its own frozen copy, so later models cannot break it.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps.registry import Apps
from django.db import transaction
from django.db.models import Model

from exercises.services.catalogue_file import (
    CatalogueError,
    CatalogueModels,
    ExerciseRow,
    ItemRow,
    TemplateRow,
    catalogue_models,
    catalogue_read,
)

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "catalogue.yaml"

__all__ = ["DEFAULT_PATH", "CatalogueError", "CatalogueLoadReport", "LoadCounts", "catalogue_load"]


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return f"{text}, {self.deleted} deleted" if self.deleted else text


@dataclass
class CatalogueLoadReport:
    version: int
    exercises: LoadCounts = field(default_factory=LoadCounts)
    templates: LoadCounts = field(default_factory=LoadCounts)
    items: LoadCounts = field(default_factory=LoadCounts)
    # Exercises in the database that the file no longer lists: kept (programmes may use them).
    exercises_not_in_file: list[str] = field(default_factory=list)

    @property
    def created(self) -> int:
        return self.exercises.created + self.templates.created + self.items.created

    @property
    def updated(self) -> int:
        return self.exercises.updated + self.templates.updated + self.items.updated

    @property
    def unchanged(self) -> int:
        return self.exercises.unchanged + self.templates.unchanged + self.items.unchanged

    def __str__(self) -> str:
        lines = [
            f"Catalogue version {self.version}",
            f"  exercises: {self.exercises}",
            f"  programme templates: {self.templates}",
            f"  template items: {self.items}",
        ]
        if self.exercises_not_in_file:
            kept = ", ".join(self.exercises_not_in_file)
            lines.append(f"  kept, no longer in the file: {kept}")
        return "\n".join(lines)


def _writable(model: type[Model], values: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in model._meta.concrete_fields}
    return {name: value for name, value in values.items() if name in names}


def _apply(obj: Model, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _sync_codes(
    child_model: type[Model], parent: Model, relation: str, attr: str, wanted: list[str]
) -> bool:
    current = {getattr(child, attr) for child in getattr(parent, relation).all()}
    removed = current - set(wanted)
    added = [code for code in wanted if code not in current]
    if removed:
        child_model._default_manager.filter(exercise=parent, **{f"{attr}__in": removed}).delete()
    if added:
        child_model._default_manager.bulk_create(
            [child_model(exercise=parent, **{attr: code}) for code in added]
        )
    return bool(removed or added)


def _save(obj: Model, changed: list[str]) -> None:
    # auto_now only writes updated_at when it is among update_fields.
    obj.save(update_fields=[*changed, "updated_at"])


def _load_exercises(
    models: CatalogueModels, rows: list[ExerciseRow], report: CatalogueLoadReport
) -> dict[str, Model]:
    Exercise = models.Exercise
    existing = {e.key: e for e in Exercise.objects.prefetch_related("phases", "populations")}
    saved: dict[str, Model] = {}
    for row in rows:
        values = _writable(Exercise, row.values)
        obj = existing.get(row.key)
        if obj is None:
            obj = Exercise.objects.create(key=row.key, **values)
            models.ExercisePhase.objects.bulk_create(
                [models.ExercisePhase(exercise=obj, phase=code) for code in row.phases]
            )
            models.ExercisePopulation.objects.bulk_create(
                [
                    models.ExercisePopulation(exercise=obj, population=code)
                    for code in row.populations
                ]
            )
            report.exercises.created += 1
        else:
            changed = _apply(obj, values)
            children_changed = _sync_codes(models.ExercisePhase, obj, "phases", "phase", row.phases)
            children_changed |= _sync_codes(
                models.ExercisePopulation, obj, "populations", "population", row.populations
            )
            if changed or children_changed:
                _save(obj, changed)
                report.exercises.updated += 1
            else:
                report.exercises.unchanged += 1
        saved[row.key] = obj
    report.exercises_not_in_file = sorted(set(existing) - set(saved))
    return saved


def _load_items(
    models: CatalogueModels,
    template: Any,  # a ProgrammeTemplate, maybe a migration's historical one
    rows: list[ItemRow],
    exercises: dict[str, Model],
    counts: LoadCounts,
) -> bool:
    Item = models.ProgrammeTemplateItem
    existing = {item.exercise.key: item for item in template.items.select_related("exercise")}
    changed_any = False
    for row in rows:
        values = _writable(Item, row.values)
        item = existing.pop(row.exercise_key, None)
        if item is None:
            Item.objects.create(template=template, exercise=exercises[row.exercise_key], **values)
            counts.created += 1
            changed_any = True
        elif changed := _apply(item, values):
            item.save(update_fields=changed)
            counts.updated += 1
            changed_any = True
        else:
            counts.unchanged += 1
    if existing:
        Item.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()
        counts.deleted += len(existing)
        changed_any = True
    return changed_any


def _load_templates(
    models: CatalogueModels,
    rows: list[TemplateRow],
    exercises: dict[str, Model],
    report: CatalogueLoadReport,
) -> None:
    Template = models.ProgrammeTemplate
    existing = {t.key: t for t in Template.objects.all()}
    for row in rows:
        values = _writable(Template, row.values)
        obj = existing.get(row.key)
        if obj is None:
            obj = Template.objects.create(key=row.key, **values)
            _load_items(models, obj, row.items, exercises, report.items)
            report.templates.created += 1
            continue
        changed = _apply(obj, values)
        items_changed = _load_items(models, obj, row.items, exercises, report.items)
        if changed or items_changed:
            _save(obj, changed)
            report.templates.updated += 1
        else:
            report.templates.unchanged += 1


def catalogue_load(*, path: Path | None = None, apps: Apps | None = None) -> CatalogueLoadReport:
    models = catalogue_models(apps)
    path = Path(path) if path is not None else DEFAULT_PATH
    version, exercise_rows, template_rows = catalogue_read(path=path, models=models)
    report = CatalogueLoadReport(version=version)
    with transaction.atomic():
        exercises = _load_exercises(models, exercise_rows, report)
        _load_templates(models, template_rows, exercises, report)
    return report
