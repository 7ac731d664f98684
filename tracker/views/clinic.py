"""The clinic admin's page (issue 10): the clinic's therapists and patients, and inviting a
therapist. Everything is scoped to the admin's own clinic."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from reminders.languages import language_code
from tracker.forms import add_service_errors
from tracker.models import Language, User
from tracker.selectors.invitations import (
    clinic_patients,
    clinic_therapist_invitations,
    clinic_therapists,
)
from tracker.services.audit import audit_record_reads
from tracker.services.invitations import invitation_state, therapist_invite
from tracker.views.onboarding import _remember
from tracker.views.signed_in import SignedInRequest


def _require_clinic_admin(user: User) -> None:
    if not (user.is_clinic_admin and user.clinic_id is not None):
        raise PermissionDenied


class TherapistInviteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=Language.choices)


@login_required
@require_GET
def clinic_home(request: SignedInRequest) -> HttpResponse:
    _require_clinic_admin(request.user)
    patients = list(clinic_patients(admin=request.user))
    audit_record_reads(actor=request.user, profiles=patients, object_type="patient")
    invitations = [
        (invitation, invitation_state(invitation))
        for invitation in clinic_therapist_invitations(admin=request.user)[:50]
    ]
    context = {
        "clinic": request.user.clinic,
        "therapists": clinic_therapists(admin=request.user),
        "patients": patients,
        "invitations": invitations,
        "nav": "clinic",
    }
    return render(request, "tracker/clinic/clinic.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def therapist_invite_view(request: SignedInRequest) -> HttpResponse:
    _require_clinic_admin(request.user)
    language = language_code()
    form = TherapistInviteForm(request.POST or None, initial={"language": language})
    if request.method == "POST" and form.is_valid():
        try:
            issued = therapist_invite(admin=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _remember(request, issued)
    status = 400 if form.errors else 200
    context = {"form": form, "clinic": request.user.clinic, "nav": "clinic"}
    return render(request, "tracker/clinic/invite.html", context, status=status)
