"""Headers and session rules that hold for every response (see settings, "Headers").

- StaffSessionMiddleware: therapists and clinic admins sign in on shared clinic computers, so
  their session cookie lasts until the browser closes and the session ends after
  STAFF_SESSION_IDLE_MINUTES without a request. Patients keep the normal session.
- SecurityHeadersMiddleware: a Permissions-Policy on every response, and
  `Cache-Control: no-store, private` on everything that can carry health data: every API
  response (exports included), the therapist pages, the patient's app, the sign-in and admin
  pages. The public catalogue pages and static files keep their own caching.
- PatientLanguageMiddleware: a signed-in patient reads every page in their profile's language
  (issue 9). LocaleMiddleware has already chosen one from the cookie or Accept-Language; for a
  patient the profile's choice wins, so pages, notes, advice and reminders agree. Staff and
  visitors keep LocaleMiddleware's choice. The API does the same after its own authentication
  (tracker.apis.base), since token-authenticated requests are anonymous here.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

from tracker.selectors.patient_app import patient_profile_for

IDLE_KEY = "staff_last_seen"
# Written at most this often, so a busy therapist does not cost a session write per request.
IDLE_RESOLUTION_SECONDS = 60
PRIVATE_PREFIXES = ("/api/", "/therapist/", "/app/", "/start/", "/accounts/", "/admin/")


def _signed_in_staff(request: HttpRequest) -> bool:
    """A therapist, clinic admin or admin-site user signed in by this session (not by an API
    token, which has its own expiry and must not start a session)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if request.session.get(SESSION_KEY) != str(user.pk):
        return False
    return user.is_therapist or user.is_clinic_admin or user.is_staff or user.is_superuser


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _signed_in_staff(request):
            last_seen = request.session.get(IDLE_KEY)
            idle_limit = settings.STAFF_SESSION_IDLE_MINUTES * 60
            # No clock yet (a session from before this rule): it starts now.
            if last_seen is not None and time.time() - int(last_seen) > idle_limit:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # goes on signed out: 401/403
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        # After the view, so that the sign-in itself already gets the browser-session cookie.
        if _signed_in_staff(request):
            if not request.session.get_expire_at_browser_close():
                request.session.set_expiry(0)
            now = int(time.time())
            last_seen = request.session.get(IDLE_KEY)
            if last_seen is None or now - int(last_seen) >= IDLE_RESOLUTION_SECONDS:
                request.session[IDLE_KEY] = now
        return response


def _policy(features: dict[str, list[str]]) -> str:
    return ", ".join(
        f"{feature}=({' '.join(allow)})" for feature, allow in sorted(features.items())
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = _policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        cache_control = response.get("Cache-Control", "")
        # A page kept in a shared computer's or a proxy's cache is a leak. The service worker
        # script (no health data) keeps its own `no-cache`: phones check it on every load.
        private = request.path.startswith(PRIVATE_PREFIXES)
        if private and "no-store" not in cache_control and cache_control != "no-cache":
            patch_cache_control(response, no_store=True, private=True)
        return response


class PatientLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_patient:
            # Kept on the request: the patient pages use it (one query, clinic included).
            profile = patient_profile_for(user=user)
            request.patient_profile = profile
            if profile is not None:
                translation.activate(profile.language)
                request.LANGUAGE_CODE = profile.language
        return self.get_response(request)
