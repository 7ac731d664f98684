"""The dispatcher: one static beat entry runs it every 15 s. It turns due schedule rows into
outbox rows and hands their ids to senders. Two dispatchers at once are harmless: rows are
claimed with SKIP LOCKED (PostgreSQL) and a conditional UPDATE of next_due_at, and the unique
(schedule, due_at, channel) makes a second insert of the same reminder a no-op."""

import logging
import time as monotonic_time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from reminders import conf
from reminders.models import Delivery, DigestItem, InboxMessage, Kind, ReminderSchedule, Status
from reminders.services.delivery import send_enqueue_on_commit
from reminders.services.schedules import schedule_next_due
from reminders.texts import Text, digest_text, schedule_text

logger = logging.getLogger(__name__)

# Safety bound on catching up after an outage, one occurrence at a time.
_MAX_CATCH_UP_STEPS = 200


@dataclass
class DispatchResult:
    schedules: int = 0
    deliveries: int = 0
    skipped: int = 0
    batches: int = 0
    seconds: float = 0.0
    delivery_ids: list[int] = field(default_factory=list)


def _stale_after(kind: str) -> timedelta:
    return timedelta(seconds=conf.TTL_SECONDS[Kind(kind)])


def _advance(schedule: ReminderSchedule, due: datetime, now: datetime) -> datetime | None:
    """The occurrence after `due`. After an outage, occurrences too old to matter are passed
    over; the ones still fresh come on the next ticks, one each."""
    following = schedule_next_due(schedule, after=due)
    stale_before = now - _stale_after(schedule.kind)
    steps = 0
    while following is not None and following < stale_before:
        steps += 1
        if steps > _MAX_CATCH_UP_STEPS:
            return schedule_next_due(schedule, after=now)
        following = schedule_next_due(schedule, after=following)
    return following


# A stand-up's or check-in's text depends on its kind, language and interval only
# (reminders.texts.schedule_text): made once per batch of a tick, not once per reminder.
_FIXED_TEXT_KINDS = (Kind.STAND_UP, Kind.CHECKIN)
_TextCache = dict[tuple[str, str, int | None], Text]


def _schedule_text(schedule: ReminderSchedule, texts: _TextCache) -> Text:
    if schedule.kind not in _FIXED_TEXT_KINDS:
        return schedule_text(schedule)
    key = (schedule.kind, schedule.language, schedule.interval_minutes)
    if key not in texts:
        texts[key] = schedule_text(schedule)
    return texts[key]


def _outbox_rows(
    schedule: ReminderSchedule, due: datetime, now: datetime, texts: _TextCache
) -> tuple[list[Delivery], list[InboxMessage]]:
    if schedule.paused_until and due < schedule.paused_until:
        return [], []
    status, reason = Status.PENDING, ""
    local_day = due.astimezone(_zone(schedule)).date()
    if schedule.kind == Kind.CHECKIN and schedule.checkin_done_on == local_day:
        status, reason = Status.SKIPPED, "today's check-in is in"
    elif due < now - _stale_after(schedule.kind):
        status, reason = Status.SKIPPED, "too late to be useful"
    if schedule.kind == Kind.THERAPIST_DIGEST:
        items = list(DigestItem.objects.filter(user_id=schedule.user_id, digested_at=None))
        if not items:
            return [], []
        text = digest_text(language=schedule.language, lines=[item.text for item in items])
        if status == Status.PENDING:
            DigestItem.objects.filter(pk__in=[item.pk for item in items]).update(digested_at=now)
    else:
        text = _schedule_text(schedule, texts)
    deliveries = [
        Delivery(
            schedule=schedule,
            user_id=schedule.user_id,
            kind=schedule.kind,
            channel=channel,
            due_at=due,
            title=text.title,
            body=text.body,
            url=schedule.url,
            ttl_seconds=conf.TTL_SECONDS[Kind(schedule.kind)],
            urgency=conf.URGENCY[Kind(schedule.kind)],
            status=status,
            last_error=reason,
            enqueued_at=now if status == Status.PENDING else None,
        )
        for channel in sorted(set(schedule.channels))
    ]
    inbox = []
    if status == Status.PENDING:
        inbox.append(
            InboxMessage(
                user_id=schedule.user_id,
                schedule=schedule,
                dedupe_key=f"s{schedule.pk}:{due.isoformat()}",
                kind=schedule.kind,
                title=text.title,
                body=text.body,
                url=schedule.url,
            )
        )
    return deliveries, inbox


