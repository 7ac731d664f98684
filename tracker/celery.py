import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The periodic schedule, declared here and nowhere else. Each entry is one static job;
# per-patient timing lives in database rows that these jobs read (see reminders/).
app.conf.beat_schedule = {
    # A heartbeat so operators can see beat and a worker are alive and talking through the broker.
    "heartbeat-every-minute": {
        "task": "tracker.tasks.heartbeat_task",
        "schedule": 60.0,
    },
}
