"""Template helpers for messages (issue 12): unread badges, who wrote what, the patient page's
panel of the conversation."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reminders.languages import is_english
from tracker.models import AuthorSide, Flag, Message, PatientProfile, User
from tracker.selectors.message_panel import Panel, PanelMessage, therapist_panel
from tracker.selectors.messages import (
    about_label,
    author_name,
    messages_unread_count,
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
    panel = therapist_panel(patient=profile.user, reader=user, limit=PANEL_MESSAGES)
    audit_record(
        actor=user,
        patient=profile.user,
        action="read",
        object_type="message",
        object_id=profile.user.public_id,
        clinic_id=profile.clinic_id,
    )
    return {
        "show": True,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "profile": profile,
        "conversation_html": panel_conversation_html(panel, reader=user),
        "shown": len(panel.messages),
        "total": panel.total,
        "unread": panel.unread,
        "zone": panel.zone,
        "next": context["request"].get_full_path(),
    }


_FLAG_RULES = dict(Flag._meta.get_field("rule").flatchoices)


def _panel_about(message: PanelMessage, english: bool) -> str:
    """As `about_label`, from the panel's columns."""
    if message.checkin_date is not None:
        return _("Check-in of %(date)s") % {"date": message.checkin_date.isoformat()}
    if message.session_names is not None:
        name = message.session_names[0] if english else message.session_names[1]
        performed = message.performed_on.isoformat() if message.performed_on else ""
        return _("Session: %(exercise)s, %(date)s") % {"exercise": name, "date": performed}
    if message.item_names is not None:
        name = message.item_names[0] if english else message.item_names[1]
        return _("Programme exercise: %(exercise)s") % {"exercise": name}
    return ""


def _panel_message(message: PanelMessage, panel: Panel, reader: User, last: bool) -> str:
    """One message as tracker/messages/_conversation.html draws it for the care team: the same
    markup, byte for byte (tests/tracker/messages/test_panel_markup.py compares them)."""
    theirs = message.side != AuthorSide.CARE_TEAM
    new = theirs and message.pk > panel.read_up_to
    if message.author_id == reader.pk:
        author = _("You")
    elif message.author_name is None:
        author = _("A former member of your care team")
    else:
        author = message.author_name
    at = localtime(message.created_at, panel.zone)
    about = _panel_about(message, is_english(get_language()))
    about_html = (
        mark_safe(_("About: %(about)s") % {"about": conditional_escape(about)})  # noqa: S308
        if about
        else ""
    )
    flag_html = ""
    if message.flag_rule is not None:
        rule = conditional_escape(str(_FLAG_RULES.get(message.flag_rule, message.flag_rule)))
        note = _("Note sent with the flag “%(rule)s”") % {"rule": rule}
        flag_html = format_html('<p class="about">{}</p>', mark_safe(note))  # noqa: S308 - ours, rule escaped
    return format_html(
        '\n  <li class="msg {}{}" id="message-{}"{}>\n    <p class="meta"><strong>{}</strong> · '
        '<time datetime="{}">{}</time>{}</p>\n    {}\n    {}\n    <p class="body">{}</p>\n'
        "  </li>\n",
        "theirs" if theirs else "mine",
        " unread" if new else "",
        message.public_id,
        mark_safe(" data-latest") if last else "",
        author,
        at.isoformat(),
        at.strftime("%Y-%m-%d %H:%M"),
        format_html(' <span class="badge new">{}</span>', _("New")) if new else "",
        format_html('<p class="about">{}</p>', about_html) if about_html else "",
        flag_html,
        linebreaksbr(message.body, autoescape=True),
    )


def panel_conversation_html(panel: Panel, *, reader: User) -> SafeString:
    """The panel's latest messages, oldest first, as the conversation's list."""
    if panel.messages:
        last = len(panel.messages) - 1
        items = "".join(
            _panel_message(m, panel, reader, i == last) for i, m in enumerate(panel.messages)
        )
    else:
        items = format_html('\n  <li class="empty muted">{}</li>\n', _("No messages yet."))
    return format_html(
        '<ol class="conversation" aria-label="{}">\n{}\n</ol>\n<span id="latest"></span>\n',
        _("Messages, oldest first"),
        mark_safe(items),  # noqa: S308 - built by format_html above
    )
