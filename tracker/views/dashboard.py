"""The therapist dashboard: the caseload, one patient's page, and acknowledging/resolving flags.

Server-rendered and readable without JavaScript. Therapists see their care-team patients and
act on flags; a clinic admin reads their clinic's patients; anyone else is refused (403), and a
patient or flag the user may not see is 404, like one that does not exist.
"""

from datetime import date, timedelta
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tracker.models import AuditAction, User
from tracker.selectors import flag_get, patient_get
from tracker.selectors.caseload_rows import caseload_rows
from tracker.selectors.dashboard import caseload_filter_options, caseload_page
from tracker.selectors.flag_answers import flag_answers
from tracker.selectors.messages import caseload_unread_counts
from tracker.selectors.patient_contact import contact_card
from tracker.selectors.patient_page import CHART_RANGES, patient_page
from tracker.selectors.patient_record import patient_record
from tracker.services.audit import audit_record, audit_record_reads
from tracker.services.flag_actions import flag_acknowledge, flag_resolve
from tracker.views.signed_in import SignedInRequest

NOTE_MAX_LENGTH = 2000
# A Monday to Sunday, for the calendar's column headers in the active language (|date:"D").
WEEKDAYS = [date(2024, 1, 1) + timedelta(days=n) for n in range(7)]


def _require_staff(user: User) -> None:
    if not (user.is_therapist or user.is_clinic_admin):
        raise PermissionDenied


class CaseloadFilterForm(forms.Form):
    flagged = forms.BooleanField(label=gettext_lazy("Flagged only"), required=False)
    programme = forms.ChoiceField(label=gettext_lazy("Programme"), required=False)
    clinic = forms.ChoiceField(label=gettext_lazy("Clinic"), required=False)

    def __init__(self, *args, templates, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        programme = self.fields["programme"]
        clinic = self.fields["clinic"]
        assert isinstance(programme, forms.ChoiceField) and isinstance(clinic, forms.ChoiceField)
        programme.choices = [
            every,
            *((t.key, t.localized("name")) for t in templates),
        ]
        clinic.choices = [every, *((str(c.public_id), c.name) for c in clinics)]


@login_required
@require_GET
def caseload(request: SignedInRequest) -> HttpResponse:
    _require_staff(request.user)
    templates, clinics = caseload_filter_options(user=request.user)
    form = CaseloadFilterForm(request.GET, templates=templates, clinics=clinics)
    filters = form.cleaned_data if form.is_valid() else {}
    page = caseload_page(
        user=request.user,
        page_number=request.GET.get("page"),
        is_flagged_only=filters.get("flagged", False),
        template_key=filters.get("programme", ""),
        clinic_id=UUID(filters["clinic"]) if filters.get("clinic") else None,
    )
    profiles = list(page.object_list)
    rows = caseload_rows(profiles=profiles, templates={t.pk: t for t in templates})
    audit_record_reads(actor=request.user, profiles=profiles, object_type="patient")
    # The header's counts and the rows' unread messages in one statement; the header's tags
    # read the first two from the request (tracker/templatetags/dashboard.py, conversation.py).
    unread = caseload_unread_counts(
        user=request.user, patient_ids=[profile.user_id for profile in profiles]
    )
    request.staff_unread_alerts = unread.alerts  # type: ignore[attr-defined]
    request.unread_messages = unread.messages  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "show_clinics": len(clinics) > 1,
        "filter_query": query.urlencode(),
        "is_filtered": any(filters.values()) if filters else False,
        "nav": "caseload",
        "unread_messages": unread.by_patient,
    }
    return render(request, "tracker/dashboard/caseload.html", context)


def _range(request: HttpRequest) -> int:
    try:
        value = int(request.GET.get("range", ""))
    except ValueError:
        return CHART_RANGES[0]
    return value if value in CHART_RANGES else CHART_RANGES[0]


@login_required
@require_GET
def patient_detail(request: SignedInRequest, patient_id: UUID) -> HttpResponse:
    _require_staff(request.user)
    profile = patient_get(user=request.user, patient_id=patient_id)
    page = patient_page(
        user=request.user, profile=profile, range_days=_range(request), language=get_language()
    )
    # One row, one plain INSERT (audit_record): bulk_create's transaction would be two more
    # statements for a single event (issue 16).
    audit_record(
        actor=request.user,
        patient=profile.user,
        action=AuditAction.READ,
        object_type="patient",
        clinic_id=profile.clinic_id,
    )
    answers = flag_answers(patient=profile.user, flags=[entry.flag for entry in page.flags])
    context = {
        "p": page,
        # Each flag's card with the exact answers behind it (which box, which areas).
        "flag_cards": [(entry, answers.get(entry.flag.pk)) for entry in page.flags],
        "contact": contact_card(profile=profile, today=page.today, language=get_language()),
        "record": patient_record(patient=profile.user, page_number=request.GET.get("record")),
        "ranges": CHART_RANGES,
        "can_act": request.user.is_therapist,
        "note_max_length": NOTE_MAX_LENGTH,
        "weekdays": WEEKDAYS,
        "nav": "caseload",
    }
    return render(request, "tracker/dashboard/patient.html", context)


class FlagNoteForm(forms.Form):
    note = forms.CharField(max_length=NOTE_MAX_LENGTH, required=False, strip=True)
    # Resolving an urgent flag closes the record of a possible emergency: the page asks.
    confirm_urgent = forms.BooleanField(required=False)
    # Issue 12: the note also goes to the patient, as a message.
    send_to_patient = forms.BooleanField(required=False)
    range = forms.TypedChoiceField(
        choices=[(n, n) for n in CHART_RANGES], coerce=int, required=False, empty_value=None
    )


def _flag_action(
    request: SignedInRequest, flag_id: UUID, *, action, done: str, confirm: bool = False
) -> HttpResponse:
    if not request.user.is_therapist:
        raise PermissionDenied
    flag = flag_get(user=request.user, flag_id=flag_id)
    form = FlagNoteForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The note is too long (at most %(count)s characters).") % {"count": NOTE_MAX_LENGTH},
        )
    elif confirm and flag.is_urgent and not form.cleaned_data["confirm_urgent"]:
        messages.error(
            request, _("Tick the box to confirm that this urgent flag has been dealt with.")
        )
    else:
        try:
            action(
                flag=flag,
                by=request.user,
                note=form.cleaned_data["note"],
                send_to_patient=form.cleaned_data["send_to_patient"],
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, done)
    url = reverse("dashboard:patient-detail", args=[flag.patient.public_id])
    chosen = form.cleaned_data.get("range") if form.is_valid() else None
    if chosen and chosen != CHART_RANGES[0]:
        url += f"?range={chosen}"
    return HttpResponseRedirect(f"{url}#flag-{flag.public_id}")


@login_required
@require_POST
def flag_acknowledge_view(request: SignedInRequest, flag_id: UUID) -> HttpResponse:
    return _flag_action(request, flag_id, action=flag_acknowledge, done=_("Flag acknowledged."))


@login_required
@require_POST
def flag_resolve_view(request: SignedInRequest, flag_id: UUID) -> HttpResponse:
    return _flag_action(
        request, flag_id, action=flag_resolve, done=_("Flag resolved."), confirm=True
    )
