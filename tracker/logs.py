"""Logging filters that keep the console readable (LOGGING in tracker/settings.py).

A worker at INFO would otherwise print three lines every 15 seconds for each periodic job that
usually finds nothing to do (beat's "Sending due task", the worker's "received" and
"succeeded"). Those lines are demoted to DEBUG; the services log their own INFO line when they
did something ("dispatched 3 schedules…", "sweeper re-enqueued 2 deliveries").
"""

import logging

# The frequent periodic jobs (tracker/celery.py): every 15 s or every minute.
QUIET_TASKS = frozenset(
    {
        "reminders.tasks.reminders_dispatch_task",
        "reminders.tasks.deliveries_sweep_task",
        "tracker.tasks.heartbeat_task",
    }
)


def _task_name(record: logging.LogRecord) -> str:
    args = record.args
    if isinstance(args, dict):  # the worker's received/succeeded lines: %(name)s
        return str(args.get("name", ""))
    if isinstance(args, tuple) and len(args) == 2:  # beat: "Sending due task %s (%s)"
        return str(args[1])
    return ""


class QuietPeriodicTasks(logging.Filter):
    """On celery.beat, celery.worker.strategy and celery.app.trace: the routine lines about
    QUIET_TASKS become DEBUG lines, shown only when the log level is DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or _task_name(record) not in QUIET_TASKS:
            return True
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


class ForbiddenWithoutTraceback(logging.Filter):
    """On django.request: a refused request (403, PermissionDenied) is one warning line, not a
    traceback; the refusal is expected behaviour, not a fault to debug."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
