"""What every patient page shares: who may see it, the emergency text it carries, labels."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from tracker.selectors import patient_app

APP_URL = "/app/"
CHECKIN_URL = "/app/checkin/"
SITE_LABELS = {
    "buttock": gettext_lazy("Buttock"),
    "back_of_thigh": gettext_lazy("Back of thigh"),
    "outer_calf": gettext_lazy("Outer calf"),
    "top_of_foot": gettext_lazy("Top of foot"),
    "sole": gettext_lazy("Sole"),
    "toes": gettext_lazy("Toes"),
}


def patient_only(view):
    """Signed-out visitors go to the sign-in page; signed-in non-patients get a 404."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if hasattr(request, "patient_profile"):  # PatientLanguageMiddleware read it
            profile = request.patient_profile
        else:
            profile = patient_app.patient_profile_for(user=request.user)
        if profile is None:
            raise Http404
        # Times on these pages are the patient's wall-clock times.
        with timezone.override(profile.tzinfo):
            return view(request, profile, *args, **kwargs)

    return wrapper


def render_page(
    request: HttpRequest, template: str, context: dict, *, status: int = 200
) -> HttpResponse:
    """Every patient page can show the emergency screen (app.js raises it the moment an urgent
    answer is sent, with or without signal, and when a check-in sent from the outbox comes back
    urgent), so each carries its text, its reasons and the numbers to call."""
    screen = patient_app.emergency_screen(
        profile=getattr(request, "patient_profile", None), language=page_language()
    )
    context = {"emergency": screen, **context}
    return render(request, template, context, status=status)


def page_language() -> str:
    return get_language() or "zh-hans"


# --- where signing in lands ----------------------------------------------------------------------
