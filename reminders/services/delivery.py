"""Sending one outbox row, at most once per success, however often its task runs."""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from reminders import conf
from reminders.channels import (
    NothingToSend,
    PermanentChannelError,
    TransientChannelError,
)
from reminders.channels import email as email_channel
from reminders.channels import push as push_channel
from reminders.models import Channel, Delivery, Status

logger = logging.getLogger(__name__)

CHANNELS = {
    Channel.PUSH: push_channel.send,
    Channel.EMAIL: email_channel.send,
}


def _lease_free(now: datetime) -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lte=now)


def _finish(delivery_id: int, **fields: Any) -> bool:
    # The status guard: only a row still pending changes, so a late duplicate cannot
    # overwrite what the first sender recorded.
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(
            locked_until=None, **fields
        )
    )


def delivery_send(*, delivery_id: int) -> str:
    """Claim the row with a lease, call its channel, record the outcome. Returns what happened:
    sent, skipped, failed, retry, or busy (someone else holds it / it is already done)."""
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=Status.PENDING)
        .filter(_lease_free(now))
        .update(locked_until=now + conf.lease(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return "busy"
    delivery = Delivery.objects.select_related("user", "schedule").get(pk=delivery_id)
    if delivery.attempts > conf.max_attempts():
        _finish(delivery_id, status=Status.FAILED, last_error=delivery.last_error or "gave up")
        return "failed"
    expires_at = delivery.due_at + timedelta(seconds=delivery.ttl_seconds)
    if now > expires_at:
        _finish(delivery_id, status=Status.SKIPPED, last_error="expired before it could be sent")
        return "skipped"
    try:
        CHANNELS[Channel(delivery.channel)](delivery)
    except TransientChannelError as error:
        if delivery.attempts >= conf.max_attempts():
            _finish(delivery_id, status=Status.FAILED, last_error=str(error))
            return "failed"
        # Keep the lease until the back-off (or the push service's Retry-After) has passed;
        # the sweeper hands the row out again then. No Celery countdown: see STYLE.md.
        wait = max(conf.backoff(delivery.attempts), error.retry_after or timedelta(0))
        Delivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(
            locked_until=timezone.now() + wait, last_error=str(error), push_done=delivery.push_done
        )
        logger.info("delivery %s: %s; again in %ss", delivery_id, error, wait.total_seconds())
        return "retry"
    except NothingToSend as error:
        _finish(delivery_id, status=Status.SKIPPED, last_error=str(error))
        return "skipped"
    except PermanentChannelError as error:
        _finish(delivery_id, status=Status.FAILED, last_error=str(error))
        return "failed"
    _finish(
        delivery_id,
        status=Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        push_done=delivery.push_done,
    )
    return "sent"


def deliveries_sweep(*, now: datetime | None = None, limit: int = 2000) -> list[int]:
    """Enqueue again the pending rows nobody is working on: a lease that ran out (a crashed
    sender, or a back-off that is over) or a message that never arrived (broker restarted)."""
    from reminders.tasks import delivery_send_task

    now = now or timezone.now()
    stranded = Q(locked_until__lte=now) | Q(
        locked_until__isnull=True, enqueued_at__lte=now - conf.unpicked_after()
    )
    with transaction.atomic():
        rows = Delivery.objects.filter(stranded, status=Status.PENDING).order_by("due_at")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("id", flat=True)[:limit])
        if not ids:
            logger.debug("sweeper found no stranded deliveries")
            return []
        # Mark them enqueued now so the next sweep does not send them out a second time while
        # they wait in the queue; their lease (if any) is left for the sender's claim to check.
        Delivery.objects.filter(pk__in=ids).update(enqueued_at=now)
        Delivery.objects.filter(pk__in=ids, locked_until__lte=now).update(locked_until=None)
        for delivery_id in ids:
            delivery_send_task.delay_on_commit(delivery_id)  # type: ignore[attr-defined]  # Celery 5.4+, not in celery-types
    logger.info("sweeper re-enqueued %s deliveries", len(ids))
    return ids
