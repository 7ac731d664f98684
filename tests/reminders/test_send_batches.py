"""Sends in batches: one task covers many outbox rows; a hanging push endpoint costs one
sending thread a bounded time and delays nobody else; each task goes to its own queue."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from reminders import conf, queues, services
from reminders.models import Delivery, InboxMessage, Status
from reminders.tasks import deliveries_send_task, reminders_dispatch_task
from tests.factories import UserFactory
from tests.reminders.factories import PushSubscriptionFactory, StandUpScheduleFactory
from tests.reminders.pushstandin import Reply
from tracker.celery import app

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def _queue_of(task: str) -> str:
    return app.amqp.router.route({}, task)["queue"].name


def _due_stand_ups(push_service, names: list[str], hang: set[str] = frozenset()) -> dict:
    rows = {}
    for name in names:
        user = UserFactory()
        reply = Reply(hang_seconds=30) if name in hang else Reply(201)
        PushSubscriptionFactory(user=user, endpoint=push_service.endpoint(name, reply))
        rows[name] = StandUpScheduleFactory(
            user=user,
            next_due_at=datetime.now(UTC),
            channels=["push"],
            active_from="00:00",
            active_until="23:59",
        )
    return rows


def _dispatched(django_capture_on_commit_callbacks) -> tuple[list[int], list]:
    with django_capture_on_commit_callbacks() as callbacks:
        services.reminders_dispatch()
    return list(Delivery.objects.order_by("pk").values_list("pk", flat=True)), callbacks


def test_one_send_task_carries_a_batch_of_rows_and_sends_them_all(
    db, push_service, django_capture_on_commit_callbacks, settings
):
    settings.REMINDERS_SEND_BATCH_SIZE = 4
    names = [f"p{n}" for n in range(10)]
    _due_stand_ups(push_service, names)

    ids, callbacks = _dispatched(django_capture_on_commit_callbacks)

    batches = [c.args[0][0] for c in callbacks]
    assert [len(batch) for batch in batches] == [4, 4, 2]
    assert sorted(pk for batch in batches for pk in batch) == ids
    assert {c.keywords["queue"] for c in callbacks} == {queues.SEND}
    for batch in batches:
        assert set(services.deliveries_send(delivery_ids=batch).values()) == {"sent"}
    assert all(len(push_service.received_on(name)) == 1 for name in names)
    # Running a batch again sends nothing twice.
    assert set(services.deliveries_send(delivery_ids=ids).values()) == {"busy"}
    assert sum(len(push_service.received_on(name)) for name in names) == 10
    assert InboxMessage.objects.count() == 10


def test_a_hanging_push_endpoint_delays_nobody_else_and_costs_a_bounded_time(
    db, push_service, django_capture_on_commit_callbacks, settings
):
    settings.REMINDERS_PUSH_TIMEOUT_SECONDS = 5
    settings.REMINDERS_PUSH_CONNECT_TIMEOUT_SECONDS = 1
    names = [f"p{n}" for n in range(12)]
    hanging = {"p0", "p5", "p9"}
    rows = _due_stand_ups(push_service, names, hang=hanging)
    ids, _callbacks = _dispatched(django_capture_on_commit_callbacks)

    started = datetime.now(UTC)
    clock = time.monotonic()
    outcomes = services.deliveries_send(delivery_ids=ids)
    elapsed = time.monotonic() - clock

    # The hanging ones cost their threads the read timeout side by side, not in turn (15 s);
    # the margin is for a loaded machine.
    assert 5 <= elapsed < 12
    by_name = {name: Delivery.objects.get(schedule=rows[name]) for name in names}
    for name in hanging:
        assert outcomes[by_name[name].pk] == "retry"
        assert "Timeout" in by_name[name].last_error
        assert by_name[name].status == Status.PENDING
    # Everyone else's went out at once, before the hanging ones gave up.
    for name in names:
        if name in hanging:
            continue
        delivery = by_name[name]
        assert outcomes[delivery.pk] == "sent"
        assert delivery.sent_at - started < timedelta(seconds=5)
        assert len(push_service.received_on(name)) == 1


def test_a_timed_out_push_is_retried_on_the_retry_queue_not_ahead_of_new_sends(
    db, push_service, django_capture_on_commit_callbacks, settings
):
    settings.REMINDERS_PUSH_TIMEOUT_SECONDS = 0.5
    rows = _due_stand_ups(push_service, ["slow"], hang={"slow"})
    ids, _callbacks = _dispatched(django_capture_on_commit_callbacks)
    assert services.deliveries_send(delivery_ids=ids) == {ids[0]: "retry"}
    delivery = Delivery.objects.get(schedule=rows["slow"])

    with (
        time_machine.travel(delivery.locked_until + timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        assert services.deliveries_sweep() == [delivery.pk]

    [callback] = callbacks
    assert callback.args[0] == ([delivery.pk],)
    assert callback.keywords["queue"] == queues.RETRY


def test_the_dispatcher_and_sweeper_have_a_queue_of_their_own():
    periodic = {
        entry["task"]
        for entry in app.conf.beat_schedule.values()
        if entry["task"].startswith("reminders.")
    }
    assert periodic == {
        "reminders.tasks.reminders_dispatch_task",
        "reminders.tasks.deliveries_sweep_task",
    }
    assert {_queue_of(task) for task in periodic} == {queues.PERIODIC}
    assert _queue_of("reminders.tasks.deliveries_send_task") == queues.SEND
    assert _queue_of("reminders.tasks.delivery_send_task") == queues.SEND
    # Nothing else shares the periodic queue; tracker's jobs stay on the default one.
    others = {
        entry["task"]
        for entry in app.conf.beat_schedule.values()
        if not entry["task"].startswith("reminders.")
    }
    assert {_queue_of(task) for task in others} == {"celery"}
    assert conf.PERIODIC_QUEUE == queues.PERIODIC


def test_a_worker_started_as_deployed_consumes_every_queue_a_task_goes_to():
    from tests.tracker.test_deployment import SERVICES, command_words

    declared = {queue.name for queue in app.conf.task_queues}
    assert declared == {"celery", *queues.ALL}
    # Without -Q a worker consumes every declared queue: make run's Procfile and compose.
    procfile = dict(
        line.split(":", 1)
        for line in (conf_root() / "Procfile").read_text().splitlines()
        if line.strip()
    )
    for words in (procfile["worker"].split(), command_words("worker")):
        if "-Q" in words:
            assert set(words[words.index("-Q") + 1].split(",")) == declared
    compose_queues = set()
    for name, service in SERVICES.items():
        words = command_words(name) if "command" in service else []
        if words[:4] == ["celery", "-A", "tracker", "worker"]:
            compose_queues |= (
                set(words[words.index("-Q") + 1].split(",")) if "-Q" in words else declared
            )
    assert compose_queues == declared


def conf_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2]


@pytest.mark.redis
def test_the_dispatch_message_does_not_wait_behind_thousands_of_sends(settings):
    # On the real broker: 2,000 send batches queued, then beat's dispatch message. It lands in
    # a list of its own, first in line there, whatever waits in the send queue.
    import redis

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("needs Redis as the broker")
    store = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    store.delete(*queues.ALL)
    try:
        send = deliveries_send_task
        with app.producer_or_acquire() as producer:
            for n in range(2000):
                send.apply_async(([n],), producer=producer)
        reminders_dispatch_task.apply_async(expires=15)

        assert store.llen(queues.SEND) == 2000
        assert store.llen(queues.PERIODIC) == 1
    finally:
        store.delete(*queues.ALL)


@pytest.mark.postgres
def test_a_send_task_and_a_dispatch_tick_cost_the_same_statements_for_any_batch_size(
    db, push_service, django_capture_on_commit_callbacks
):
    # PostgreSQL: each step is one statement for the whole batch (SQLite claims row by row: no
    # SKIP LOCKED there). The test's transaction makes each atomic block a SAVEPOINT/RELEASE.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _due_stand_ups(push_service, [f"p{n}" for n in range(30)])
    with CaptureQueriesContext(connection) as tick, django_capture_on_commit_callbacks():
        services.reminders_dispatch()
    # The due rows, advancing them, the inbox, the outbox, the new rows' ids; in a transaction.
    assert len(tick) == 5 + 2
    ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    counts = []
    for batch in (ids[:3], ids[3:]):
        with CaptureQueriesContext(connection) as sent:
            assert set(services.deliveries_send(delivery_ids=batch).values()) == {"sent"}
        counts.append(len(sent))
    # The claim (select, update; in a transaction), the rows, their subscriptions, the
    # subscriptions' last success (hourly), every outcome.
    assert counts == [2 + 2 + 4, 2 + 2 + 4]
