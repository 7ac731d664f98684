from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from exercises import selectors
from exercises.dosage import item_dosage
from exercises.forms import ExerciseFilterForm
from exercises.sources import SOURCES, source_get


def exercise_list(request: HttpRequest) -> HttpResponse:
    form = ExerciseFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    exercises = list(selectors.exercise_list(**filters))
    context = {"form": form, "exercises": exercises, "is_filtered": bool(request.GET)}
    return render(request, "exercises/exercise_list.html", context)


def exercise_detail(request: HttpRequest, key: str) -> HttpResponse:
    exercise = selectors.exercise_get(key=key)
    if exercise is None:
        raise Http404
    return render(request, "exercises/exercise_detail.html", {"exercise": exercise})


def template_list(request: HttpRequest) -> HttpResponse:
    templates = list(selectors.template_list())
    return render(request, "exercises/template_list.html", {"templates": templates})


def template_detail(request: HttpRequest, key: str) -> HttpResponse:
    template = selectors.template_get(key=key)
    if template is None:
        raise Http404
    rows = [(item, item_dosage(item)) for item in template.items.all()]
    return render(request, "exercises/template_detail.html", {"template": template, "rows": rows})


def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exercises/source_list.html", {"sources": list(SOURCES.values())})


def source_detail(request: HttpRequest, key: str) -> HttpResponse:
    """One article: its title and what the product takes from it (CLINICAL.md §6). Public."""
    source = source_get(key=key)
    if source is None:
        raise Http404
    exercises, templates = selectors.catalogue_citing(file_name=source.file_name)
    context = {"source": source, "exercises": exercises, "templates": templates}
    return render(request, "exercises/source_detail.html", context)
