"""Tunables, read when used (never at import time) so tests and the bench can change them."""

from datetime import timedelta

from django.conf import settings

from reminders import queues
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


# --- Recovery: a pending reminder is picked up again within 60 s (issue 15) ------------------
#
# The outbox row in PostgreSQL is the truth; a Celery message is only a nudge. Nothing waits on
# the broker's own redelivery (Redis' visibility timeout, 1 h by default, brings back a dead
# worker's unacknowledged message far too late; when it comes it finds the row done: "busy").
# What brings a stranded row back is the sweeper (beat, every SWEEP_INTERVAL_SECONDS):
#
# - a sender killed mid-send (kill -9, a pool child lost, a task cancelled on connection loss)
#   leaves its lease: swept at most LEASE + SWEEP after its last renewal;
# - a message lost with the broker (Redis restarted empty) leaves a row enqueued but never
#   claimed: swept at most REENQUEUE_AFTER + SWEEP after it was enqueued;
# - the sweeper itself runs on a worker, which after a broker restart reconnects with kombu's
#   back-off (2 s, 4 s, 6 s, ... at most BROKER_RECONNECT_MAX_SECONDS between tries).
#
# So the worst case after a crash or a restart is max(LEASE, REENQUEUE_AFTER, RECONNECT) + SWEEP
# = 30 + 10 = 40 s, plus the queue ahead of it, under the 60 s promised with 20 s to spare
# (tests/reminders/test_recovery_budget.py holds these numbers to it; 45 s + 15 s and 60 s +
# 15 s + up to 30 s reconnect were the 62-102 s measured before).
#
# Why these and not smaller: the lease must outlast one push request (a batch renews it every
# third of it for the rows still waiting: PUSH_CONNECT_TIMEOUT + PUSH_TIMEOUT for the answer)
# or one SMTP exchange (EMAIL_TIMEOUT per step; renewed as well between the e-mails of a batch);
# if a send ever overruns it, the worst outcome is a second copy, which the notification tag
# collapses on the phone. REENQUEUE_AFTER is how long a
# message may wait in the queue before the sweeper sends a second one: a burst that takes longer
# to drain gets at most one extra (harmless, "busy") message per row every 30 s.
SWEEP_INTERVAL_SECONDS = 10  # tracker/celery.py: reminders-sweep beat entry
BROKER_RECONNECT_MAX_SECONDS = 30  # kombu Connection.ensure_connection(interval_max=30)


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "REMINDERS_LEASE_SECONDS", 30))


def max_attempts() -> int:
    return getattr(settings, "REMINDERS_MAX_ATTEMPTS", 5)


def backoff(attempts: int) -> timedelta:
    base = getattr(settings, "REMINDERS_BACKOFF_SECONDS", 30)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 15 * 60))


def push_timeout() -> float:
    """How long to wait for a push service's answer (each read of it). A push service answers
    in well under a second; one that hangs costs a sending thread this long, not a worker."""
    return float(getattr(settings, "REMINDERS_PUSH_TIMEOUT_SECONDS", 5))


def push_connect_timeout() -> float:
    """How long to wait for the TCP (and TLS) connection to a push service."""
    return min(
        float(getattr(settings, "REMINDERS_PUSH_CONNECT_TIMEOUT_SECONDS", 3)), push_timeout()
    )


def push_threads() -> int:
    """Pushes of one batch in flight at once, per worker process: a hanging endpoint holds one
    of these threads (for at most the two timeouts above), the others go on sending."""
    return getattr(settings, "REMINDERS_PUSH_THREADS", 8)


def push_settle_seconds() -> float:
    """After this long, a batch records the pushes already answered while it waits for a slow
    push service: they are not sent again if the worker dies meanwhile."""
    return float(getattr(settings, "REMINDERS_PUSH_SETTLE_SECONDS", 1))


def send_batch_size() -> int:
    """Outbox rows per send task: the task's fixed costs (Celery, claim, load, record: about a
    dozen statements) are paid once per batch, not once per reminder."""
    return getattr(settings, "REMINDERS_SEND_BATCH_SIZE", 50)


PERIODIC_QUEUE, SEND_QUEUE, RETRY_QUEUE = queues.PERIODIC, queues.SEND, queues.RETRY


def dispatch_batch_size() -> int:
    return getattr(settings, "REMINDERS_DISPATCH_BATCH_SIZE", 500)


def unpicked_after() -> timedelta:
    # A pending row nobody claimed this long after it was enqueued lost its message
    # (broker restarted, enqueue failed after commit): the sweeper enqueues it again.
    return timedelta(seconds=getattr(settings, "REMINDERS_REENQUEUE_AFTER_SECONDS", 30))


def worst_case_pickup() -> timedelta:
    """The longest a pending reminder waits after a crash or a broker restart (see above)."""
    longest = max(lease(), unpicked_after(), timedelta(seconds=BROKER_RECONNECT_MAX_SECONDS))
    return longest + timedelta(seconds=SWEEP_INTERVAL_SECONDS)


def absolute_url(url: str) -> str:
    """A link as an e-mail or a push must carry it: on the product's public address
    (settings.SITE_URL), since it is opened away from the site."""
    if not url or "://" in url:
        return url
    return f"{settings.SITE_URL.rstrip('/')}/{url.lstrip('/')}"
