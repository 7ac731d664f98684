"""The patient's PSFS page (/app/psfs/): name up to five activities and rate them 0-10."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tracker.models import PsfsActivity
from tracker.selectors import patient_app
from tracker.selectors.psfs import psfs_summary
from tracker.services.audit import audit_record
from tracker.services.psfs import psfs_activity_add, psfs_rate
from tracker.templatetags.outcomes import PHONE_CHART_WIDTH
from tracker.views.app.common import patient_only, render_page
from tracker.views.signed_in import SignedInRequest


def _scores(request: SignedInRequest, activities: list[PsfsActivity]) -> dict[PsfsActivity, int]:
    scores = {}
    for activity in activities:
        raw = request.POST.get(f"score-{activity.public_id}", "")
        if raw == "":
            continue
        try:
            scores[activity] = int(raw)
        except ValueError:
            raise ValidationError(_("Choose a number from 0 to 10 for each activity.")) from None
    return scores


@never_cache
@require_http_methods(["GET", "POST"])
@patient_only
def psfs(request: SignedInRequest, profile) -> HttpResponse:
    today = patient_app.local_today(profile)
    errors: list[str] = []
    if request.method == "POST":
        activities = list(PsfsActivity.objects.filter(patient=profile.user))
        try:
            if request.POST.get("action") == "add":
                psfs_activity_add(
                    patient=profile.user, text=request.POST.get("text", ""), by=request.user
                )
            else:
                psfs_rate(
                    patient=profile.user,
                    scores=_scores(request, activities),
                    on=today,
                    by=request.user,
                )
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect(f"{request.path}?saved=1")
    else:
        audit_record(
            actor=request.user,
            patient=profile.user,
            action="read",
            object_type="psfs",
            object_id=profile.user.public_id,
            clinic_id=profile.clinic_id,
        )
    summary = psfs_summary(patient=profile.user, today=today)
    context = {
        "psfs": summary,
        "psfs_chart": summary.chart(width=PHONE_CHART_WIDTH),
        "scores": range(11),
        "errors": errors,
        "saved": request.GET.get("saved") == "1" and not errors,
        "nav": "progress",
    }
    return render_page(request, "tracker/app/psfs.html", context, status=400 if errors else 200)
