from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tracker.services.auth import (
    LoginThrottled,
    client_address,
    login_check_throttle,
    login_failure_record,
    login_success_record,
)
from tracker.tasks import HEARTBEAT_CACHE_KEY


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and operators: the database answers, and when a worker last ran beat's
    heartbeat (null until one has; shared across processes only when the cache is Redis)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "worker_heartbeat_at": cache.get(HEARTBEAT_CACHE_KEY)})


class _LockedOutForm(AuthenticationForm):
    """Shown while sign-ins are throttled: the password is not even checked."""

    def clean(self):
        raise ValidationError(_("Too many failed sign-ins. Please wait 15 minutes."), "throttled")


class ThrottledLoginView(auth_views.LoginView):
    """The sign-in page, with the same failed-sign-in throttle as POST /api/v1/auth/token/."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        username = request.POST.get("username", "")
        try:
            login_check_throttle(username=username, address=client_address(request))
        except LoginThrottled as throttled:
            form = _LockedOutForm(request, data=request.POST)
            form.is_valid()
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(throttled.wait_seconds)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_failure_record(
            username=self.request.POST.get("username", ""),
            address=client_address(self.request),
        )
        return super().form_invalid(form)

    def form_valid(self, form):
        login_success_record(
            username=form.get_user().get_username(), address=client_address(self.request)
        )
        return super().form_valid(form)
