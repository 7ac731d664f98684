"""Settings for the worker and driver subprocesses of the reliability tests: the product's,
with a shorter lease and re-enqueue delay so a crash recovers in seconds, not a minute."""

from tracker.settings import *  # noqa: F403

REMINDERS_LEASE_SECONDS = 6
REMINDERS_REENQUEUE_AFTER_SECONDS = 4
REMINDERS_PUSH_TIMEOUT_SECONDS = 3
# The local push stand-in, named explicitly (the default lists only real push services).
PUSH_SERVICE_HOSTS = ["http://127.0.0.1:*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Reconnect quickly when the test restarts Redis under a running worker.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
