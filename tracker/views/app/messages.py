"""The patient's conversation with their care team (/app/messages/): read it, write to it.

Without JavaScript the composer is a plain form post; with it (messages.js) the message goes
through the phone's outbox like a session, with its own Idempotency-Key, and is sent once.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tracker.models import MESSAGE_MAX_LENGTH, AuditAction, PatientProfile
from tracker.selectors import patient_app
from tracker.selectors.messages import about_choices, conversation_messages, read_marker
from tracker.services.audit import audit_record
from tracker.services.messages import (
    ABOUT_KINDS,
    About,
    conversation_mark_read,
    conversation_of,
    message_send,
)
from tracker.views.app.common import page_language, patient_only, render_page
from tracker.views.signed_in import SignedInRequest


def about_from_form(value: str) -> About | None:
    """ "<kind>:<uuid>" from the composer's select; anything else is a 400 naming the field."""
    if not value:
        return None
    kind, _sep, raw = value.partition(":")
    try:
        if kind not in ABOUT_KINDS:
            raise ValueError
        return About(kind=kind, id=UUID(raw))
    except ValueError:
        raise ValidationError(
            {"about": [_("Choose one of your own check-ins, sessions or exercises.")]}
        ) from None


@never_cache
@require_http_methods(["GET", "POST"])
@patient_only
def messages_page(request: SignedInRequest, profile: PatientProfile) -> HttpResponse:
    errors: list[str] = []
    body = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            message_send(
                patient=profile.user,
                author=request.user,
                body=body,
                about=about_from_form(request.POST.get("about", "")),
                client_key=request.POST.get("client_key", "")[:255],
            )
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect(f"{request.path}?sent=1#latest")
    # What the patient had not read yet is marked before this page shows it as new.
    marker = read_marker(patient=profile.user, user=request.user)
    conversation_mark_read(conversation=conversation_of(patient=profile.user), user=request.user)
    # Everything up to the latest message is read now: the navigation's unread badge (the
    # layout's message_unread_count) has nothing to count, so it is not counted again.
    request.unread_messages = 0  # type: ignore[attr-defined]  # read by message_unread_count
    audit_record(
        actor=request.user,
        patient=profile.user,
        action=AuditAction.READ,
        object_type="message",
        object_id=profile.user.public_id,
        clinic_id=profile.clinic_id,
    )
    language = page_language()
    context = {
        "conversation": conversation_messages(patient=profile.user),
        "read_up_to": marker,
        "reader_side": "patient",
        "about_choices": about_choices(
            patient=profile.user, today=patient_app.local_today(profile), language=language
        ),
        "chosen_about": request.POST.get("about", "") or request.GET.get("about", ""),
        "body": body,
        "errors": errors,
        "sent": request.GET.get("sent") == "1" and not errors,
        "max_length": MESSAGE_MAX_LENGTH,
        "api_url": f"/api/v1/patients/{profile.user.public_id}/messages/",
        "nav": "messages",
    }
    return render_page(request, "tracker/app/messages.html", context, status=400 if errors else 200)
