from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def exercise_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exercises/exercise_list.html", {})


def template_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exercises/exercise_list.html", {})
