"""Sending outbox rows, many per task, each at most once per success however often its task
runs. A send task carries a batch of ids (the dispatcher's chunk of one tick, the sweeper's
re-enqueued rows): it claims them with a lease in one statement, loads them in one, hands each
channel its rows at once and records every outcome in one more. So the fixed cost of a task
(Celery's message, the claim, the load, the bookkeeping) is paid per batch, not per reminder."""

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from reminders import conf
from reminders.channels import (
    ChannelError,
    NothingToSend,
    PermanentChannelError,
    TransientChannelError,
)
from reminders.channels import email as email_channel
from reminders.channels import push as push_channel
from reminders.models import Channel, Delivery, Status

logger = logging.getLogger(__name__)

BatchSender = Callable[..., dict[int, ChannelError | None]]
CHANNELS: dict[str, BatchSender] = {
    Channel.PUSH: push_channel.send_batch,
    Channel.EMAIL: email_channel.send_batch,
}
RETRY = "retry"
BUSY = "busy"


@dataclass
class _Outcome:
    status: str  # Status.SENT / FAILED / SKIPPED, or RETRY (stays pending)
    error: str = ""
    wait: timedelta = timedelta(0)


def _lease_free(now: datetime) -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lte=now)


def _claim(ids: Sequence[int], now: datetime) -> list[int]:
    """Take the lease of every row still pending and free; the ids this sender now holds."""
    free = Delivery.objects.filter(status=Status.PENDING).filter(_lease_free(now))
    take = {"locked_until": now + conf.lease(), "attempts": F("attempts") + 1}
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            mine = list(
                free.filter(pk__in=ids)
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
            )
            if mine:
                Delivery.objects.filter(pk__in=mine).update(**take)
        return mine
    # No row locks (SQLite): a conditional UPDATE per row decides who has it.
    return [pk for pk in ids if free.filter(pk=pk).update(**take)]


def _renew(ids: list[int]) -> None:
    """Keep the lease of rows whose send is still under way (a slow push service)."""
    Delivery.objects.filter(pk__in=ids, status=Status.PENDING).update(
        locked_until=timezone.now() + conf.lease()
    )


def _outcome(delivery: Delivery, error: ChannelError | None) -> _Outcome:
    if error is None:
        return _Outcome(Status.SENT)
    if isinstance(error, TransientChannelError):
        if delivery.attempts >= conf.max_attempts():
            return _Outcome(Status.FAILED, str(error))
        # Keep the lease until the back-off (or the push service's Retry-After) has passed;
        # the sweeper hands the row out again then. No Celery countdown: see STYLE.md.
        wait = max(conf.backoff(delivery.attempts), error.retry_after or timedelta(0))
        return _Outcome(RETRY, str(error), wait)
    if isinstance(error, NothingToSend):
        return _Outcome(Status.SKIPPED, str(error))
    if isinstance(error, PermanentChannelError):
        return _Outcome(Status.FAILED, str(error))
    return _Outcome(Status.FAILED, str(error))


def _record(deliveries: list[Delivery], outcomes: dict[int, _Outcome]) -> None:
    """Every outcome in one statement. The status guard: only a row still pending changes, so
    a late duplicate cannot overwrite what the first sender recorded."""
    now = timezone.now()
    for delivery in deliveries:
        outcome = outcomes[delivery.pk]
        delivery.last_error = outcome.error
        if outcome.status == RETRY:
            delivery.locked_until = now + outcome.wait
            continue
        delivery.status = outcome.status
        delivery.locked_until = None
        if outcome.status == Status.SENT:
            delivery.sent_at = delivery.sent_at or now
    if not deliveries:
        return
    if connection.vendor == "postgresql":
        _record_postgresql(deliveries)
        return
    fields = ["status", "sent_at", "locked_until", "last_error", "push_done"]
    Delivery.objects.filter(status=Status.PENDING).bulk_update(deliveries, fields)


# One UPDATE … FROM unnest(arrays): Django's bulk_update builds a CASE WHEN per row and field,
# which cost two thirds of a send task's CPU (bench/reminders_profile.py) for 50 rows.
_RECORD_SQL = """
UPDATE reminders_delivery AS d
SET status = v.status, sent_at = v.sent_at, locked_until = v.locked_until,
    last_error = v.last_error, push_done = v.push_done::jsonb
FROM unnest(%s::bigint[], %s::text[], %s::timestamptz[], %s::timestamptz[], %s::text[],
            %s::text[]) AS v(id, status, sent_at, locked_until, last_error, push_done)
WHERE d.id = v.id AND d.status = %s
"""


