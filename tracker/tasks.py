import logging
from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from tracker.idempotency import idempotency_records_purge
from tracker.services.flags import flags_sweep
from tracker.services.psfs import psfs_prompts_send

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "celery:heartbeat_at"
# A phone offline for weeks may still retry a queued check-in; a month covers that.
IDEMPOTENCY_RETENTION = timedelta(days=30)


@shared_task
def heartbeat_task() -> str:
    """Run every minute by beat on a worker: proof that beat, broker and worker all work.

    The time lands in the cache, so /healthz can show when a worker last answered.
    """
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    # DEBUG: once a minute forever; /healthz shows the last one.
    logger.debug("heartbeat %s", now)
    return now


@shared_task
def checkin_side_work_task(patient_id: int, today: str | None, flag_ids: list[int]) -> None:
    """Enqueued when a check-in commits: the reminder skip and digest items it leads to."""
    from datetime import date

    from tracker.models import User
    from tracker.services.checkins import checkin_side_work

    patient = User.objects.filter(pk=patient_id).first()
    if patient is None:  # erased in the meantime: nothing left to remind or report
        return
    on = date.fromisoformat(today) if today else None
    checkin_side_work(patient=patient, today=on, flag_ids=flag_ids)


@shared_task
def session_side_work_task(patient_id: int, performed_at: str) -> None:
    """Enqueued when a session log commits: the stand-up timer restarts from it."""
    from datetime import datetime

    from tracker.models import User
    from tracker.services.sessions import session_side_work

    patient = User.objects.filter(pk=patient_id).first()
    if patient is None:
        return
    session_side_work(patient=patient, performed_at=datetime.fromisoformat(performed_at))


@shared_task
def flags_sweep_task() -> int:
    """Hourly: the rules that fire with the passing of time (missing_checkins)."""
    return flags_sweep()


@shared_task
def idempotency_records_purge_task() -> int:
    """Daily: stored replay responses hold health data; keep them only as long as a client
    might still retry (see tracker/idempotency.py)."""
    return idempotency_records_purge(older_than=IDEMPOTENCY_RETENTION)


@shared_task
def psfs_prompts_task() -> int:
    """Daily: the two-weekly PSFS re-rating prompt; safe to run twice (one prompt per due date)."""
    return psfs_prompts_send()
