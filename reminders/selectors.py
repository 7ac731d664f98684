"""Reads, always scoped to the person asking."""

from uuid import UUID

from django.db.models import QuerySet

from reminders.models import (
    Delivery,
    DigestItem,
    InboxMessage,
    PushSubscription,
    ReminderSchedule,
)
from reminders.users import User


def schedules_for_user(*, user: User) -> QuerySet[ReminderSchedule]:
    return ReminderSchedule.objects.filter(user=user).order_by("kind", "key")


def schedule_for_user(*, user: User, public_id: UUID) -> ReminderSchedule | None:
    return ReminderSchedule.objects.filter(user=user, public_id=public_id).first()


def push_subscriptions_for_user(*, user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user, is_active=True).order_by("-created_at")


def push_subscription_for_user(*, user: User, public_id: UUID) -> PushSubscription | None:
    return PushSubscription.objects.filter(user=user, public_id=public_id).first()


def inbox_for_user(*, user: User, unread_only: bool = False) -> QuerySet[InboxMessage]:
    messages = InboxMessage.objects.filter(user=user)
    if unread_only:
        messages = messages.filter(read_at=None)
    return messages.order_by("-created_at", "-id")


def inbox_message_for_user(*, user: User, public_id: UUID) -> InboxMessage | None:
    return InboxMessage.objects.filter(user=user, public_id=public_id).first()


def inbox_unread_count(*, user: User) -> int:
    return InboxMessage.objects.filter(user=user, read_at=None).count()


def notification_was_sent(*, key_prefix: str) -> bool:
    """Was anyone told about what `key_prefix` names (e.g. "flag:<uuid>:")? Told means an
    inbox message or a delivery exists for it, or a digest that carried it went out; an item
    still waiting for tomorrow's digest has told nobody yet."""
    return (
        InboxMessage.objects.filter(dedupe_key__startswith=f"n:{key_prefix}").exists()
        or Delivery.objects.filter(idempotency_key__startswith=key_prefix).exists()
        or DigestItem.objects.filter(key__startswith=key_prefix, digested_at__isnull=False).exists()
    )


def digest_items_waiting(*, user: User) -> QuerySet[DigestItem]:
    """What the user's next daily digest will carry."""
    return DigestItem.objects.filter(user=user, digested_at=None).order_by("-created_at", "-id")
