"""Messages that are not schedule-driven: an urgent flag reaches the therapist at once."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from reminders import conf
from reminders.models import (
    Channel,
    Delivery,
    DigestItem,
    InboxMessage,
    Kind,
    ReminderSchedule,
    Status,
    Urgency,
)
from reminders.services.delivery import send_enqueue_on_commit
from reminders.users import User


def notification_deliveries(
    *,
    user: User,
    key: str,
    title: str,
    body: str,
    url: str,
    urgency: str,
    channels: tuple[str, ...] | list[str],
    about: User | None,
    due_at: datetime,
    locked_until: datetime | None = None,
) -> list[Delivery]:
    """The unsaved outbox rows of one notification, a row per channel: the one way to write them
    (notification_send_now here, and the collapsed message notices of topics.py)."""
    return [
        Delivery(
            user=user,
            kind=Kind.NOTIFICATION,
            channel=channel,
            due_at=due_at,
            idempotency_key=key,
            title=title[:200],
            body=body,
            url=url,
            about_user=about,
            ttl_seconds=conf.TTL_SECONDS[Kind.NOTIFICATION],
            urgency=urgency,
            locked_until=locked_until,
            enqueued_at=due_at,
        )
        for channel in sorted(set(channels))
    ]


@transaction.atomic
def notification_send_now(
    *,
    user: User,
    key: str,
    title: str,
    body: str,
    url: str = "",
    urgency: str = Urgency.HIGH,
    channels: tuple[str, ...] = (Channel.PUSH, Channel.EMAIL),
    about: User | None = None,
) -> list[Delivery]:
    """Send one message by push, e-mail and the inbox, now. `key` is the caller's idempotency
    key (e.g. "flag:<uuid>"): calling twice with one key sends once. Texts are the caller's,
    already in the recipient's language. `about` is the person the message names, if not the
    recipient (a patient, in a therapist's alert): erasing them removes these rows."""
    now = timezone.now()
    rows = notification_deliveries(
        user=user,
        key=key,
        title=title,
        body=body,
        url=url,
        urgency=urgency,
        channels=channels,
        about=about,
        due_at=now,
    )
    InboxMessage.objects.bulk_create(
        [
            InboxMessage(
                user=user,
                dedupe_key=f"n:{key}",
                kind=Kind.NOTIFICATION,
                title=title[:200],
                body=body,
                url=url,
                about_user=about,
            )
        ],
        ignore_conflicts=True,
    )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Delivery.objects.filter(
            public_id__in=[row.public_id for row in rows], status=Status.PENDING
        )
    )
    send_enqueue_on_commit([delivery.pk for delivery in created])
    return list(Delivery.objects.filter(user=user, idempotency_key=key).order_by("channel"))


# When a therapist who never chose a digest time gets one (their own zone can be set later).
DEFAULT_DIGEST_TIME = "08:30"


def digest_item_add(
    *,
    user: User,
    key: str,
    text: str,
    url: str = "",
    about: User | None = None,
) -> None:
    """Something for the therapist's next daily digest (an open flag that is not urgent).
    Adding the same key again changes nothing. A therapist without a digest schedule gets the
    default one, so no item waits for ever. `about`: the patient the line names (erasure)."""
    from reminders.services.schedules import reminder_schedule_upsert

    with transaction.atomic():
        DigestItem.objects.get_or_create(
            user=user, key=key, defaults={"text": text[:300], "url": url, "about_user": about}
        )
        if not ReminderSchedule.objects.filter(user=user, kind=Kind.THERAPIST_DIGEST).exists():
            reminder_schedule_upsert(
                user=user, kind=Kind.THERAPIST_DIGEST, times_of_day=[DEFAULT_DIGEST_TIME]
            )


def digest_items_discard(*, key_prefix: str) -> int:
    """What `key_prefix` names (e.g. "flag:<uuid>:", one item per therapist) was dealt with
    before the digest went out (resolved, or withdrawn): leave it out of every digest."""
    deleted, _ = DigestItem.objects.filter(key__startswith=key_prefix, digested_at=None).delete()
    return deleted