def _zone(schedule: ReminderSchedule) -> ZoneInfo:
    return ZoneInfo(schedule.timezone)


# One UPDATE … FROM unnest(arrays): bulk_update's CASE WHEN per row cost 40 % of a tick's CPU.
_ADVANCE_SQL = """
UPDATE reminders_reminderschedule AS s SET next_due_at = v.next_due_at
FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, next_due_at) WHERE s.id = v.id
"""


def _advance_all(schedules: list[ReminderSchedule]) -> None:
    if not schedules:
        return
    if connection.vendor != "postgresql":
        ReminderSchedule.objects.bulk_update(schedules, ["next_due_at"], batch_size=1000)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _ADVANCE_SQL,
            [[row.pk for row in schedules], [row.next_due_at for row in schedules]],
        )


def _dispatch_batch(now: datetime, batch_size: int, result: DispatchResult) -> int:
    with transaction.atomic():
        due = ReminderSchedule.objects.filter(is_enabled=True, next_due_at__lte=now).order_by(
            "next_due_at"
        )
        if connection.features.has_select_for_update_skip_locked:
            # Uses reminder_due_idx; a second dispatcher skips the rows this one holds.
            due = due.select_for_update(skip_locked=True)
        schedules = list(due[:batch_size])
        locked = connection.features.has_select_for_update_skip_locked
        rows: list[Delivery] = []
        inbox: list[InboxMessage] = []
        advanced: list[ReminderSchedule] = []
        texts: _TextCache = {}
        for schedule in schedules:
            due_at = schedule.next_due_at
            if due_at is None:  # not due: the query above picks rows with a due time only
                continue
            following = _advance(schedule, due_at, now)
            if not locked:
                # No row locks (SQLite): advance only if nobody advanced it meanwhile.
                claimed = ReminderSchedule.objects.filter(
                    pk=schedule.pk, next_due_at=due_at, is_enabled=True
                ).update(next_due_at=following)
                if not claimed:
                    continue
            result.schedules += 1
            deliveries, messages = _outbox_rows(schedule, due_at, now, texts)
            rows.extend(deliveries)
            inbox.extend(messages)
            schedule.next_due_at = following
            advanced.append(schedule)
        if locked:
            # We hold these rows until commit: advance them all in one statement.
            _advance_all(advanced)
        InboxMessage.objects.bulk_create(inbox, ignore_conflicts=True, batch_size=1000)
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        # ignore_conflicts returns no ids: read back the rows that really went in, by the
        # public ids we generated (a conflicting row keeps its own, older public id).
        pending = [row.public_id for row in rows if row.status == Status.PENDING]
        ids = list(Delivery.objects.filter(public_id__in=pending).values_list("id", flat=True))
        result.deliveries += len(ids)
        result.skipped += len(rows) - len(pending)
        result.delivery_ids.extend(ids)
        # One send task per chunk of rows (conf.send_batch_size), after commit.
        send_enqueue_on_commit(ids)
    return len(schedules)


def reminders_dispatch(
    *,
    now: datetime | None = None,
    batch_size: int | None = None,
    time_budget_seconds: float = 10.0,
) -> DispatchResult:
    """Claim due schedules batch by batch, each batch in its own short transaction, until none
    is due or the time budget (shorter than the beat interval) is spent."""
    batch_size = batch_size or conf.dispatch_batch_size()
    started = monotonic_time.monotonic()
    result = DispatchResult()
    while True:
        tick = now or timezone.now()
        claimed = _dispatch_batch(tick, batch_size, result)
        result.batches += 1
        if claimed < batch_size or monotonic_time.monotonic() - started > time_budget_seconds:
            break
    result.seconds = monotonic_time.monotonic() - started
    if result.schedules:
        logger.info(
            "dispatched %s schedules, %s deliveries in %.3fs",
            result.schedules,
            result.deliveries,
            result.seconds,
        )
    else:  # every 15 s on a quiet day: DEBUG, so INFO shows only the ticks that did something
        logger.debug("no reminder schedules due (%.3fs)", result.seconds)
    return result
