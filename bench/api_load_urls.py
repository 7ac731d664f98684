"""The product's URLs plus /bench/bare/, the baseline bench/api_load.py compares against: a plain
Django view behind the same middleware, in the same gunicorn workers, with no database work."""

from django.http import JsonResponse
from django.urls import include, path


def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("tracker.urls")),
]
