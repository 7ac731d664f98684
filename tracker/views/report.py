"""The progress report PDF of one patient (/therapist/patients/<id>/report.pdf)."""

from datetime import timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from reminders.languages import language_code
from tracker.models import AuditAction
from tracker.patient_calendar import local_today
from tracker.selectors import patient_get
from tracker.selectors.report import REPORT_DEFAULT_DAYS, REPORT_MAX_DAYS, progress_report
from tracker.services.audit import audit_record
from tracker.services.reports import report_pdf
from tracker.views.signed_in import SignedInRequest

# lang=patient or therapist (the reader's own language), or a language code.
LANGUAGE_CHOICES = [
    ("patient", _("The patient's language")),
    ("therapist", _("My language")),
    ("zh-hans", "中文"),
    ("en", "English"),
]


class ReportForm(forms.Form):
    # `from` is a Python keyword: the form reads it under its URL name via add_prefix below.
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    lang = forms.ChoiceField(choices=LANGUAGE_CHOICES, required=False)

    def add_prefix(self, field_name):
        return "from" if field_name == "start" else field_name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("to")
        if start and end:
            if start > end:
                self.add_error("start", _("The start date is after the end date."))
            elif (end - start).days + 1 > REPORT_MAX_DAYS:
                self.add_error(
                    "start", _("A report covers at most %(days)s days.") % {"days": REPORT_MAX_DAYS}
                )
        return data


def _bad_request(form: ReportForm) -> HttpResponse:
    lines = [
        f"{'from' if name == 'start' else name}: {message}"
        for name, messages in form.errors.items()
        for message in messages
    ]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def patient_report_pdf(request: SignedInRequest, patient_id: UUID) -> HttpResponse:
    if not (request.user.is_therapist or request.user.is_clinic_admin):
        raise PermissionDenied
    profile = patient_get(user=request.user, patient_id=patient_id)
    form = ReportForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    today = local_today(profile)
    end = form.cleaned_data["to"] or today
    start = form.cleaned_data["start"] or end - timedelta(days=REPORT_DEFAULT_DAYS - 1)
    if form.cleaned_data["to"] is None and start > end:
        end = start
    if (end - start).days + 1 > REPORT_MAX_DAYS:
        start = end - timedelta(days=REPORT_MAX_DAYS - 1)
    choice = form.cleaned_data["lang"] or "therapist"
    if choice == "patient":
        language = profile.language
    elif choice == "therapist":
        language = language_code()
    else:
        language = choice
    report = progress_report(profile=profile, start=start, end=end, language=language)
    pdf = report_pdf(report=report)
    audit_record(
        actor=request.user,
        patient=profile.user,
        action=AuditAction.EXPORT,
        object_type="progress_report",
        object_id=profile.user.public_id,
        clinic_id=profile.clinic_id,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="progress-report-{start:%Y%m%d}-{end:%Y%m%d}.pdf"'
    )
    return response
