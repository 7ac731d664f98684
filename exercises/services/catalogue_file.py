"""Reading and validating exercises/catalogue.yaml, before anything touches the database.

Every problem is collected and reported with the row it is in (`exercises[2] 'plank': ...`),
so one run of the loader shows everything to fix.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils import translation

from exercises.cautions import caution_conflicts
from exercises.dosage import DOSAGE_FIELDS
from exercises.models import Category, Contraindication, Phase, Population
from exercises.services.catalogue_guide import guide_check

SUPPORTED_VERSIONS = frozenset({1})

# One row of the YAML file, as yaml.safe_load gives it.
Row = dict[str, Any]

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# Sources are the article file names of ../shared/seeds/ (e.g. 003_550b9b7c9cec398b.txt).
_SOURCE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")

_EXERCISE_TEXT = ("name_zh", "name_en", "instructions_zh", "instructions_en")
_EXERCISE_KEYS = frozenset(
    {
        "key",
        *_EXERCISE_TEXT,
        "dosage_zh",
        "dosage_en",
        "dosage",
        "caution_zh",
        "caution_en",
        "category",
        "phases",
        "populations",
        "contraindications",
        "sources",
        "starting_dose",
        "guide",
    }
)
_TEMPLATE_KEYS = frozenset(
    {
        "key",
        "name_zh",
        "name_en",
        "description_zh",
        "description_en",
        "phase",
        "population",
        "conditions",
        "sources",
        "items",
    }
)
_ITEM_KEYS = frozenset(
    {"exercise", "dosage", "days_per_week", "duration_weeks", "note_zh", "note_en"}
)


class CatalogueError(Exception):
    """The catalogue file is unreadable or invalid; `problems` names each bad row."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{path}: the catalogue was not loaded:\n{listing}")


@dataclass
class ExerciseRow:
    key: str
    values: dict[str, Any]
    phases: list[str]
    populations: list[str]


@dataclass
class ItemRow:
    exercise_key: str
    values: dict[str, Any]


@dataclass
class TemplateRow:
    key: str
    values: dict[str, Any]
    items: list[ItemRow]


@dataclass
class CatalogueModels:
    Exercise: Any
    ExercisePhase: Any
    ExercisePopulation: Any
    ProgrammeTemplate: Any
    ProgrammeTemplateItem: Any


def catalogue_models(apps: Apps | None) -> CatalogueModels:
    registry = apps if apps is not None else global_apps
    return CatalogueModels(
        **{
            name: registry.get_model("exercises", name)
            for name in (
                "Exercise",
                "ExercisePhase",
                "ExercisePopulation",
                "ProgrammeTemplate",
                "ProgrammeTemplateItem",
            )
        }
    )


def _max_length(model: type[Model], name: str) -> int | None:
    try:
        max_length: int | None = getattr(model._meta.get_field(name), "max_length", None)
        return max_length
    except FieldDoesNotExist:  # a historical model older than the field; it is skipped
        return None


