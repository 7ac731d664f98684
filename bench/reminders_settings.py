"""Settings for bench/reminders.py only: the product's, plus django-celery-beat for the
comparison run (never installed in the product) and the bench's own task module."""

from tracker.settings import *  # noqa: F403
from tracker.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_celery_beat"]
CELERY_IMPORTS = ["bench.reminders"]
DJANGO_CELERY_BEAT_TZ_AWARE = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# The bench's push stand-in on 127.0.0.1, named explicitly (the default lists real push services).
PUSH_SERVICE_HOSTS = ["http://127.0.0.1:*"]
