"""Reminder settings, the inbox and the first-run screen."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from reminders import services as reminder_services
from reminders.models import Kind
from tracker.forms import (
    CHANNEL_CHOICES,
    WEEKDAY_CHOICES,
    CheckInReminderForm,
    StandUpForm,
    add_service_errors,
)
from tracker.models import PatientProfile
from tracker.selectors import patient_app
from tracker.views.app.common import (
    APP_URL,
    CHECKIN_URL,
    patient_only,
    render_page,
)


def _reminder_forms(
    patient, data=None, schedules: patient_app.Schedules | None = None
) -> tuple[StandUpForm, CheckInReminderForm]:
    """The forms, filled from the patient's schedules or, before they have one, from the
    defaults a new schedule starts with (written once, in reminders)."""
    stand_up, checkin_schedule = schedules or patient_app.patient_schedules(patient=patient)
    stand_up = stand_up or reminder_services.reminder_schedule_defaults(kind=Kind.STAND_UP)
    checkin_schedule = checkin_schedule or (
        reminder_services.reminder_schedule_defaults(kind=Kind.CHECKIN)
    )
    return (
        StandUpForm(data, initial=StandUpForm.initial_from(stand_up)),
        CheckInReminderForm(data, initial=CheckInReminderForm.initial_from(checkin_schedule)),
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
    order, quiet hours complete), place the next reminder, and keep the check-in reminder on the
    stand-up's channels and quiet hours, as they do for the API."""
    common = {"timezone": profile.timezone, "language": profile.language}
    with transaction.atomic():
        reminder_services.reminder_schedule_upsert(
            user=profile.user,
            kind=Kind.STAND_UP,
            url=APP_URL,
            **common,
            **stand_up_form.schedule_fields(),
        )
        reminder_services.reminder_schedule_upsert(
            user=profile.user,
            kind=Kind.CHECKIN,
            url=CHECKIN_URL,
            **common,
            **checkin_form.schedule_fields(),
        )


def _save_reminder_post(
    request: HttpRequest, profile: PatientProfile, schedules: patient_app.Schedules | None
):
    """(stand-up form, check-in form, saved?)"""
    stand_up_form, checkin_form = _reminder_forms(profile.user, request.POST, schedules)
    if stand_up_form.is_valid() and checkin_form.is_valid():
        try:
            _reminders_save(profile, stand_up_form, checkin_form)
        except ValidationError as error:
            add_service_errors(stand_up_form, error)
        else:
            return stand_up_form, checkin_form, True
    return stand_up_form, checkin_form, False


def _settings_page(
    request: HttpRequest,
    profile: PatientProfile,
    *,
    template: str,
    saved: str,
    then: str,
    context: dict,
    schedules: patient_app.Schedules | None = None,
) -> HttpResponse:
    """The reminder settings form, on the Reminders page and on the first-run screen alike:
    saved, a message and on to `then`; refused, the forms again with their errors (400).
    `schedules`: the patient's, when the caller has read them already."""
    status = 200
    if request.method == "POST":
        stand_up_form, checkin_form, is_saved = _save_reminder_post(request, profile, schedules)
        if is_saved:
            messages.success(request, saved)
            return redirect(then)
        status = 400
    else:
        stand_up_form, checkin_form = _reminder_forms(profile.user, schedules=schedules)
    context = {**context, **_reminder_context(stand_up_form, checkin_form)}
    return render_page(request, template, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@patient_only
def reminders(request: HttpRequest, profile: PatientProfile) -> HttpResponse:
    schedules = patient_app.patient_schedules(patient=profile.user)
    page = patient_app.patient_reminders(patient=profile.user, schedules=schedules)
    return _settings_page(
        request,
        profile,
        template="tracker/app/reminders.html",
        saved=_("Your reminder settings are saved."),
        then="app:reminders",
        context={"page": page, "nav": "reminders"},
        schedules=schedules,
    )


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
    return _settings_page(
        request,
        profile,
        template="tracker/app/welcome.html",
        saved=_("All set. Here is what to do today."),
        then="app:today",
        context={"profile": profile, "nav": ""},
    )