class _Validator:
    """Collects every problem in the file, each naming its row, instead of stopping at the first."""

    def __init__(self, models: CatalogueModels):
        self.models = models
        self.problems: list[str] = []
        # The file is checked against today's code, also when it is loaded into historical
        # models: choices are not enforced by the database.
        self.categories = list(Category.values)
        self.phases = list(Phase.values)
        self.populations = list(Population.values)
        self.contraindications = [str(value) for value in Contraindication.values]

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, where: str, value: Any, allowed: frozenset[str]) -> Row:
        if not isinstance(value, dict):
            self.fail(where, "must be a mapping of field: value")
            return {}
        for name in sorted(set(value) - allowed):
            self.fail(where, f"unknown field {name!r} (allowed: {', '.join(sorted(allowed))})")
        return value

    def text(self, where: str, row: Row, name: str, model: type[Model], *, required: bool) -> str:
        value = row.get(name)
        if value is None:
            if required:
                self.fail(where, f"{name!r} is missing")
            return ""
        if not isinstance(value, str):
            self.fail(where, f"{name!r} must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.fail(where, f"{name!r} is blank")
        max_length = _max_length(model, name)
        if max_length and len(value) > max_length:
            self.fail(where, f"{name!r} is longer than {max_length} characters")
        return value

    def bilingual(
        self, where: str, row: Row, stem: str, model: type[Model], *, required: bool
    ) -> dict[str, str]:
        zh = self.text(where, row, f"{stem}_zh", model, required=required)
        en = self.text(where, row, f"{stem}_en", model, required=required)
        if not required and bool(zh) != bool(en):
            missing = f"{stem}_en" if zh else f"{stem}_zh"
            self.fail(where, f"{missing!r} is missing: give {stem!r} in both Chinese and English")
        return {f"{stem}_zh": zh, f"{stem}_en": en}

    def choice(self, where: str, name: str, value: Any, allowed: list[str]) -> str:
        if value not in allowed:
            self.fail(where, f"{name} {value!r} is not one of: {', '.join(allowed)}")
            return ""
        return str(value)

    def choice_list(
        self, where: str, row: Row, name: str, allowed: list[str], *, required: bool
    ) -> list[str]:
        value = row.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, f"{name!r} must be a list of codes")
            return []
        if required and not value:
            self.fail(where, f"{name!r} needs at least one value")
        if len(set(value)) != len(value):
            self.fail(where, f"{name!r} repeats a value")
        return [self.choice(where, name, v, allowed) for v in value]

    def sources(self, where: str, row: Row) -> list[str]:
        value = row.get("sources")
        if not isinstance(value, list) or not value:
            self.fail(where, "'sources' needs at least one article file name")
            return []
        for source in value:
            if not isinstance(source, str) or not _SOURCE.match(source):
                self.fail(where, f"source {source!r} is not an article file name like 003_….txt")
        return list(value)

    def count(
        self, where: str, name: str, value: Any, *, low: int = 1, high: int = 32767
    ) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(where, f"{name!r} must be a whole number from {low} to {high}")
            return None
        return int(value)

    def dosage(self, where: str, row: Row, names: Iterable[str]) -> dict[str, int | None]:
        names = tuple(names)
        given = self.mapping(f"{where} dosage", row.get("dosage") or {}, frozenset(names))
        return {name: self.count(where, name, given.get(name)) for name in names}

    def exercise_dose(self, where: str, row: Row) -> dict[str, Any]:
        """The article's `dosage`, or CLINICAL.md §1a's `starting_dose` where the articles give
        none (marked, so therapists see it is the product's first dose, not the articles')."""
        names = (*DOSAGE_FIELDS, "interval_minutes")
        if "starting_dose" not in row:
            return {**self.dosage(where, row, names), "is_starting_dose": False}
        if "dosage" in row:
            self.fail(
                where, "give either 'dosage' (from the articles) or 'starting_dose', not both"
            )
        values = self.dosage(where, {"dosage": row["starting_dose"]}, names)
        if not any(values.values()):
            self.fail(where, "'starting_dose' needs at least one number")
        return {**values, "is_starting_dose": True}

    def key(self, where: str, row: Row, seen: set[str]) -> str:
        key = row.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            self.fail(where, f"key {key!r} must be lower-case letters, digits and underscores")
            return ""
        if key in seen:
            self.fail(where, f"key {key!r} appears twice")
        seen.add(key)
        return key

    def exercise(self, index: int, raw: Any, seen: set[str]) -> ExerciseRow:
        where = f"exercises[{index}]"
        key = self.key(where, raw, seen) if isinstance(raw, dict) else ""
        where = f"exercises[{index}] {key!r}" if key else where
        row = self.mapping(where, raw, _EXERCISE_KEYS)
        model = self.models.Exercise
        values: dict[str, Any] = {}
        for name in _EXERCISE_TEXT:
            values[name] = self.text(where, row, name, model, required=True)
        values.update(self.bilingual(where, row, "dosage", model, required=True))
        values.update(self.bilingual(where, row, "caution", model, required=False))
        values["category"] = self.choice(where, "category", row.get("category"), self.categories)
        values.update(self.exercise_dose(where, row))
        values["contraindications"] = self.choice_list(
            where, row, "contraindications", self.contraindications, required=False
        )
        values["sources"] = self.sources(where, row)
        values["guide"], problems = guide_check(where, row.get("guide"))
        self.problems.extend(problems)
        phases = self.choice_list(where, row, "phases", self.phases, required=True)
        populations = self.choice_list(where, row, "populations", self.populations, required=True)
        return ExerciseRow(key=key, values=values, phases=phases, populations=populations)

    def template(
        self, index: int, raw: Any, seen: set[str], exercises: Mapping[str, ExerciseRow]
    ) -> TemplateRow:
        where = f"templates[{index}]"
        key = self.key(where, raw, seen) if isinstance(raw, dict) else ""
        where = f"templates[{index}] {key!r}" if key else where
        row = self.mapping(where, raw, _TEMPLATE_KEYS)
        model = self.models.ProgrammeTemplate
        values: dict[str, Any] = {}
        values.update(self.bilingual(where, row, "name", model, required=True))
        values.update(self.bilingual(where, row, "description", model, required=True))
        phase = row.get("phase") or ""
        values["phase"] = self.choice(where, "phase", phase, ["", *self.phases]) if phase else ""
        values["population"] = self.choice(
            where, "population", row.get("population"), self.populations
        )
        values["conditions"] = self.choice_list(
            where, row, "conditions", self.contraindications, required=False
        )
        values["sources"] = self.sources(where, row)
        raw_items = row.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            self.fail(where, "'items' needs at least one exercise")
            raw_items = []
        items: list[ItemRow] = []
        in_template: set[str] = set()
        for position, raw_item in enumerate(raw_items, start=1):
            item = self.item(f"{where} items[{position - 1}]", raw_item, exercises, values)
            if item is None:
                continue
            if item.exercise_key in in_template:
                self.fail(where, f"exercise {item.exercise_key!r} appears twice")
            in_template.add(item.exercise_key)
            item.values["position"] = position
            items.append(item)
        return TemplateRow(key=key, values=values, items=items)

    def item(
        self,
        where: str,
        raw: Any,
        exercises: Mapping[str, ExerciseRow],
        template: dict[str, Any],
    ) -> ItemRow | None:
        row = self.mapping(where, raw, _ITEM_KEYS)
        exercise_key = row.get("exercise")
        exercise = exercises.get(exercise_key) if isinstance(exercise_key, str) else None
        if exercise is None:
            self.fail(where, f"exercise {exercise_key!r} is not in the catalogue's exercises")
            return None
        where = f"{where} {exercise_key!r}"
        model = self.models.ProgrammeTemplateItem
        values: dict[str, Any] = self.dosage(where, row, DOSAGE_FIELDS)
        values["days_per_week"] = self.count(
            where, "days_per_week", row.get("days_per_week", 7), high=7
        )
        values["duration_weeks"] = self.count(where, "duration_weeks", row.get("duration_weeks"))
        values.update(self.bilingual(where, row, "note", model, required=False))
        # The file cannot record a therapist's override, so an item against a caution is an
        # error here rather than a silent exception (CLINICAL.md §2).
        for conflict in caution_conflicts(
            exercise_key=exercise.key,
            name_zh=exercise.values["name_zh"],
            name_en=exercise.values["name_en"],
            contraindications=exercise.values["contraindications"],
            phase=template["phase"],
            conditions=template["conditions"],
        ):
            with translation.override("en"):
                message = conflict.message
            self.fail(where, f"{message} (a file cannot record a therapist override)")
        return ItemRow(exercise_key=exercise.key, values=values)


