"""Today: where signing in lands, the day's exercises, one-tap logging and "I moved"."""

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from reminders import services as reminder_services
from tracker.forms import (
    SessionLogForm,
    add_service_errors,
)
from tracker.models import Difficulty, PatientProfile, SessionLog
from tracker.selectors import patient_app
from tracker.selectors.patient_app.today import TodayItem, TodayPage
from tracker.services.sessions import (
    session_log_create,
    session_log_undo,
    session_recent_repeat,
)
from tracker.views.app.common import (
    page_language,
    patient_only,
    render_page,
)


@require_GET
def role_home(request: HttpRequest) -> HttpResponse:
    """LOGIN_REDIRECT_URL: patients to their Today page (the first-run screen while they have
    logged nothing yet), therapists and clinic admins to the dashboard."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_therapist or user.is_clinic_admin:
        return redirect("dashboard:caseload")
    if patient_app.patient_profile_for(user=user) is None:
        return redirect("exercises:exercise-list")
    if patient_app.patient_is_new(patient=user):
        return redirect("app:welcome")
    return redirect("app:today")


# --- Today ---------------------------------------------------------------------------------------

# One item on the page: the entry, the amounts to prefill, that item's form errors.
ItemRow = tuple[TodayItem, dict[str, Any], Mapping[str, Any]]


def _item_rows(page: TodayPage, failed: SessionLogForm | None) -> list[ItemRow]:
    """(entry, prefilled amounts, errors) per item: the dosage's numbers, or what was posted
    when that item's form came back with errors."""
    failed_item = str(failed.data.get("item", "")) if failed is not None else ""
    rows: list[ItemRow] = []
    for entry in page.items:
        if failed is not None and str(entry.item.public_id) == failed_item:
            values = {name: failed.data.get(name, "") for name in SessionLogForm.base_fields}
            errors: Mapping[str, Any] = failed.errors
        else:
            dosage = entry.dosage
            values = {"sets": dosage.sets, "reps": dosage.reps, "minutes": dosage.minutes}
            errors = {}
        rows.append((entry, values, errors))
    return rows


def _today_response(
    request: HttpRequest, profile: PatientProfile, *, failed: SessionLogForm | None = None
) -> HttpResponse:
    page = patient_app.patient_today(profile=profile)
    urgent_screen = None
    if page.urgent_flags:
        urgent_screen = patient_app.emergency_screen(
            profile=profile,
            language=page_language(),
            answers=patient_app.urgent_answers(page.urgent_flags),
        )
    rows = _item_rows(page, failed)
    context = {
        "page": page,
        "urgent_screen": urgent_screen,
        "rows": rows,
        "scores": range(11),
        "difficulties": Difficulty.choices,
        "nav": "today",
    }
    if failed is not None and not any(errors for _entry, _values, errors in rows):
        # The item is not on today's list (or not the patient's): say so at the top.
        messages.error(request, _("This exercise is not in your programme: nothing was logged."))
    return render_page(request, "tracker/app/today.html", context, status=400 if failed else 200)


@never_cache
@require_GET
@patient_only
def today(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    return _today_response(request, profile)


@require_POST
@patient_only
def session_log(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    """The "done" button without JavaScript: POST /api/v1/sessions/ in form clothes."""
    form = SessionLogForm(request.POST)
    if form.is_valid():
        repeat = session_recent_repeat(patient=profile.user, item_id=form.cleaned_data["item"])
        if repeat is not None and request.POST.get("confirm") != "1":
            # Without JavaScript the same question app.js asks: a second "Done" within a
            # minute is more often a double tap than a second session.
            context = {
                "exercise_name": repeat.exercise.localized("name"),
                "fields": [
                    (name, value)
                    for name, value in request.POST.items()
                    if name in SessionLogForm.base_fields and value != ""
                ],
                "nav": "today",
            }
            return render_page(request, "tracker/app/session_confirm.html", context)
        try:
            session = session_log_create(patient=profile.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Well done: %(exercise)s is logged.")
                % {"exercise": session.exercise.localized("name")},
            )
            return HttpResponseRedirect(f"{reverse('app:today')}#item-{form.cleaned_data['item']}")
    return _today_response(request, profile, failed=form)


@require_POST
@patient_only
def session_undo(request: HttpRequest, profile: PatientProfile, session_id) -> HttpResponse:
    """ "Undo" on Today: a session logged by mistake, taken back the same day."""
    session = (
        SessionLog.objects.filter(public_id=session_id, patient=profile.user)
        .select_related("exercise", "item")
        .first()
    )
    if session is None:
        raise Http404
    try:
        session_log_undo(patient=profile.user, session=session)
    except ValidationError:
        messages.error(request, _("Only today's sessions can be undone."))
        return redirect("app:today")
    messages.success(
        request,
        _("Undone: %(exercise)s is no longer logged for this time.")
        % {"exercise": session.exercise.localized("name")},
    )
    anchor = f"#item-{session.item.public_id}" if session.item is not None else ""
    return HttpResponseRedirect(f"{reverse('app:today')}{anchor}")


@require_POST
@patient_only
def stand_up_moved(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    """ "I moved": restart the stand-up timer (POST /api/v1/reminders/moved/)."""
    reminder_services.stand_up_moved(user=profile.user)
    messages.success(request, _("Good. The next stand-up reminder comes a full interval from now."))
    return redirect("app:today")


# --- Check-in ------------------------------------------------------------------------------------
