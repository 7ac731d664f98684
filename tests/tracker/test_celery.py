"""The Celery path works end to end on whatever broker is configured: the filesystem
transport with no services, Redis in CI (where the `redis` test below must run)."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache

from tracker.celery import app
from tracker.tasks import HEARTBEAT_CACHE_KEY, heartbeat_task


def wait_for_heartbeat(timeout: float = 20.0) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if beat := cache.get(HEARTBEAT_CACHE_KEY):
            return beat
        time.sleep(0.1)
    return None


def test_a_worker_consumes_a_task_sent_through_the_broker():
    assert cache.get(HEARTBEAT_CACHE_KEY) is None
    # A queue of its own, so a parallel test run's worker cannot take this message.
    queue = f"test-heartbeat-{uuid.uuid4().hex}"
    with start_worker(
        app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=[queue]
    ):
        heartbeat_task.apply_async(queue=queue)
        beat = wait_for_heartbeat()

    assert beat is not None


def test_healthz_shows_when_a_worker_last_ran_the_heartbeat(client, db):
    assert client.get("/healthz").json() == {"status": "ok", "worker_heartbeat_at": None}

    beat = heartbeat_task()

    assert client.get("/healthz").json() == {"status": "ok", "worker_heartbeat_at": beat}


@pytest.mark.redis
def test_redis_is_the_broker_when_redis_url_is_set():
    assert settings.CELERY_BROKER_URL.startswith("redis")
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.transport.driver_type == "redis"


def test_beat_schedule_points_at_registered_tasks():
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, name
