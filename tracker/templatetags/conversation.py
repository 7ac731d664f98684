"""Template helpers for messages (issue 12): unread badges, who wrote what, the patient page's
panel of the conversation."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tracker.models import AuthorSide, Message, PatientProfile, User
from tracker.selectors.messages import (
    about_label,
    author_name,
    conversation_messages,
    messages_unread_count,
    reader_zone,
    staff_unread_counts,
)
from tracker.services.audit import audit_record

register = template.Library()
# The patient page shows the latest few; the conversation page shows them all.
PANEL_MESSAGES = 3


@register.simple_tag(takes_context=True)
def staff_unread_alerts(context: template.Context) -> int:
    """The header's unread inbox alerts of a therapist or clinic admin; for a therapist the same
    query counts their unread messages, kept for the Messages link beside it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return 0
    if not (user.is_therapist or user.is_clinic_admin):
        return 0
    alerts, messages = staff_unread_counts(user=user)
    request.unread_messages = messages
    return alerts


@register.simple_tag(takes_context=True)
def message_unread_count(context: template.Context) -> int:
    """Unread messages of the signed-in patient or therapist, for the navigation (one COUNT,
    or none when the header's query already counted them)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return 0
    if hasattr(request, "unread_messages"):
        return request.unread_messages
    return messages_unread_count(user=user)


@register.simple_tag(takes_context=True)
def message_author(context: template.Context, message: Message) -> str:
    """ "You" for the reader's own messages; else the patient's or the therapist's name."""
    user = context["request"].user
    if message.author_id == user.pk:
        return _("You")
    name = author_name(message, language=get_language() or "zh-hans")
    if message.side == AuthorSide.CARE_TEAM and user.is_patient:
        return _("%(name)s (your care team)") % {"name": name}
    return name


@register.simple_tag
def message_about(message: Message) -> str:
    return about_label(message, language=get_language() or "zh-hans")


@register.inclusion_tag("tracker/messages/_patient_panel.html", takes_context=True)
def patient_messages_panel(context: template.Context, profile: PatientProfile) -> dict:
    """The latest messages on the therapist's patient page, with the reply form; reading them
    is an audit event of the patient's record."""
    user: User = context["request"].user
    if not user.is_therapist:
        return {"show": False}
    messages = conversation_messages(patient=profile.user, reader=user)
    audit_record(
        actor=user,
        patient=profile.user,
        action="read",
        object_type="message",
        object_id=profile.user.public_id,
        clinic_id=profile.clinic_id,
    )
    marker = messages[0].reader_read_up_to if messages else 0  # type: ignore[attr-defined]  # annotated by conversation_messages(reader=)
    return {
        "show": True,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "profile": profile,
        "conversation": messages[-PANEL_MESSAGES:],
        "total": len(messages),
        "unread": sum(1 for m in messages if m.side == AuthorSide.PATIENT and m.pk > marker),
        "read_up_to": marker,
        "reader_side": AuthorSide.CARE_TEAM,
        "zone": reader_zone(user=user),
        "next": context["request"].get_full_path(),
    }
