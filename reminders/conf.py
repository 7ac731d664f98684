"""Tunables, read when used (never at import time) so tests and the bench can change them."""

from datetime import timedelta

from django.conf import settings

from reminders.models import Kind, Urgency

# How long a Web Push message stays relevant: a stand-up is useless after a quarter of an hour,
# a daily reminder still helps hours later. Also the age at which an unsent one is dropped.
TTL_SECONDS = {
    Kind.STAND_UP: 15 * 60,
    Kind.EXERCISE: 3 * 3600,
    Kind.CHECKIN: 6 * 3600,
    Kind.THERAPIST_DIGEST: 12 * 3600,
    Kind.NOTIFICATION: 24 * 3600,
}
URGENCY = {
    Kind.STAND_UP: Urgency.NORMAL,
    Kind.EXERCISE: Urgency.NORMAL,
    Kind.CHECKIN: Urgency.NORMAL,
    Kind.THERAPIST_DIGEST: Urgency.LOW,
    Kind.NOTIFICATION: Urgency.HIGH,
}
SNOOZE = timedelta(minutes=10)


def lease() -> timedelta:
    # Longer than one send can take (push and SMTP timeouts), short enough that a crashed
    # sender's reminder goes out again within about a minute (with the 15 s sweeper).
    return timedelta(seconds=getattr(settings, "REMINDERS_LEASE_SECONDS", 45))


def max_attempts() -> int:
    return getattr(settings, "REMINDERS_MAX_ATTEMPTS", 5)


def backoff(attempts: int) -> timedelta:
    base = getattr(settings, "REMINDERS_BACKOFF_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 15 * 60))


def push_timeout() -> float:
    return float(getattr(settings, "REMINDERS_PUSH_TIMEOUT_SECONDS", 10))


def dispatch_batch_size() -> int:
    return getattr(settings, "REMINDERS_DISPATCH_BATCH_SIZE", 500)


def unpicked_after() -> timedelta:
    # A pending row nobody claimed this long after it was enqueued lost its message
    # (broker restarted, enqueue failed after commit): the sweeper enqueues it again.
    return timedelta(seconds=getattr(settings, "REMINDERS_REENQUEUE_AFTER_SECONDS", 60))


def absolute_url(url: str) -> str:
    """A link as an e-mail or a push must carry it: on the product's public address
    (settings.SITE_URL), since it is opened away from the site."""
    if not url or "://" in url:
        return url
    return f"{settings.SITE_URL.rstrip('/')}/{url.lstrip('/')}"
