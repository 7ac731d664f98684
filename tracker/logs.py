"""The logging configuration (settings.LOGGING) and the filters that keep the console readable.

A worker at INFO would otherwise print three lines every 15 seconds for each periodic job that
usually finds nothing to do (beat's "Sending due task", the worker's "received" and
"succeeded"). Those lines are demoted to DEBUG; the services log their own INFO line when they
did something ("dispatched 3 schedules…", "sweeper re-enqueued 2 deliveries").
"""

import logging
from typing import Any

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


def logging_config(*, level: str) -> dict[str, Any]:
    """settings.LOGGING, with the root logger at `level`."""
    # One console handler, on the root logger. Django's own "django" logger would print to a second
    # one (with DEBUG on) as well as propagate here, so every line came out twice: it gets no
    # handler of its own. runserver's request lines (django.server) keep Django's handler and do not
    # propagate. The filters above keep a quiet worker quiet and a 403 to one line.
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "filters": {
            "quiet_periodic_tasks": {"()": "tracker.logs.QuietPeriodicTasks"},
            "forbidden_without_traceback": {"()": "tracker.logs.ForbiddenWithoutTraceback"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": [], "propagate": True},
            "django.request": {"filters": ["forbidden_without_traceback"]},
            "celery.beat": {"filters": ["quiet_periodic_tasks"]},
            "celery.worker.strategy": {"filters": ["quiet_periodic_tasks"]},
            "celery.app.trace": {"filters": ["quiet_periodic_tasks"]},
            # django-axes logs every sign-in at INFO; its warnings (failures, lock-outs) are enough.
            "axes": {"level": "WARNING"},
            # WeasyPrint logs every layout step of every report at INFO; its warnings still show.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
