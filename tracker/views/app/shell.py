"""Installable and offline: the service worker, the web app manifest and the offline page."""

import functools
import hashlib

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exercises.guides import GUIDE_PICTURE_DIR
from tracker.views.app.common import (
    APP_URL,
    page_language,
    render_page,
)

# What the service worker keeps for offline use (besides pages the patient has opened).
SHELL_ASSETS = (
    "tracker/site.css",
    "tracker/app/app.css",
    "tracker/app/app.js",
    "tracker/app/outbox.js",
    "tracker/app/player.js",
    "tracker/app/again.js",
    "tracker/app/walk_answer.js",
    "tracker/app/messages.js",
    "tracker/messages.css",
    "tracker/app/guides.css",
    "tracker/app/pictograms.svg",
    "tracker/app/icon.svg",
    "tracker/app/icon-192.png",
)


@functools.cache
def _shell_version() -> str:
    """Changes whenever an app-shell file changes, so phones fetch the new service worker and
    drop the old cache. Computed once per process from the files themselves."""
    digest = hashlib.sha256()
    for name in SHELL_ASSETS:
        path = finders.find(name)
        if path:
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/app/sw.js: served from /app/ so its scope covers the patient pages. Public: it holds
    no personal data, and a signed-out phone still needs it to update."""
    context = {
        "version": _shell_version(),
        "assets": [static(name) for name in SHELL_ASSETS],
        "outbox_js": static("tracker/app/outbox.js"),
        "icon": static("tracker/app/icon-192.png"),
        # Guide pictures are kept as they are shown (not all up front: most patients see few).
        "guide_pictures": settings.STATIC_URL + GUIDE_PICTURE_DIR,
    }
    response = render(
        request, "tracker/app/sw.js", context, content_type="text/javascript; charset=utf-8"
    )
    # Browsers re-check the worker at least daily; never let a cache keep an old one longer.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("Rehab exercise tracker"),
        "short_name": _("Rehab"),
        "description": _("Your exercises, daily check-in and progress."),
        "lang": page_language(),
        "start_url": f"{APP_URL}?source=home-screen",
        "scope": APP_URL,
        "id": APP_URL,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#fbfbf8",
        "theme_color": "#0b5cad",
        "icons": [
            {"src": static("tracker/app/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("tracker/app/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("tracker/app/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("tracker/app/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it has never kept while there is no signal."""
    return render_page(request, "tracker/app/offline.html", {"nav": ""})
