"""The product's URLs plus /bench/bare/, the baseline bench/dashboard.py compares against: a plain
Django JsonResponse behind the same middleware, in the same gunicorn workers, no database work."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("tracker.urls")),
]