def catalogue_read(
    *, path: Path, models: CatalogueModels
) -> tuple[int, list[ExerciseRow], list[TemplateRow]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogueError(path, [f"cannot read the file: {error}"]) from error
    except yaml.YAMLError as error:
        raise CatalogueError(path, [f"not valid YAML: {error}"]) from error
    check = _Validator(models)
    data = check.mapping("top level", data, frozenset({"version", "exercises", "templates"}))
    version = data.get("version")
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in sorted(SUPPORTED_VERSIONS))
        check.fail("top level", f"version {version!r} is not supported (supported: {supported})")
    raw_exercises = data.get("exercises")
    if not isinstance(raw_exercises, list) or not raw_exercises:
        check.fail("top level", "'exercises' must be a non-empty list")
        raw_exercises = []
    raw_templates = data.get("templates") or []
    if not isinstance(raw_templates, list):
        check.fail("top level", "'templates' must be a list")
        raw_templates = []
    seen: set[str] = set()
    exercises = [check.exercise(i, raw, seen) for i, raw in enumerate(raw_exercises)]
    by_key = {row.key: row for row in exercises if row.key}
    seen = set()
    templates = [check.template(i, raw, seen, by_key) for i, raw in enumerate(raw_templates)]
    if check.problems:
        raise CatalogueError(path, check.problems)
    assert isinstance(version, int)  # one of SUPPORTED_VERSIONS, or a problem above
    return version, exercises, templates
