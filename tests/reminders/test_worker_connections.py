"""A real Celery worker keeps its PostgreSQL connections between tasks (Celery's own Django
fixup closed them around every task: one new backend per task, whatever CONN_MAX_AGE said)."""

import time

import pytest
from django.db import connection
from django.utils import timezone

from reminders.models import Delivery, Status
from reminders.tasks import deliveries_send_task
from tests.reminders.factories import PushSubscriptionFactory, StandUpScheduleFactory
from tests.reminders.test_reliability import Stack, wait_until
from tracker.celery import app

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.fixture
def worker(tmp_path):
    import shutil

    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary to run a private Redis")
    stack = Stack(tmp_path)
    stack.start_redis()
    stack.start_worker()
    yield stack
    stack.stop_all()


def test_the_worker_opens_no_new_database_connection_per_task(patient, push_service, worker):
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    schedules = [
        StandUpScheduleFactory(
            user=patient,
            key=f"k{n}",
            next_due_at=timezone.now(),
            channels=["push"],
            active_from="00:00",
            active_until="23:59",
        )
        for n in range(21)
    ]
    rows = [
        Delivery.objects.create(
            schedule=schedule,
            user=patient,
            kind=schedule.kind,
            channel="push",
            due_at=timezone.now(),
            title="t",
            body="b",
            ttl_seconds=900,
            enqueued_at=timezone.now(),
        )
        for schedule in schedules
    ]
    producer = app.connection_for_write(worker.env["CELERY_BROKER_URL"])
    send = deliveries_send_task

    def one_task_each(batch: list[Delivery]) -> None:
        with producer as conn:
            for row in batch:
                send.apply_async(([row.pk],), connection=conn)

    # The first task opens the pool child's connection (and the worker's own checks).
    one_task_each(rows[:1])
    wait_until(
        lambda: Delivery.objects.filter(status=Status.SENT).count() == 1, 60, "the first task"
    )
    time.sleep(1)
    before = _sessions()

    one_task_each(rows[1:])
    wait_until(
        lambda: Delivery.objects.filter(status=Status.SENT).count() == 21, 90, "20 more tasks"
    )
    time.sleep(1)

    # 20 tasks, one pool process: no new backend (the old fixup started one per task).
    assert _sessions() - before == 0
    assert len(push_service.received_on("phone")) == 21
