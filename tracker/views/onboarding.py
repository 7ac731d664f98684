"""Onboarding pages (issue 10): a therapist adds a patient and invites them; the invitee opens
the link (or types the code) and sets their own password; the care team gains or loses a
colleague. Every write is a service call (tracker.services.invitations, .care_team)."""

from datetime import date
from typing import Any
from uuid import UUID
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from exercises.models import ProgrammeTemplate
from tracker.forms import add_service_errors
from tracker.models import DEFAULT_TIMEZONE, Condition, Invitation, InvitationKind, Language, User
from tracker.selectors import patient_get
from tracker.selectors.invitations import invitation_get
from tracker.services.audit import audit_record_reads
from tracker.services.auth import client_address
from tracker.services.care_team import care_team_add, care_team_remove
from tracker.services.invitation_guesses import GuessesThrottled
from tracker.services.invitations import (
    InvitationUnusable,
    IssuedInvitation,
    invitation_accept,
    invitation_find,
    invitation_qr_svg,
    invitation_revoke,
    invitation_state,
    invitation_url,
    patient_invitation_resend,
    patient_invite,
)
from tracker.views.signed_in import SignedInRequest

# The one-time secrets of the invitation just made, kept in the session only until the page
# that shows them has been seen (then they are gone; "re-send" makes new ones).
SHOWN_ONCE = "invitation-shown-once"

COMMON_ZONES = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Europe/London"]


def _zone_choices() -> list[tuple[str, str]]:
    rest = sorted(available_timezones() - set(COMMON_ZONES))
    return [(zone, zone.replace("_", " ")) for zone in [*COMMON_ZONES, *rest]]


class NewPatientForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=32, required=False)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        help_text=gettext_lazy("The invitation is sent here. Without one, show the code."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=Language.choices)
    timezone = forms.ChoiceField(label=gettext_lazy("Time zone"), initial=DEFAULT_TIMEZONE)
    date_of_birth = forms.DateField(label=gettext_lazy("Date of birth"), required=False)
    conditions = forms.MultipleChoiceField(
        label=gettext_lazy("Conditions"),
        choices=Condition.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_pregnant = forms.BooleanField(label=gettext_lazy("Pregnant"), required=False)
    due_on = forms.DateField(label=gettext_lazy("Due date"), required=False)
    postpartum_on = forms.DateField(label=gettext_lazy("Gave birth on"), required=False)
    episode_started_on = forms.DateField(
        label=gettext_lazy("This pain episode began on"),
        required=False,
        help_text=gettext_lazy(
            "Decides the phase: acute for the first 14 days, recovery after (A3). "
            "Leave empty for recovery."
        ),
    )
    template = forms.ChoiceField(label=gettext_lazy("Start from a programme"), required=False)

    def __init__(self, *args: Any, templates: list[ProgrammeTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.fields["timezone"]
        template = self.fields["template"]
        assert isinstance(zone, forms.ChoiceField) and isinstance(template, forms.ChoiceField)
        zone.choices = _zone_choices()
        template.choices = [
            ("", _("None for now")),
            *((t.key, t.localized("name")) for t in templates),
        ]
        for name in ("date_of_birth", "due_on", "postpartum_on", "episode_started_on"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})


def _require_therapist(user: User) -> None:
    if not user.is_therapist:
        raise PermissionDenied


def _remember(request: HttpRequest, issued: IssuedInvitation) -> HttpResponse:
    request.session[SHOWN_ONCE] = {
        "id": str(issued.invitation.public_id),
        "token": issued.token,
        "code": issued.code,
    }
    return HttpResponseRedirect(
        reverse("dashboard:invitation-detail", args=[issued.invitation.public_id])
    )


@login_required
@require_http_methods(["GET", "POST"])
def patient_new(request: SignedInRequest) -> HttpResponse:
    _require_therapist(request.user)
    templates = list(ProgrammeTemplate.objects.order_by("key"))
    form = NewPatientForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        template_key = data.pop("template")
        try:
            _profile, issued = patient_invite(
                therapist=request.user, template_key=template_key, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _remember(request, issued)
    status = 400 if form.errors else 200
    context = {"form": form, "nav": "patient-new"}
    return render(request, "tracker/onboarding/patient_new.html", context, status=status)


@login_required
@never_cache
def invitation_detail(request: SignedInRequest, invitation_id: UUID) -> HttpResponse:
    """The invitation just made (link, code, QR), or, seen again later, only its state."""
    invitation = invitation_get(user=request.user, invitation_id=invitation_id)
    shown = request.session.get(SHOWN_ONCE) or {}
    secrets = None
    if shown.get("id") == str(invitation.public_id) and invitation_state(invitation) == "open":
        del request.session[SHOWN_ONCE]
        url = invitation_url(shown["token"])
        code = shown["code"]
        secrets = {
            "url": url,
            "code": f"{code[:4]}-{code[4:]}",
            "qr": invitation_qr_svg(url),
            "code_page": f"{settings.SITE_URL}{reverse('invite-code')}",
        }
    if invitation.kind == InvitationKind.PATIENT and invitation.user is not None:
        audit_record_reads(
            actor=request.user,
            profiles=[invitation.user.patient_profile],
            object_type="invitation",
        )
    context = {
        "invitation": invitation,
        "state": invitation_state(invitation),
        "secrets": secrets,
        "nav": "clinic" if invitation.kind == InvitationKind.THERAPIST else "caseload",
    }
    return render(request, "tracker/onboarding/invitation.html", context)


@login_required
@require_POST
def invitation_resend(request: SignedInRequest, patient_id: UUID) -> HttpResponse:
    _require_therapist(request.user)
    profile = patient_get(user=request.user, patient_id=patient_id)
    try:
        issued = patient_invitation_resend(profile=profile, therapist=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(reverse("dashboard:patient-detail", args=[patient_id]))
    return _remember(request, issued)


@login_required
@require_POST
def invitation_revoke_view(request: SignedInRequest, invitation_id: UUID) -> HttpResponse:
    invitation: Invitation = invitation_get(user=request.user, invitation_id=invitation_id)
    allowed = (
        request.user.is_therapist
        if invitation.kind == InvitationKind.PATIENT
        else request.user.is_clinic_admin
    )
    if not allowed:
        raise PermissionDenied
    try:
        invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Invitation withdrawn: the link and the code no longer work."))
    return HttpResponseRedirect(reverse("dashboard:invitation-detail", args=[invitation_id]))


class CareTeamForm(forms.Form):
    therapist = forms.UUIDField()


@login_required
@require_POST
def care_team_change(request: SignedInRequest, patient_id: UUID, action: str) -> HttpResponse:
    _require_therapist(request.user)
    profile = patient_get(user=request.user, patient_id=patient_id)
    form = CareTeamForm(request.POST)
    change = care_team_add if action == "add" else care_team_remove
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a colleague."))
        change(profile=profile, actor=request.user, therapist_id=form.cleaned_data["therapist"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Care team updated."))
    url = reverse("dashboard:patient-detail", args=[patient_id])
    if (
        action == "remove"
        and form.is_valid()
        and form.cleaned_data["therapist"] == (request.user.public_id)
    ):
        # Left the care team: the patient page is no longer theirs to see.
        return HttpResponseRedirect(reverse("dashboard:caseload"))
    return HttpResponseRedirect(f"{url}#care-team-heading")


# --- the invitee's side: anonymous pages -------------------------------------------------------


class AcceptForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    password = forms.CharField(
        label=gettext_lazy("Choose a password"), widget=forms.PasswordInput, strip=False
    )
    password_again = forms.CharField(
        label=gettext_lazy("The same password again"), widget=forms.PasswordInput, strip=False
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Invitation code"), max_length=20)


REASONS = {
    "unknown": gettext_lazy(
        "This link or code is not one we know. Check it, or ask for a new one."
    ),
    "expired": gettext_lazy("This invitation has expired (they last 7 days). Ask for a new one."),
    "used": gettext_lazy("This invitation has been used already. Sign in instead."),
    "revoked": gettext_lazy("This invitation was replaced by a newer one. Use the latest e-mail."),
}


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    context = {"reason": REASONS.get(reason, REASONS["unknown"]), "kind": reason}
    status = 404 if reason == "unknown" else 410
    return render(request, "tracker/onboarding/invite_unusable.html", context, status=status)


def _throttled(request: HttpRequest, wait_seconds: int) -> HttpResponse:
    minutes = max(1, -(-wait_seconds // 60))
    context = {
        "reason": _("Too many tries. Wait %(minutes)s minutes, then try again.")
        % {"minutes": minutes},
        "kind": "throttled",
    }
    response = render(request, "tracker/onboarding/invite_unusable.html", context, status=429)
    response["Retry-After"] = str(wait_seconds)
    return response


def _accept(
    request: HttpRequest, invitation: Invitation, *, form: AcceptForm, code: str = ""
) -> HttpResponse:
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except InvitationUnusable as unusable:
            return _unusable(request, unusable.reason)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            home = "app:welcome" if user.is_patient else "dashboard:caseload"
            return HttpResponseRedirect(reverse(home))
    context = {"invitation": invitation, "form": form, "code": code, "today": date.today()}
    status = 400 if form.errors else 200
    return render(request, "tracker/onboarding/invite_accept.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_find(address=client_address(request), token=token)
    except GuessesThrottled as throttled:
        return _throttled(request, throttled.wait_seconds)
    except InvitationUnusable as unusable:
        return _unusable(request, unusable.reason)
    initial = {"username": invitation.email}
    form = AcceptForm(request.POST or None, initial=initial)
    return _accept(request, invitation, form=form)


@never_cache
@require_http_methods(["GET", "POST"])
def invite_code(request: HttpRequest) -> HttpResponse:
    """Type the short code; then, on the same page, choose a username and password."""
    code_form = CodeForm(request.POST or None)
    if request.method == "POST" and code_form.is_valid():
        try:
            invitation = invitation_find(
                address=client_address(request), code=code_form.cleaned_data["code"]
            )
        except GuessesThrottled as throttled:
            return _throttled(request, throttled.wait_seconds)
        except InvitationUnusable as unusable:
            if unusable.reason != "unknown":
                return _unusable(request, unusable.reason)
            code_form.add_error("code", REASONS["unknown"])
        else:
            bound = "username" in request.POST
            form = AcceptForm(
                request.POST if bound else None, initial={"username": invitation.email}
            )
            return _accept(request, invitation, form=form, code=code_form.cleaned_data["code"])
    status = 400 if code_form.errors else 200
    context = {"form": code_form}
    return render(request, "tracker/onboarding/invite_code.html", context, status=status)
