"""The therapist's side of messages (issue 12): the conversations of the caseload, one
conversation with its reply form, and the choice of how new messages arrive.

Therapists on the patient's care team only: a clinic admin is refused (403), another
therapist's patient is a 404 like one that does not exist. Reads and writes are audited.
"""

from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.models import MESSAGE_MAX_LENGTH, AuditAction, MessageDelivery, User
from tracker.selectors import patient_get
from tracker.selectors.messages import (
    conversation_messages,
    conversations_for_therapist,
    message_delivery_of,
    read_marker,
    reader_zone,
)
from tracker.selectors.patient_contact import timezone_in_words
from tracker.services.audit import audit_record
from tracker.services.messages import (
    conversation_mark_read,
    conversation_of,
    message_send,
    message_settings_set,
)
from tracker.views.signed_in import SignedInRequest


def _require_therapist(user: User) -> None:
    if not user.is_therapist:
        raise PermissionDenied


def _zone_words(user: User) -> tuple[ZoneInfo, str]:
    zone = reader_zone(user=user)
    return zone, timezone_in_words(str(zone), language=get_language() or "zh-hans")


@login_required
@require_http_methods(["GET", "POST"])
def patient_messages(request: SignedInRequest, patient_id: UUID) -> HttpResponse:
    _require_therapist(request.user)
    profile = patient_get(user=request.user, patient_id=patient_id)
    errors: list[str] = []
    body = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            message_send(patient=profile.user, author=request.user, body=body)
        except ValidationError as error:
            errors = error.messages
        else:
            flash.success(request, _("Message sent."))
            back = request.POST.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return HttpResponseRedirect(f"{back.split('#')[0]}#messages")
            return HttpResponseRedirect(f"{request.path}#latest")
    marker = read_marker(patient=profile.user, user=request.user)
    conversation_mark_read(conversation=conversation_of(patient=profile.user), user=request.user)
    audit_record(
        actor=request.user,
        patient=profile.user,
        action=AuditAction.READ,
        object_type="message",
        object_id=profile.user.public_id,
        clinic_id=profile.clinic_id,
    )
    zone, words = _zone_words(request.user)
    with timezone.override(zone):
        return render(
            request,
            "tracker/messages/conversation.html",
            {
                "profile": profile,
                "conversation": conversation_messages(patient=profile.user),
                "read_up_to": marker,
                "reader_side": "care_team",
                "zone_words": words,
                "errors": errors,
                "body": body,
                "max_length": MESSAGE_MAX_LENGTH,
                "nav": "messages",
            },
            status=400 if errors else 200,
        )


@login_required
@require_GET
def messages_inbox(request: SignedInRequest) -> HttpResponse:
    _require_therapist(request.user)
    zone, words = _zone_words(request.user)
    return render(
        request,
        "tracker/messages/inbox.html",
        {
            "rows": conversations_for_therapist(user=request.user),
            "zone": zone,
            "zone_words": words,
            "delivery": message_delivery_of(user=request.user),
            "delivery_choices": MessageDelivery.choices,
            "nav": "messages",
        },
    )


@login_required
@require_POST
def message_settings(request: SignedInRequest) -> HttpResponse:
    _require_therapist(request.user)
    try:
        message_settings_set(user=request.user, delivery=request.POST.get("delivery", ""))
    except ValidationError as error:
        for text in error.messages:
            flash.error(request, text)
    else:
        flash.success(request, _("Saved."))
    return HttpResponseRedirect(reverse("dashboard:messages"))
