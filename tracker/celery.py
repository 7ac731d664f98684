import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

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
    # `expires` drops a tick that waited longer than the interval (the next one does its work).
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
