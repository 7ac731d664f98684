"""Crashes and restarts with a real worker, a real Redis and the real PostgreSQL.

Each test starts its own redis-server on a free port (restarting the machine's Redis would
disturb other tests), a Celery worker and a driver that plays beat, as subprocesses, against
the test database. A local HTTP server stands in for the push service.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from reminders.management.commands.vapid_keys import generate_keys
from reminders.models import Delivery, InboxMessage, Status
from tests.conftest import REQUIRE_SERVICES
from tests.reminders.factories import (
    PushSubscriptionFactory,
    StandUpScheduleFactory,
    pushed_payload,
)
from tests.reminders.pushstandin import Reply
from tests.reminders.worker_settings import REMINDERS_LEASE_SECONDS

# The worker settings scale every delay down (lease 6 s, re-enqueue after 4 s, the driver
# sweeps every second): a stranded reminder is back within lease + sweep; the rest is a worker
# starting and the queue. At the product's settings the same sum is 40 s
# (test_recovery_budget.py).
RECOVERY_BOUND = REMINDERS_LEASE_SECONDS + 1 + 15

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Stack:
    """Processes this test started, each in its own session so it can be killed by its id."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.redis_port = _free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        keys = generate_keys()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reminders.worker_settings",
            "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "VAPID_PUBLIC_KEY": keys["public_key"],
            "VAPID_PRIVATE_KEY": keys["private_key"],
            "VAR_DIR": str(tmp_path / "var"),
        }

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.tmp_path / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start_redis(self) -> None:
        # No persistence: a restart loses every queued message, the worst case.
        self._start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp_path),
            ],
        )
        wait_until(self._redis_answers, 10, "redis-server")

    def _redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start_worker(self, name: str = "worker") -> None:
        self._start(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                f"--hostname={name}@%h",
            ],
        )
        wait_until(lambda: " ready." in self.log(name), 30, f"{name} to be ready")

    def start_driver(self) -> None:
        self._start("driver", [sys.executable, "-m", "tests.reminders.driver"])

    def kill_pool_child(self, name: str) -> int:
        """kill -9 one pool process of a worker (the main process stays and forks another)."""
        main = self.processes[name].pid
        children = Path(f"/proc/{main}/task/{main}/children").read_text().split()
        os.kill(int(children[0]), signal.SIGKILL)
        return int(children[0])

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the whole session: main and pool children
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name)


@pytest.fixture
def stack(tmp_path):
    if shutil.which("redis-server") is None:
        message = "needs the redis-server binary to run a private Redis"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    running = Stack(tmp_path)
    yield running
    running.stop_all()


def test_a_worker_killed_mid_send_delivers_the_reminder_once_within_a_minute(
    patient, push_service, stack
):
    # The push service takes the first request and never answers (the worker is killed while
    # waiting for it); the second request gets 201.
    PushSubscriptionFactory(
        user=patient, endpoint=push_service.endpoint("phone", Reply(hang_seconds=60), Reply(201))
    )
    StandUpScheduleFactory(
        user=patient,
        next_due_at=timezone.now(),
        channels=["push"],
        active_from="00:00",
        active_until="23:59",
    )
    stack.start_redis()
    stack.start_worker("first")
    stack.start_driver()

    wait_until(lambda: push_service.received_on("phone"), 30, "the first push request")
    stack.kill("first")  # kill -9 in the middle of the send
    killed_at = time.monotonic()
    stack.start_worker("second")

    push = wait_until(
        lambda: Delivery.objects.filter(channel="push", status=Status.SENT).first(),
        60,
        "the push to be sent after the crash",
    )
    recovered_in = time.monotonic() - killed_at

    assert recovered_in < 60
    assert push.attempts == 2
    time.sleep(2)  # a duplicate would have shown by now
    answered = [r for r in push_service.received_on("phone")]
    assert len(answered) == 2  # the one the dead worker never finished, and the one that went
    assert Delivery.objects.filter(channel="push").count() == 1
    assert InboxMessage.objects.filter(user=patient).count() == 1
    # The push service may have passed the first one on before the worker died: both carry the
    # delivery's id as tag and Topic, so the phone shows one notification.
    assert shown_on_the_phone(answered) == {str(push.public_id)}
    assert len({request.headers["topic"] for request in answered}) == 1


def shown_on_the_phone(received) -> set[str]:
    """What a browser shows for these pushes: one notification per tag (the service worker
    replaces a notification with the same tag; tests/browser/test_push_notifications.py)."""
    return {pushed_payload(request)["tag"] for request in received}


def _due_stand_ups(users, per_user: int) -> None:
    for user in users:
        for n in range(per_user):
            StandUpScheduleFactory(
                user=user,
                key=f"k{n}",
                next_due_at=timezone.now(),
                channels=["push"],
                active_from="00:00",
                active_until="23:59",
            )


def _assert_each_reminder_shown_once(push_service, phones: dict) -> None:
    """0 lost: every push row sent; once: each phone shows one notification per reminder."""
    assert not Delivery.objects.exclude(status=Status.SENT).exists()
    for user, name in phones.items():
        mine = {
            str(i) for i in Delivery.objects.filter(user=user).values_list("public_id", flat=True)
        }
        assert shown_on_the_phone(push_service.received_on(name)) == mine
        assert InboxMessage.objects.filter(user=user).count() == len(mine)


