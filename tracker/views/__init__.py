from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.services.auth import LoginThrottled, lockout_seconds
from tracker.tasks import HEARTBEAT_CACHE_KEY


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and operators: the database answers, and when a worker last ran beat's
    heartbeat (null until one has; shared across processes only when the cache is Redis)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "worker_heartbeat_at": cache.get(HEARTBEAT_CACHE_KEY)})


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (settings.AXES_LOCKOUT_CALLABLE), on the
    sign-in page and /admin/login/: 429, `Retry-After`, and the sign-in form saying how long."""
    if original_response is not None and original_response.status_code == 429:
        return original_response  # the token API has answered already (DRF's 429)
    seconds = lockout_seconds()
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": str(LoginThrottled(seconds))}, status=429)
    else:
        message = str(LoginThrottled(seconds))
        response = render(
            request,
            "registration/login.html",
            {
                "form": AuthenticationForm(request),
                "locked_out": message,
                "next": request.POST.get("next", request.GET.get("next", "")),
            },
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response
