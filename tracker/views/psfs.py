"""A therapist adds or rewords a patient's PSFS activity from the patient page."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracker.models import PsfsActivity
from tracker.selectors import _parse_uuid, patient_get
from tracker.services.psfs import psfs_activity_add, psfs_activity_update
from tracker.views.signed_in import SignedInRequest


@login_required
@require_POST
def patient_psfs_activity(request: SignedInRequest, patient_id: UUID) -> HttpResponse:
    if not request.user.is_therapist:
        raise PermissionDenied
    profile = patient_get(user=request.user, patient_id=patient_id)
    text = request.POST.get("text", "")
    try:
        if request.POST.get("activity"):
            activity = PsfsActivity.objects.filter(
                patient=profile.user, public_id=_parse_uuid(request.POST["activity"])
            ).first()
            if activity is None:
                raise ValidationError(_("Not one of this patient's activities."))
            psfs_activity_update(activity=activity, text=text, by=request.user)
        else:
            psfs_activity_add(patient=profile.user, text=text, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("PSFS activity saved."))
    url = reverse("dashboard:patient-detail", args=[profile.user.public_id])
    return HttpResponseRedirect(f"{url}#psfs-heading")