def test_a_worker_killed_mid_burst_loses_nothing_and_shows_each_reminder_once(
    patient, therapist, push_service, stack
):
    # Two people, 8 reminders each, due at once. The push service takes the first request for
    # the patient's phone and never answers: the worker is killed -9 with it in flight.
    phones = {patient: "phone", therapist: "desk"}
    PushSubscriptionFactory(
        user=patient, endpoint=push_service.endpoint("phone", Reply(hang_seconds=60), Reply(201))
    )
    PushSubscriptionFactory(user=therapist, endpoint=push_service.endpoint("desk"))
    _due_stand_ups(phones, per_user=8)
    stack.start_redis()
    stack.start_worker("first")
    stack.start_driver()

    wait_until(lambda: push_service.received_on("phone"), 30, "the first push request")
    # The batch's other 15 go out beside the hanging one and are recorded while it hangs.
    wait_until(
        lambda: Delivery.objects.filter(status=Status.SENT).count() == 15,
        30,
        "the other reminders of the batch to be recorded as sent",
    )
    stack.kill("first")
    killed_at = time.monotonic()
    stack.start_worker("second")

    wait_until(
        lambda: Delivery.objects.filter(status=Status.SENT).count() == 16,
        RECOVERY_BOUND + 20,
        "all 16 reminders to be sent after the crash",
    )
    assert time.monotonic() - killed_at < RECOVERY_BOUND + 20
    time.sleep(2)  # a duplicate would have shown by now
    _assert_each_reminder_shown_once(push_service, phones)
    # The one in flight reached the phone twice; it shows once.
    assert len(push_service.received_on("phone")) == 9


def test_a_pool_child_killed_mid_send_loses_nothing_and_shows_it_once(patient, push_service, stack):
    # The main process sees its child die and hands the message back at once
    # (reject_on_worker_lost); the lease keeps it from going out before the dead send expires.
    PushSubscriptionFactory(
        user=patient, endpoint=push_service.endpoint("phone", Reply(hang_seconds=60), Reply(201))
    )
    _due_stand_ups([patient], per_user=3)
    stack.start_redis()
    stack.start_worker()
    stack.start_driver()

    wait_until(lambda: push_service.received_on("phone"), 30, "the first push request")
    stack.kill_pool_child("worker")
    killed_at = time.monotonic()

    wait_until(
        lambda: Delivery.objects.filter(status=Status.SENT).count() == 3,
        RECOVERY_BOUND,
        "the reminders to be sent after the child died",
    )
    assert time.monotonic() - killed_at < RECOVERY_BOUND
    time.sleep(2)
    _assert_each_reminder_shown_once(push_service, {patient: "phone"})


def test_redis_restarted_empty_with_messages_queued_loses_nothing_and_shows_each_once(
    patient, therapist, push_service, stack
):
    # The dispatcher enqueues 12 reminders while no worker runs; Redis dies with them queued
    # and comes back empty. The rows in PostgreSQL are all that is left.
    phones = {patient: "phone", therapist: "desk"}
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    PushSubscriptionFactory(user=therapist, endpoint=push_service.endpoint("desk"))
    _due_stand_ups(phones, per_user=6)
    stack.start_redis()
    stack.start_driver()
    wait_until(
        lambda: (
            Delivery.objects.filter(status=Status.PENDING, enqueued_at__isnull=False).count() == 12
        ),
        30,
        "the reminders to be enqueued",
    )
    stack.kill("redis")
    stack.start_redis()  # empty
    restarted_at = time.monotonic()
    stack.start_worker()

    wait_until(
        lambda: Delivery.objects.filter(status=Status.SENT).count() == 12,
        RECOVERY_BOUND,
        "every reminder to be sent after the restart",
    )
    assert time.monotonic() - restarted_at < RECOVERY_BOUND
    time.sleep(2)
    _assert_each_reminder_shown_once(push_service, phones)


def test_redis_restarted_with_rows_pending_loses_nothing_and_the_worker_resumes(
    patient, push_service, stack
):
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    stack.start_redis()
    stack.start_worker()
    stack.start_driver()

    # Redis goes away; meanwhile reminders come due and the dispatcher cannot enqueue them.
    stack.kill("redis")
    for n in range(3):
        StandUpScheduleFactory(
            user=patient,
            key=f"k{n}",
            next_due_at=timezone.now(),
            channels=["push"],
            active_from="00:00",
            active_until="23:59",
        )
    wait_until(
        lambda: Delivery.objects.filter(status=Status.PENDING).count() == 3,
        30,
        "the outbox rows to be written while Redis is down",
    )
    time.sleep(1)
    stack.start_redis()  # empty: every queued message is gone

    wait_until(
        lambda: Delivery.objects.filter(status=Status.SENT).count() == 3,
        60,
        "every pending row to be sent after the restart",
    )
    time.sleep(2)
    assert len(push_service.received_on("phone")) == 3
    assert InboxMessage.objects.filter(user=patient).count() == 3
    assert "succeeded" in stack.log("worker")
    assert not Delivery.objects.exclude(status=Status.SENT).exists()
    assert timedelta(0) <= timezone.now() - Delivery.objects.latest("sent_at").sent_at
