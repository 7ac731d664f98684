"""The patient's mobile pages under /app/: Today, Check-in, Progress, Reminders, the first-run
screen, and the service worker and web app manifest that make them installable and usable offline.

Server-rendered and complete without JavaScript: every form posts to a view here that calls the
same service as the API. With JavaScript, app.js sends the same data to the API with an
Idempotency-Key and queues it on the phone while offline. Only patients with a patient record
see these pages; anyone else signed in gets a 404, like a page that does not exist.
"""

import functools
import hashlib

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reminders import services as reminder_services
from reminders.models import Kind
from tracker.flag_texts import EMERGENCY_ADVICE, flag_explanation
from tracker.forms import (
    CHANNEL_CHOICES,
    WEEKDAY_CHOICES,
    CheckInForm,
    CheckInReminderForm,
    SessionLogForm,
    StandUpForm,
    add_service_errors,
)
from tracker.models import NUMBNESS_SITES, Difficulty, PatientProfile
from tracker.selectors import patient_app
from tracker.services.checkins import checkin_submit
from tracker.services.sessions import session_log_create

APP_URL = "/app/"
CHECKIN_URL = "/app/checkin/"
# What the service worker keeps for offline use (besides pages the patient has opened).
SHELL_ASSETS = (
    "tracker/site.css",
    "tracker/app/app.css",
    "tracker/app/app.js",
    "tracker/app/outbox.js",
    "tracker/app/pictograms.svg",
    "tracker/app/icon.svg",
    "tracker/app/icon-192.png",
)
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
        profile = patient_app.patient_profile_for(user=request.user)
        if profile is None:
            raise Http404
        # Times on these pages are the patient's wall-clock times.
        with timezone.override(profile.tzinfo):
            return view(request, profile, *args, **kwargs)

    return wrapper


def _render(
    request: HttpRequest, template: str, context: dict, *, status: int = 200
) -> HttpResponse:
    """Every patient page can show the emergency screen (app.js raises it when a check-in
    sent from the outbox comes back urgent), so each carries its text."""
    context = {"emergency_advice": _emergency_advice(), **context}
    return render(request, template, context, status=status)


def _language() -> str:
    return get_language() or "zh-hans"


def _emergency_advice() -> str:
    return EMERGENCY_ADVICE["en" if patient_app.is_english() else "zh"]


# --- where signing in lands ----------------------------------------------------------------------


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


