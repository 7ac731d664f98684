import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "celery:heartbeat_at"


@shared_task
def heartbeat_task() -> str:
    """Run every minute by beat on a worker: proof that beat, broker and worker all work.

    The time lands in the cache, so /healthz can show when a worker last answered.
    """
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    logger.info("heartbeat %s", now)
    return now
