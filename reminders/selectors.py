"""Reads, always scoped to the person asking."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from reminders.models import (
    Delivery,
    DigestItem,
    InboxMessage,
    PushSubscription,
    ReminderSchedule,
)


def schedules_for_user(*, user: AbstractBaseUser) -> QuerySet[ReminderSchedule]:
    return ReminderSchedule.objects.filter(user=user).order_by("kind", "key")


def schedule_for_user(*, user: AbstractBaseUser, public_id) -> ReminderSchedule | None:
    return ReminderSchedule.objects.filter(user=user, public_id=public_id).first()


def push_subscriptions_for_user(*, user: AbstractBaseUser) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user, is_active=True).order_by("-created_at")


def push_subscription_for_user(*, user: AbstractBaseUser, public_id) -> PushSubscription | None:
    return PushSubscription.objects.filter(user=user, public_id=public_id).first()


def inbox_for_user(*, user: AbstractBaseUser, unread_only: bool = False) -> QuerySet[InboxMessage]:
    messages = InboxMessage.objects.filter(user=user)
    if unread_only:
        messages = messages.filter(read_at=None)
    return messages.order_by("-created_at", "-id")


def inbox_message_for_user(*, user: AbstractBaseUser, public_id) -> InboxMessage | None:
    return InboxMessage.objects.filter(user=user, public_id=public_id).first()


def inbox_unread_count(*, user: AbstractBaseUser) -> int:
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


def digest_items_waiting(*, user: AbstractBaseUser) -> QuerySet[DigestItem]:
    """What the user's next daily digest will carry."""
    return DigestItem.objects.filter(user=user, digested_at=None).order_by("-created_at", "-id")
