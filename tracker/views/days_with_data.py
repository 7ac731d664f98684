"""The clinic's days-with-data table, as a page and as CSV (clinic admins)."""

import csv
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tracker.models import AuditAction
from tracker.selectors.days_with_data import (
    DEFAULT_PERIODS,
    MAX_PERIODS,
    PERIOD_DAYS,
    US_RPM_DAYS,
    clinic_days_with_data,
)
from tracker.services.audit import audit_record, audit_record_reads
from tracker.views.signed_in import SignedInRequest


class DaysWithDataForm(forms.Form):
    end = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    periods = forms.IntegerField(required=False, min_value=1, max_value=MAX_PERIODS)


def _table(request: SignedInRequest):
    if not (request.user.is_clinic_admin and request.user.clinic_id is not None):
        raise PermissionDenied
    form = DaysWithDataForm(request.GET)
    if not form.is_valid():
        lines = [f"{name}: {m}" for name, messages in form.errors.items() for m in messages]
        return (
            None,
            form,
            HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8"),
        )
    end = form.cleaned_data["end"] or timezone.localdate()
    periods = form.cleaned_data["periods"] or DEFAULT_PERIODS
    return clinic_days_with_data(user=request.user, end=end, periods=periods), form, None


@login_required
@require_GET
def days_with_data(request: SignedInRequest) -> HttpResponse:
    table, form, error = _table(request)
    if error is not None:
        return error
    audit_record_reads(
        actor=request.user,
        profiles=[row.profile for row in table.rows],
        object_type="days_with_data",
    )
    context = {
        "table": table,
        "form": form,
        "end": table.periods[-1].end,
        "period_days": PERIOD_DAYS,
        "rpm_days": US_RPM_DAYS,
        "query": request.GET.urlencode(),
        "nav": "days-with-data",
    }
    return render(request, "tracker/dashboard/days_with_data.html", context)


@login_required
@require_GET
def days_with_data_csv(request: SignedInRequest) -> HttpResponse:
    table, _form, error = _table(request)
    if error is not None:
        return error
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["patient_id", "patient", *(f"{p.start:%Y-%m-%d}..{p.end:%Y-%m-%d}" for p in table.periods)]
    )
    for row in table.rows:
        writer.writerow([row.profile.user.public_id, row.profile.display_name, *row.counts])
        audit_record(
            actor=request.user,
            patient=row.profile.user,
            action=AuditAction.EXPORT,
            object_type="days_with_data",
            clinic_id=row.profile.clinic_id,
        )
    writer.writerow([])
    writer.writerow(
        [
            _(
                "Days with a check-in or an exercise session in each %(days)s-day period. For "
                "context: the US remote-monitoring codes count %(rpm)s of 30 days; this is not "
                "billing advice."
            )
            % {"days": PERIOD_DAYS, "rpm": US_RPM_DAYS}
        ]
    )
    response = HttpResponse(
        out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="days-with-data.csv"'
    return response
