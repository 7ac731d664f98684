"""Reads of the catalogue and templates. Public data: no scoping by who is asking."""

from django.db.models import Prefetch, QuerySet

from exercises.models import Exercise, ProgrammeTemplate, ProgrammeTemplateItem


def _exercises() -> QuerySet[Exercise]:
    # Two extra queries per page however many exercises it shows.
    return Exercise.objects.prefetch_related("phases", "populations")


def exercise_list(
    *, phase: str | None = None, category: str | None = None, population: str | None = None
) -> QuerySet[Exercise]:
    exercises = _exercises()
    if phase:
        exercises = exercises.filter(phases__phase=phase)
    if category:
        exercises = exercises.filter(category=category)
    if population:
        exercises = exercises.filter(populations__population=population)
    # One phase row and one population row per code (unique constraints), so the joins above
    # cannot repeat an exercise.
    return exercises.order_by("key")


def exercise_get(*, key: str) -> Exercise | None:
    return _exercises().filter(key=key).first()


def _templates() -> QuerySet[ProgrammeTemplate]:
    items = ProgrammeTemplateItem.objects.select_related("exercise").order_by("position", "pk")
    return ProgrammeTemplate.objects.prefetch_related(Prefetch("items", queryset=items))


def template_list() -> QuerySet[ProgrammeTemplate]:
    return _templates().order_by("key")


def template_get(*, key: str) -> ProgrammeTemplate | None:
    return _templates().filter(key=key).first()


def catalogue_citing(*, file_name: str) -> tuple[list[Exercise], list[ProgrammeTemplate]]:
    """The exercises and programme templates that cite one article. A few dozen rows: filtered
    here rather than with a JSON lookup SQLite lacks."""
    exercises = [e for e in Exercise.objects.order_by("key") if file_name in e.sources]
    templates = [t for t in ProgrammeTemplate.objects.order_by("key") if file_name in t.sources]
    return exercises, templates
