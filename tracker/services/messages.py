"""Writing messages between a patient and their care team (issue 12), and telling the reader.

A patient's message reaches every therapist on the care team, at once (push, e-mail, inbox) or in
their daily digest as each chose; a therapist's reaches the patient, never in the patient's quiet
hours (it waits for their end). Several quick messages make one notification: each waits
MESSAGE_COLLAPSE_SECONDS in the outbox, and a later one rewrites the waiting row
(reminders.services.topics). Every write is an audit event of the patient's record.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reminders.models import Channel, Kind, ReminderSchedule
from reminders.services.topics import (
    digest_item_on_topic,
    notification_on_topic,
    person_channels,
    quiet_hours_end,
    topic_mark_read,
)
from tracker.models import (
    MESSAGE_MAX_LENGTH,
    AssignmentItem,
    AuditAction,
    AuthorSide,
    CareTeamMember,
    CheckIn,
    Conversation,
    ConversationRead,
    Flag,
    Message,
    MessageDelivery,
    MessageSettings,
    PatientProfile,
    SessionLog,
    User,
)
from tracker.selectors.messages import message_delivery_of
from tracker.services.audit import audit_record

# How long a new-message notification waits for more messages before it goes: a burst of quick
# messages makes one notification. Settings' MESSAGES_COLLAPSE_SECONDS overrides it (tests).
MESSAGE_COLLAPSE_SECONDS = 60
ABOUT_KINDS = ("checkin", "session", "item")


@dataclass(frozen=True)
class About:
    kind: str  # one of ABOUT_KINDS
    id: UUID


def conversation_topic(conversation: Conversation) -> str:
    return f"messages:{conversation.public_id}"


def conversation_of(*, patient: User) -> Conversation:
    conversation, _created = Conversation.objects.get_or_create(patient=patient)
    return conversation


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message first.")]})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "body": [
                    _("At most %(count)s characters (this one has %(length)s).")
                    % {"count": MESSAGE_MAX_LENGTH, "length": len(body)}
                ]
            }
        )
    return body


def _about_fields(*, patient: User, about: About | None) -> dict[str, object]:
    """The patient's own check-in, session or programme item, or a 400: never someone else's."""
    if about is None:
        return {}
    found: CheckIn | SessionLog | AssignmentItem | None = None
    if about.kind == "checkin":
        found = CheckIn.objects.filter(patient=patient, public_id=about.id).first()
    elif about.kind == "session":
        found = SessionLog.objects.filter(patient=patient, public_id=about.id).first()
    elif about.kind == "item":
        found = AssignmentItem.objects.filter(
            assignment__patient=patient, public_id=about.id
        ).first()
    if found is None:
        raise ValidationError(
            {"about": [_("Choose one of your own check-ins, sessions or exercises.")]}
        )
    return {f"about_{about.kind}": found}


def _side(*, patient: User, author: User) -> str:
    if author.pk == patient.pk:
        return AuthorSide.PATIENT
    if (
        author.is_therapist
        and CareTeamMember.objects.filter(patient=patient, therapist=author).exists()
    ):
        return AuthorSide.CARE_TEAM
    raise PermissionDenied


def message_send(
    *,
    patient: User,
    author: User,
    body: str,
    about: About | None = None,
    client_key: str = "",
    from_flag: Flag | None = None,
) -> tuple[Message, bool]:
    """Store a message in the patient's conversation and tell the other side. Returns the
    message and whether it is new: the same `client_key` from the same author (the phone's
    Idempotency-Key, sent again after a lost answer) stores nothing and returns the first."""
    side = _side(patient=patient, author=author)
    body = _clean_body(body)
    fields = _about_fields(patient=patient, about=about) if side == AuthorSide.PATIENT else {}
    if client_key:
        first = Message.objects.filter(author=author, client_key=client_key).first()
        if first is not None:
            return first, False
    try:
        with transaction.atomic():
            conversation = Conversation.objects.select_for_update().get(
                pk=conversation_of(patient=patient).pk
            )
            message = Message.objects.create(
                conversation=conversation,
                author=author,
                side=side,
                body=body,
                from_flag=from_flag,
                client_key=client_key,
                **fields,
            )
            conversation.last_message_at = message.created_at
            conversation.save(update_fields=["last_message_at"])
            # Writing means having read what came before.
            _read_up_to(conversation=conversation, user=author, message_id=message.pk)
            audit_record(
                actor=author,
                patient=patient,
                action=AuditAction.CREATE,
                object_type="message",
                object_id=message.public_id,
            )
            _notify(conversation=conversation, message=message)
    except IntegrityError:
        # The same key raced in from the page and the service worker: the other one stored it.
        first = Message.objects.filter(author=author, client_key=client_key).first()
        if not client_key or first is None:
            raise
        return first, False
    return message, True


def _read_up_to(*, conversation: Conversation, user: User, message_id: int) -> None:
    read, _created = ConversationRead.objects.select_for_update().get_or_create(
        conversation=conversation, user=user
    )
    if read.read_up_to < message_id:
        read.read_up_to = message_id
        read.save(update_fields=["read_up_to", "read_at"])


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation, user: User) -> None:
    """Everything in the conversation so far is read by `user`, and so are the inbox rows that
    told them of it."""
    last = conversation.messages.order_by("-id").values_list("id", flat=True).first()
    if last is not None:
        _read_up_to(conversation=conversation, user=user, message_id=last)
    topic_mark_read(user=user, topic=conversation_topic(conversation))


def message_settings_set(*, user: User, delivery: str) -> MessageSettings:
    if not user.is_therapist:
        raise PermissionDenied
    if delivery not in MessageDelivery.values:
        raise ValidationError({"delivery": [_("Choose at once or in the daily digest.")]})
    row, _created = MessageSettings.objects.update_or_create(
        user=user, defaults={"delivery": delivery}
    )
    return row


def message_from_flag_note(*, flag: Flag, by: User, note: str) -> Message | None:
    """The note a therapist wrote when acknowledging or resolving a flag, sent to the patient."""
    if not note.strip():
        return None
    message, _new = message_send(patient=flag.patient, author=by, body=note, from_flag=flag)
    return message


# --- telling the reader --------------------------------------------------------------------------


def _collapse_window() -> timedelta:
    return timedelta(
        seconds=getattr(settings, "MESSAGES_COLLAPSE_SECONDS", MESSAGE_COLLAPSE_SECONDS)
    )


def _unread_from(*, conversation: Conversation, reader: User, side: str) -> int:
    read = ConversationRead.objects.filter(conversation=conversation, user=reader).first()
    return conversation.messages.filter(side=side, id__gt=read.read_up_to if read else 0).count()


def staff_language(user: User) -> str | None:
    """A therapist's language, where they have one on record (their digest's); else None."""
    schedule = ReminderSchedule.objects.filter(user=user, kind=Kind.THERAPIST_DIGEST).first()
    return schedule.language if schedule is not None else None


def _in(language: str | None, make: Callable[[], str]) -> str:
    if language:
        with translation.override(language):
            return str(make())
    # No language on record: both, as the flag alerts do.
    return " / ".join(_in(code, make) for code in ("zh-hans", "en"))


def _care_team_title(name: str) -> str:
    return _("Message from %(name)s") % {"name": name}


def _care_team_body(name: str, count: int) -> str:
    return ngettext(
        "%(name)s wrote %(count)s new message. Open the conversation to read it.",
        "%(name)s wrote %(count)s new messages. Open the conversation to read them.",
        count,
    ) % {"name": name, "count": count}


def _patient_title() -> str:
    return _("A message from your care team")


def _patient_body(count: int) -> str:
    return ngettext(
        "You have %(count)s new message from your care team. Open the app to read it.",
        "You have %(count)s new messages from your care team. Open the app to read them.",
        count,
    ) % {"count": count}


def _notify(*, conversation: Conversation, message: Message) -> None:
    patient = conversation.patient
    profile = PatientProfile.objects.filter(user=patient).first()
    name = profile.display_name if profile is not None else patient.get_username()
    topic = conversation_topic(conversation)
    site = settings.SITE_URL.rstrip("/")
    send_at = timezone.now() + _collapse_window()
    if message.side == AuthorSide.CARE_TEAM:
        count = _unread_from(conversation=conversation, reader=patient, side=AuthorSide.CARE_TEAM)
        language = profile.language if profile is not None else None
        notification_on_topic(
            user=patient,
            topic=topic,
            title=_in(language, _patient_title),
            body=_in(language, partial(_patient_body, count)),
            url=f"{site}/app/messages/",
            # CLINICAL.md §5: never in quiet hours; it waits for their end.
            send_at=quiet_hours_end(user=patient, at=send_at),
            channels=person_channels(user=patient),
        )
        return
    url = f"{site}/therapist/patients/{patient.public_id}/messages/"
    for member in CareTeamMember.objects.filter(patient=patient).select_related("therapist"):
        therapist = member.therapist
        count = _unread_from(conversation=conversation, reader=therapist, side=AuthorSide.PATIENT)
        language = staff_language(therapist)
        body = _in(language, partial(_care_team_body, name, count))
        if message_delivery_of(user=therapist) == MessageDelivery.DIGEST:
            digest_item_on_topic(user=therapist, topic=topic, text=body, url=url, about=patient)
            continue
        notification_on_topic(
            user=therapist,
            topic=topic,
            title=_in(language, partial(_care_team_title, name)),
            body=body,
            url=url,
            send_at=quiet_hours_end(user=therapist, at=send_at),
            channels=(Channel.PUSH, Channel.EMAIL),
            about=patient,  # erasing the patient removes it (reminders_forget_user)
        )
