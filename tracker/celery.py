import os
from typing import Any

from celery import Celery
from celery.fixups.django import (  # type: ignore[attr-defined]  # celery-types omits DjangoWorkerFixup
    DjangoFixup,
    DjangoWorkerFixup,
)
from celery.schedules import crontab
from kombu import Exchange, Queue

from reminders import queues as reminder_queues

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")


class KeepConnectionsWorkerFixup(DjangoWorkerFixup):
    """Celery's Django fixup closes every database connection before and after every task, so
    each task paid for a new PostgreSQL connection (about 2 ms of CPU, and a backend started
    and stopped) whatever CONN_MAX_AGE said. Here a task ends the way a Django request does:
    a connection is closed only if it is broken or older than its CONN_MAX_AGE
    (`close_old_connections`). The worker's CONN_MAX_AGE is WORKER_DB_CONN_MAX_AGE (settings),
    with health checks on, so a connection PostgreSQL dropped is replaced before it is used.
    A forked pool child still drops the parent's connections (the fixup's own
    on_worker_process_init)."""

    def install(self) -> "KeepConnectionsWorkerFixup":
        max_age = getattr(self._settings, "WORKER_DB_CONN_MAX_AGE", 0)
        for database in self._settings.DATABASES.values():
            database["CONN_MAX_AGE"] = max_age
            database["CONN_HEALTH_CHECKS"] = True
        super().install()
        return self

    def close_database(self, **kwargs: Any) -> None:
        self._db.close_old_connections()


class _DjangoFixup(DjangoFixup):
    _worker_fixup: DjangoWorkerFixup | None  # set by DjangoFixup.__init__ (not in the stubs)

    @property
    def worker_fixup(self) -> DjangoWorkerFixup:
        if self._worker_fixup is None:  # made when the worker starts, as Celery's own
            self._worker_fixup = KeepConnectionsWorkerFixup(self.app)
        return self._worker_fixup

    @worker_fixup.setter
    def worker_fixup(self, value: DjangoWorkerFixup) -> None:
        self._worker_fixup = value


def _django_fixup(app: Celery, env: str = "DJANGO_SETTINGS_MODULE") -> DjangoFixup | None:
    """Celery's `celery.fixups.django:fixup`, with the worker part above."""
    if os.environ.get(env) and "django" not in (app.loader_cls or "").lower():
        fixup = _DjangoFixup(app)
        fixup.install()
        return fixup
    return None


# Celery takes a fixup as a callable as well as a "module:name" string; the stubs know only strings.
app = Celery("tracker", fixups=[_django_fixup])  # type: ignore[list-item]
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Queues. A worker started without -Q consumes all of them (`celery -A tracker worker`, as
# make run and docker-compose start it); a bigger deployment can give each its own worker.
# The reminders dispatcher and sweeper have a queue of their own: they never wait behind the
# thousands of sends they enqueue (their beat entries expire after one interval). First sends
# and retries are apart too, so a failing push service is retried beside the reminders now
# due, not ahead of them. Everything else stays on Celery's default queue.
app.conf.task_default_queue = "celery"
app.conf.task_queues = [
    Queue(name, Exchange(name, type="direct"), routing_key=name)
    for name in ("celery", *reminder_queues.ALL)
]
app.conf.task_routes = {
    "reminders.tasks.reminders_dispatch_task": {"queue": reminder_queues.PERIODIC},
    "reminders.tasks.deliveries_sweep_task": {"queue": reminder_queues.PERIODIC},
    "reminders.tasks.deliveries_send_task": {"queue": reminder_queues.SEND},
    "reminders.tasks.delivery_send_task": {"queue": reminder_queues.SEND},
}

# The periodic schedule, declared here and nowhere else. Each entry is one static job;
# per-patient timing lives in database rows that these jobs read (see reminders/).
app.conf.beat_schedule = {
    # Hourly: open "no check-in for 3 days" flags (CLINICAL.md §4), the one rule that fires
    # with the passing of time rather than with a check-in. Same code as `manage.py flags_sweep`.
    "flags-sweep-hourly": {
        "task": "tracker.tasks.flags_sweep_task",
        "schedule": crontab(minute=5),
    },
    # Daily at 03:30 UTC: drop stored Idempotency-Key responses past their retry window.
    "idempotency-purge-daily": {
        "task": "tracker.tasks.idempotency_records_purge_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Daily at 02:00 UTC (10:00 in China): prompt patients whose PSFS re-rating is due (every
    # two weeks, CLINICAL.md §3a) through the reminders' notification; one prompt per due date.
    "psfs-prompts-daily": {
        "task": "tracker.tasks.psfs_prompts_task",
        "schedule": crontab(hour=2, minute=0),
    },
    # A heartbeat so operators can see beat and a worker are alive and talking through the broker.
    "heartbeat-every-minute": {
        "task": "tracker.tasks.heartbeat_task",
        "schedule": 60.0,
    },
    # Every 15 s: turn the reminder schedules that have come due into outbox rows and hand
    # them to senders. One static entry for every patient; the timing lives in the database.
    # `expires` drops a tick that waited longer than the interval (the next one does its work);
    # on its own queue (reminders_periodic, above) it does not wait behind the sends.
    "reminders-dispatch-every-15-seconds": {
        "task": "reminders.tasks.reminders_dispatch_task",
        "schedule": 15.0,
        "options": {"expires": 15},
    },
    # Every 10 s: enqueue again the pending reminders nobody is sending (a crashed sender whose
    # lease ran out, a back-off that is over, a message lost with the broker). With the 30 s
    # lease a stranded reminder goes out within 40 s (reminders/conf.py: SWEEP_INTERVAL_SECONDS).
    "reminders-sweep-every-10-seconds": {
        "task": "reminders.tasks.deliveries_sweep_task",
        "schedule": 10.0,
        "options": {"expires": 10},
    },
}
