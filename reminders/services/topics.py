"""Notifications on a topic (a conversation): several quick ones make one, and they wait for the
end of the recipient's quiet hours instead of being dropped.

One pending outbox row per recipient, topic and channel, held back until `send_at` (its lease
runs until then, so no sender claims it and the sweeper hands it out when it runs out, as it
does after a back-off). A later call on the same topic before then rewrites that row's text
rather than adding a row: the phone shows one notification saying how many there are. Once a
row has gone out, the next call starts a new one. The in-app inbox gets the same treatment (one
unread row per topic), written at once: it makes no sound.
"""

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

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
from reminders.scheduling import is_quiet_instant, resolve_wall_time
from reminders.services.delivery import send_enqueue_on_commit
from reminders.services.notifications import digest_item_add, notification_deliveries
from reminders.services.schedules import schedule_rules
from reminders.users import User


def quiet_hours_end(*, user: User, at: datetime) -> datetime:
    """`at`, or the end of the person's quiet hours if `at` falls inside them. Quiet hours are
    the stand-up schedule's, the person's "when I may be disturbed" (schedules.FOLLOWS_STAND_UP)."""
    schedule = ReminderSchedule.objects.filter(user=user, kind=Kind.STAND_UP).first()
    if schedule is None or schedule.quiet_until is None:
        return at
    rules = schedule_rules(schedule)
    if not is_quiet_instant(rules, at):
        return at
    local_day = at.astimezone(rules.zone).date()
    end = resolve_wall_time(local_day, schedule.quiet_until, rules.zone)
    if end <= at:
        end = resolve_wall_time(local_day + timedelta(days=1), schedule.quiet_until, rules.zone)
    return end


def person_channels(*, user: User) -> tuple[str, ...]:
    """The channels the person chose for their reminders (the stand-up's), else push."""
    schedule = ReminderSchedule.objects.filter(user=user, kind=Kind.STAND_UP).first()
    chosen = tuple(schedule.channels) if schedule is not None and schedule.channels else ()
    return chosen or (Channel.PUSH,)


@transaction.atomic
def notification_on_topic(
    *,
    user: User,
    topic: str,
    title: str,
    body: str,
    url: str = "",
    send_at: datetime,
    channels: tuple[str, ...] = (Channel.PUSH, Channel.EMAIL),
    about: User | None = None,
    urgency: str = Urgency.NORMAL,
) -> list[Delivery]:
    """Tell `user` about `topic` by `channels` at `send_at` (not before), collapsing into the
    row still waiting for that topic if there is one. Texts are the caller's, in the reader's
    language; `about` the person they name (erasure finds the rows by it)."""

    now = timezone.now()
    prefix = f"{topic}:"
    # Rows still held back: pending, never tried, lease in the future. A sender's claim needs
    # the lease to have run out, so it and this UPDATE never both win one row.
    waiting = list(
        Delivery.objects.select_for_update()
        .filter(
            user=user,
            idempotency_key__startswith=prefix,
            status=Status.PENDING,
            attempts=0,
            locked_until__gt=now,
        )
        .order_by("channel")
    )
    if waiting:
        Delivery.objects.filter(pk__in=[row.pk for row in waiting]).update(
            title=title[:200], body=body, url=url
        )
        rows = waiting
    else:
        burst = f"{prefix}{uuid.uuid4().hex}"
        rows = notification_deliveries(
            user=user,
            key=burst,
            title=title,
            body=body,
            url=url,
            urgency=urgency,
            channels=channels,
            about=about,
            due_at=send_at,
            locked_until=send_at if send_at > now else None,
        )
        Delivery.objects.bulk_create(rows)
        if send_at <= now:
            send_enqueue_on_commit([row.pk for row in rows])
    unread = (
        InboxMessage.objects.select_for_update()
        .filter(user=user, dedupe_key__startswith=f"n:{prefix}", read_at=None)
        .first()
    )
    if unread is not None:
        InboxMessage.objects.filter(pk=unread.pk).update(
            title=title[:200], body=body, url=url, created_at=now
        )
    else:
        InboxMessage.objects.create(
            user=user,
            dedupe_key=f"n:{prefix}{uuid.uuid4().hex}",
            kind=Kind.NOTIFICATION,
            title=title[:200],
            body=body,
            url=url,
            about_user=about,
        )
    return rows


@transaction.atomic
def digest_item_on_topic(
    *, user: User, topic: str, text: str, url: str = "", about: User | None
) -> None:
    """One line of the next daily digest per topic: a later call rewrites it until it goes."""
    prefix = f"{topic}:"
    line = DigestItem.objects.select_for_update().filter(
        user=user, key__startswith=prefix, digested_at=None
    )
    if line.update(text=text[:300], url=url):
        return
    digest_item_add(user=user, key=f"{prefix}{uuid.uuid4().hex}", text=text, url=url, about=about)


def topic_mark_read(*, user: User, topic: str) -> int:
    """The person read what the topic is about: its inbox rows are read too."""
    return InboxMessage.objects.filter(
        user=user, dedupe_key__startswith=f"n:{topic}:", read_at=None
    ).update(read_at=timezone.now())