def _item_rows(page, failed: SessionLogForm | None) -> list[tuple]:
    """(entry, prefilled amounts, errors) per item: the dosage's numbers, or what was posted
    when that item's form came back with errors."""
    failed_item = str(failed.data.get("item", "")) if failed is not None else ""
    rows = []
    for entry in page.items:
        if failed is not None and str(entry.item.public_id) == failed_item:
            values = {name: failed.data.get(name, "") for name in SessionLogForm.base_fields}
            errors = failed.errors
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
    context = {
        "page": page,
        "rows": _item_rows(page, failed),
        "scores": range(11),
        "difficulties": Difficulty.choices,
        "nav": "today",
    }
    if failed is not None and not any(row[2] for row in context["rows"]):
        # The item is not on today's list (or not the patient's): say so at the top.
        messages.error(request, _("This exercise is not in your programme: nothing was logged."))
    return _render(request, "tracker/app/today.html", context, status=400 if failed else 200)


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
def stand_up_moved(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    """ "I moved": restart the stand-up timer (POST /api/v1/reminders/moved/)."""
    reminder_services.stand_up_moved(user=profile.user)
    messages.success(request, _("Good. The next stand-up reminder comes a full interval from now."))
    return redirect("app:today")


# --- Check-in ------------------------------------------------------------------------------------


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


def _checkin_response(
    request: HttpRequest, profile: PatientProfile, form: CheckInForm, *, status: int = 200
) -> HttpResponse:
    today = patient_app.local_today(profile)
    context = {
        "form": form,
        "today": today,
        "has_checkin_today": patient_app.checkin_for(patient=profile.user, on=today) is not None,
        "legs": _leg_rows(form),
        "scales": [
            (form["back_pain"], _("No pain"), _("Worst pain imaginable")),
            (form["leg_pain"], _("No pain"), _("Worst pain imaginable")),
            (form["numbness"], _("No numbness"), _("Cannot feel anything")),
        ],
        "timezone": profile.timezone,
        "nav": "checkin",
    }
    return _render(request, "tracker/app/checkin.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@patient_only
def checkin(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    if request.method == "GET":
        existing = patient_app.checkin_for(
            patient=profile.user, on=patient_app.local_today(profile)
        )
        initial = CheckInForm.initial_from(existing) if existing else None
        return _checkin_response(request, profile, CheckInForm(initial=initial))
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            outcome = checkin_submit(
                patient=profile.user,
                on=patient_app.local_today(profile),
                answers=form.answers(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if outcome.is_urgent:
                # Shown at once, not after a redirect: nothing may stand between the patient
                # and the instruction to seek care (CLINICAL.md §4, urgent flags).
                urgent = [
                    flag_explanation(
                        flag.rule, flag.latest_evidence, audience="patient", language=_language()
                    )
                    for flag in outcome.flags
                    if flag.is_urgent
                ]
                return _render(request, "tracker/app/emergency.html", {"urgent": urgent})
            return redirect("app:checkin-thanks")
    return _checkin_response(request, profile, form, status=400)


@never_cache
@require_GET
@patient_only
def checkin_thanks(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    context = {
        "comparisons": patient_app.week_comparison(profile=profile),
        "nav": "checkin",
    }
    return _render(request, "tracker/app/checkin_thanks.html", context)


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
        profile=profile, range_days=range_days, language=_language()
    )
    context = {
        "page": page,
        "ranges": patient_app.PROGRESS_RANGES,
        "weekdays": _weekday_names(),
        "nav": "progress",
    }
    return _render(request, "tracker/app/progress.html", context)


def _weekday_names() -> list[str]:
    return [str(label) for _, label in WEEKDAY_CHOICES]


# --- Reminders and the first-run screen ----------------------------------------------------------


def _reminder_forms(patient, data=None) -> tuple[StandUpForm, CheckInReminderForm]:
    stand_up = patient_app.stand_up_schedule(patient=patient)
    checkin_schedule = patient_app.checkin_schedule(patient=patient)
    stand_up_initial = (
        StandUpForm.initial_from(stand_up)
        if stand_up
        else {
            "is_enabled": True,
            "interval_minutes": 35,
            "active_from": "08:00",
            "active_until": "21:00",
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "channels": ["push"],
        }
    )
    checkin_initial = (
        CheckInReminderForm.initial_from(checkin_schedule)
        if checkin_schedule
        else {"checkin_enabled": True, "checkin_time": "20:00"}
    )
    return (
        StandUpForm(data, initial=stand_up_initial),
        CheckInReminderForm(data, initial=checkin_initial),
    )


def _reminder_context(stand_up_form: StandUpForm, checkin_form: CheckInReminderForm) -> dict:
    weekdays = stand_up_form["weekdays"].value() or []
    return {
        "stand_up_form": stand_up_form,
        "checkin_form": checkin_form,
        "weekday_choices": WEEKDAY_CHOICES,
        "chosen_weekdays": {int(day) for day in weekdays if str(day).isdigit()},
        "channel_choices": CHANNEL_CHOICES,
        "chosen_channels": set(stand_up_form["channels"].value() or []),
    }


def _reminders_save(
    profile: PatientProfile, stand_up_form: StandUpForm, checkin_form: CheckInReminderForm
) -> None:
    """Both schedules or neither. The reminder services validate (30-40 minutes, hours in
    order, quiet hours complete) and place the next reminder."""
    patient = profile.user
    stand_up = stand_up_form.schedule_fields()
    # The daily check-in reminder follows the stand-up's channels and quiet hours.
    checkin = {
        **checkin_form.schedule_fields(),
        "channels": stand_up["channels"],
        "quiet_from": stand_up["quiet_from"],
        "quiet_until": stand_up["quiet_until"],
    }
    with transaction.atomic():
        for kind, fields, url in (
            (Kind.STAND_UP, stand_up, APP_URL),
            (Kind.CHECKIN, checkin, CHECKIN_URL),
        ):
            existing = (
                patient_app.stand_up_schedule(patient=patient)
                if kind == Kind.STAND_UP
                else patient_app.checkin_schedule(patient=patient)
            )
            if existing is None:
                reminder_services.reminder_schedule_upsert(
                    user=patient,
                    kind=kind,
                    timezone=profile.timezone,
                    language=profile.language,
                    url=url,
                    **fields,
                )
            else:
                reminder_services.reminder_schedule_update(schedule=existing, data=fields)


def _save_reminder_post(request: HttpRequest, profile: PatientProfile):
    """(stand-up form, check-in form, saved?)"""
    stand_up_form, checkin_form = _reminder_forms(profile.user, request.POST)
    if stand_up_form.is_valid() and checkin_form.is_valid():
        try:
            _reminders_save(profile, stand_up_form, checkin_form)
        except ValidationError as error:
            add_service_errors(stand_up_form, error)
        else:
            return stand_up_form, checkin_form, True
    return stand_up_form, checkin_form, False


@never_cache
@require_http_methods(["GET", "POST"])
@patient_only
def reminders(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    status = 200
    if request.method == "POST":
        stand_up_form, checkin_form, saved = _save_reminder_post(request, profile)
        if saved:
            messages.success(request, _("Your reminder settings are saved."))
            return redirect("app:reminders")
        status = 400
    else:
        stand_up_form, checkin_form = _reminder_forms(profile.user)
    context = {
        "page": patient_app.patient_reminders(patient=profile.user),
        **_reminder_context(stand_up_form, checkin_form),
        "nav": "reminders",
    }
    return _render(request, "tracker/app/reminders.html", context, status=status)


@require_POST
@patient_only
def reminders_pause(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    schedule = patient_app.stand_up_schedule(patient=profile.user)
    if schedule is None:
        raise Http404
    if request.POST.get("resume"):
        reminder_services.reminder_schedule_update(schedule=schedule, data={"paused_until": None})
        messages.success(request, _("Stand-up reminders are back on."))
    else:
        reminder_services.reminder_pause(schedule=schedule)
        messages.success(request, _("No more stand-up reminders today. They start again tomorrow."))
    return redirect("app:reminders")


@require_POST
@patient_only
def inbox_read_all(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    reminder_services.inbox_mark_all_read(user=profile.user)
    return HttpResponseRedirect(reverse("app:reminders") + "#inbox")


@never_cache
@require_http_methods(["GET", "POST"])
@patient_only
def welcome(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    status = 200
    if request.method == "POST":
        stand_up_form, checkin_form, saved = _save_reminder_post(request, profile)
        if saved:
            messages.success(request, _("All set. Here is what to do today."))
            return redirect("app:today")
        status = 400
    else:
        stand_up_form, checkin_form = _reminder_forms(profile.user)
    context = {
        "profile": profile,
        **_reminder_context(stand_up_form, checkin_form),
        "nav": "",
    }
    return _render(request, "tracker/app/welcome.html", context, status=status)


# --- installable and offline ---------------------------------------------------------------------


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
        "lang": _language(),
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
    return _render(request, "tracker/app/offline.html", {"nav": ""})