def _record_postgresql(deliveries: list[Delivery]) -> None:
    columns: tuple[list[object], ...] = ([], [], [], [], [], [])
    for delivery in deliveries:
        row = (
            delivery.pk,
            delivery.status,
            delivery.sent_at,
            delivery.locked_until,
            delivery.last_error,
            json.dumps(delivery.push_done),
        )
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    with connection.cursor() as cursor:
        cursor.execute(_RECORD_SQL, [*columns, Status.PENDING])


def deliveries_send(*, delivery_ids: Sequence[int]) -> dict[int, str]:
    """Claim the rows with a lease, send them by their channels, record the outcomes. Returns,
    per id, what happened: sent, skipped, failed, retry, or busy (someone else holds it, or it
    is already done)."""
    now = timezone.now()
    results = dict.fromkeys(delivery_ids, BUSY)
    mine = _claim(delivery_ids, now)
    if not mine:
        return results
    deliveries = list(Delivery.objects.filter(pk__in=mine).select_related("schedule"))
    outcomes: dict[int, _Outcome] = {}
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        if delivery.attempts > conf.max_attempts():
            outcomes[delivery.pk] = _Outcome(Status.FAILED, delivery.last_error or "gave up")
        elif now > delivery.due_at + timedelta(seconds=delivery.ttl_seconds):
            outcomes[delivery.pk] = _Outcome(Status.SKIPPED, "expired before it could be sent")
        else:
            by_channel.setdefault(delivery.channel, []).append(delivery)
    recorded: set[int] = set()

    def settle(errors: dict[int, ChannelError | None]) -> None:
        # Rows complete while others of the batch still wait on a slow push service.
        rows = [delivery for delivery in deliveries if delivery.pk in errors]
        for delivery in rows:
            outcomes[delivery.pk] = _outcome(delivery, errors[delivery.pk])
        _record(rows, outcomes)
        recorded.update(errors)

    for channel, rows in by_channel.items():
        errors = CHANNELS[channel](rows, renew=_renew, settle=settle)
        for delivery in rows:
            if delivery.pk not in recorded:
                error = errors.get(
                    delivery.pk, TransientChannelError("no outcome from the channel")
                )
                outcomes[delivery.pk] = _outcome(delivery, error)
    _record([delivery for delivery in deliveries if delivery.pk not in recorded], outcomes)
    results.update({pk: outcome.status for pk, outcome in outcomes.items()})
    retries = [pk for pk, outcome in outcomes.items() if outcome.status == RETRY]
    if retries:
        logger.info(
            "deliveries %s: %s; again after their back-off",
            retries[:10],
            outcomes[retries[0]].error,
        )
    logger.debug("sent batch: %s", dict(Counter(results.values())))
    return results


def delivery_send(*, delivery_id: int) -> str:
    """One row (see deliveries_send)."""
    return deliveries_send(delivery_ids=[delivery_id])[delivery_id]


def send_enqueue_on_commit(ids: Sequence[int], *, queue: str = conf.SEND_QUEUE) -> None:
    """Hand rows to senders once the transaction that wrote them commits, in batches."""
    from reminders.tasks import deliveries_send_task

    size = conf.send_batch_size()
    for first in range(0, len(ids), size):
        chunk = list(ids[first : first + size])
        deliveries_send_task.apply_async_on_commit((chunk,), queue=queue)


def deliveries_sweep(*, now: datetime | None = None, limit: int = 2000) -> list[int]:
    """Enqueue again the pending rows nobody is working on: a lease that ran out (a crashed
    sender, or a back-off that is over) or a message that never arrived (broker restarted).
    Rows tried before go to the retry queue, so a failing push service is retried beside,
    not ahead of, the reminders coming due now."""
    now = now or timezone.now()
    stranded = Q(locked_until__lte=now) | Q(
        locked_until__isnull=True, enqueued_at__lte=now - conf.unpicked_after()
    )
    with transaction.atomic():
        rows = Delivery.objects.filter(stranded, status=Status.PENDING).order_by("due_at")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        found = list(rows.values_list("id", "attempts")[:limit])
        if not found:
            logger.debug("sweeper found no stranded deliveries")
            return []
        ids = [pk for pk, _attempts in found]
        # Mark them enqueued now so the next sweep does not send them out a second time while
        # they wait in the queue; their lease (if any) is left for the sender's claim to check.
        Delivery.objects.filter(pk__in=ids).update(enqueued_at=now)
        Delivery.objects.filter(pk__in=ids, locked_until__lte=now).update(locked_until=None)
        send_enqueue_on_commit([pk for pk, attempts in found if not attempts])
        send_enqueue_on_commit([pk for pk, attempts in found if attempts], queue=conf.RETRY_QUEUE)
    logger.info("sweeper re-enqueued %s deliveries", len(ids))
    return ids
