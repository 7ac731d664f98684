"""The daily check-in, its thank-you page and Progress."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tracker.forms import (
    WEEKDAY_CHOICES,
    CheckInForm,
    add_service_errors,
)
from tracker.models import NUMBNESS_SITES, PatientProfile
from tracker.rules import SEVERITY_RANK, Severity
from tracker.selectors import patient_app
from tracker.services.checkins import checkin_submit
from tracker.views.app.common import (
    SITE_LABELS,
    page_language,
    patient_only,
    render_page,
)


def _leg_rows(form: CheckInForm) -> list[dict]:
    chosen = set(form["numbness_areas"].value() or [])
    return [
        {
            "side": side,
            "label": label,
            "areas": [
                {
                    "value": f"{side}_{site}",
                    "site": site,
                    "label": SITE_LABELS[site],
                    "checked": f"{side}_{site}" in chosen,
                }
                for site in NUMBNESS_SITES
            ],
        }
        for side, label in (("left", _("Left leg")), ("right", _("Right leg")))
    ]


# A missed check-in can be entered from the app for yesterday or the day before (older days
# only through the API's paper-diary backdating).
TOLD_RANK = SEVERITY_RANK[Severity.MEDIUM]
APP_BACKDATE_DAYS = 2


def _checkin_date(request: HttpRequest, profile: PatientProfile) -> date | None:
    """The day this check-in is for: today, or ?date= up to APP_BACKDATE_DAYS back in the
    patient's time zone; None for any other value (the page says so)."""
    today = patient_app.local_today(profile)
    raw = request.GET.get("date", "")
    if not raw:
        return today
    try:
        chosen = date.fromisoformat(raw)
    except ValueError:
        return None
    return chosen if today - timedelta(days=APP_BACKDATE_DAYS) <= chosen <= today else None


def _checkin_response(
    request: HttpRequest,
    profile: PatientProfile,
    form: CheckInForm,
    *,
    on: date,
    status: int = 200,
    has_checkin: bool | None = None,  # known already: not read again
) -> HttpResponse:
    today = on
    is_backdated = on != patient_app.local_today(profile)
    if has_checkin is None:
        has_checkin = patient_app.checkin_for(patient=profile.user, on=today) is not None
    context = {
        "form": form,
        "today": today,
        "is_backdated": is_backdated,
        "date_query": on.isoformat() if is_backdated else "",
        "has_checkin_today": has_checkin,
        "legs": _leg_rows(form),
        "scales": [
            (form["back_pain"], _("No pain"), _("Worst pain imaginable")),
            (form["leg_pain"], _("No pain"), _("Worst pain imaginable")),
            (form["numbness"], _("No numbness"), _("Cannot feel anything")),
        ],
        "timezone": profile.timezone,
        "nav": "checkin",
    }
    return render_page(request, "tracker/app/checkin.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@patient_only
def checkin(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    on = _checkin_date(request, profile)
    if on is None:
        messages.error(
            request, _("A missed check-in can be entered for yesterday or the day before only.")
        )
        return redirect("app:checkin")
    if request.method == "GET":
        existing = patient_app.checkin_for(patient=profile.user, on=on)
        initial = CheckInForm.initial_from(existing) if existing else None
        return _checkin_response(
            request, profile, CheckInForm(initial=initial), on=on, has_checkin=existing is not None
        )
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            outcome = checkin_submit(patient=profile.user, on=on, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if outcome.is_urgent:
                # Shown at once, not after a redirect: nothing may stand between the patient
                # and the instruction to seek care (CLINICAL.md §4a, urgent flags).
                screen = patient_app.emergency_screen(
                    profile=profile,
                    language=page_language(),
                    answers=patient_app.urgent_answers(outcome.flags),
                )
                return render_page(request, "tracker/app/emergency.html", {"urgent_screen": screen})
            return redirect("app:checkin-thanks")
    return _checkin_response(request, profile, form, on=on, status=400)


@never_cache
@require_GET
@patient_only
def checkin_thanks(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    flags = patient_app.checkin_flags(profile=profile, language=page_language())
    context = {
        "comparisons": patient_app.week_comparison(profile=profile),
        "flags": flags,
        # Medium and above are told as flags; below, as notes.
        "told": [entry for entry in flags if SEVERITY_RANK[entry.flag.severity] >= TOLD_RANK],
        "notes": [entry for entry in flags if SEVERITY_RANK[entry.flag.severity] < TOLD_RANK],
        "has_high": any(entry.flag.severity == Severity.HIGH for entry in flags),
        "nav": "checkin",
    }
    return render_page(request, "tracker/app/checkin_thanks.html", context)


# --- Progress ------------------------------------------------------------------------------------


@never_cache
@require_GET
@patient_only
def progress(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    try:
        range_days = int(request.GET.get("range", ""))
    except ValueError:
        range_days = patient_app.PROGRESS_RANGES[0]
    if range_days not in patient_app.PROGRESS_RANGES:
        range_days = patient_app.PROGRESS_RANGES[0]
    page = patient_app.patient_progress(
        profile=profile, range_days=range_days, language=page_language()
    )
    context = {
        "page": page,
        "ranges": patient_app.PROGRESS_RANGES,
        "recent_days": patient_app.ADVICE_RECENT_DAYS,
        "weekdays": _weekday_names(),
        "nav": "progress",
    }
    return render_page(request, "tracker/app/progress.html", context)


def _weekday_names() -> list[str]:
    return [str(label) for _, label in WEEKDAY_CHOICES]


# --- Reminders and the first-run screen ----------------------------------------------------------
