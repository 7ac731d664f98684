"""Pages that belong to the whole site: `/`, the favicon and the server-error page."""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from exercises.views import exercise_list
from tracker.views.app.today import role_home  # LOGIN_REDIRECT_URL: where signing in lands

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """`/`: a signed-in user goes to their home, by role, exactly as after signing in (patients to
    /app/, therapists to /therapist/); a visitor sees the public catalogue."""
    if request.user.is_authenticated:
        return role_home(request)
    return exercise_list(request)


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without an icon link (admin, API responses):
    send them to the app icon instead of logging a 404 each time."""
    return HttpResponseRedirect(static("tracker/app/icon-192.png"))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Rendered without the request's context: no user, session or database, any of
    which may be what failed. If even the template fails, a plain bilingual line."""
    try:
        return HttpResponseServerError(loader.render_to_string("500.html"))
    except Exception:
        logger.exception("the 500 page itself failed to render")
        text = _("Something went wrong on our side. Please try again in a few minutes.")
        return HttpResponseServerError(
            f"<!doctype html><title>500</title><p>{text}</p>", content_type="text/html"
        )
