"""What an operator reads on the console: each line once, no noise from idle periodic jobs, and
a refused request as one line rather than a traceback."""

import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from celery import beat
from celery.app import trace
from django.utils import timezone

from reminders import services
from tests.reminders.factories import StandUpScheduleFactory

ROOT = Path(__file__).resolve().parents[2]


def test_a_django_log_line_is_printed_once_with_debug_on(tmp_path):
    # With DEBUG on, Django's "django" logger had a console handler of its own and also
    # propagated to ours: every line came out twice.
    script = (
        "import logging, django; django.setup();"
        "logging.getLogger('django.request').warning('only-once-marker');"
        "logging.getLogger('tracker').warning('ours-once-marker')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "true",
        "APP_ENV": "development",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("only-once-marker") == 1, done.stderr
    assert done.stderr.count("ours-once-marker") == 1, done.stderr


def test_a_403_is_logged_as_one_line_without_a_traceback(client, patient, caplog):
    client.force_login(patient)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/therapist/")
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert "Forbidden" in record.getMessage()
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_the_dispatcher_and_sweeper_are_silent_at_info_when_nothing_is_due(db, caplog):
    with caplog.at_level(logging.INFO):
        services.reminders_dispatch()
        services.deliveries_sweep()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO] == []


def test_the_dispatcher_says_what_it_did_at_info(
    patient, caplog, django_capture_on_commit_callbacks
):
    StandUpScheduleFactory(user=patient, next_due_at=timezone.now() - timedelta(seconds=5))
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks():
        services.reminders_dispatch()
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert len(messages) == 1
    assert messages[0].startswith("dispatched 1 schedules, 1 deliveries")


def _worker_lines(task_name: str) -> None:
    """What beat and a worker log for one run of a task, through celery's own loggers."""
    logging.getLogger("celery.beat").info("Scheduler: Sending due task %s (%s)", "entry", task_name)
    context = {"id": "abc", "name": task_name, "args": "()", "kwargs": "{}", "eta": None}
    logging.getLogger("celery.worker.strategy").info(trace.LOG_RECEIVED, context)
    trace.info(trace.LOG_SUCCESS, {**context, "return_value": "0", "runtime": 0.01})


def test_beat_and_worker_lines_about_the_15_second_jobs_are_debug_only(caplog):
    assert beat.logger.name == "celery.beat"
    with caplog.at_level(logging.INFO):
        _worker_lines("reminders.tasks.reminders_dispatch_task")
        _worker_lines("reminders.tasks.deliveries_sweep_task")
        _worker_lines("tracker.tasks.heartbeat_task")
    assert caplog.records == []

    with caplog.at_level(logging.DEBUG):
        _worker_lines("reminders.tasks.reminders_dispatch_task")
    assert len(caplog.records) == 3
    assert {r.levelname for r in caplog.records} == {"DEBUG"}


def test_worker_lines_about_real_work_stay_at_info(caplog):
    with caplog.at_level(logging.INFO):
        _worker_lines("reminders.tasks.delivery_send_task")
    assert [r.levelname for r in caplog.records] == ["INFO", "INFO", "INFO"]
    assert "succeeded" in caplog.records[-1].getMessage()
