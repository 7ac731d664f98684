import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def heartbeat_task() -> str:
    """Logged every minute by beat via a worker: proof the broker path works end to end."""
    now = timezone.now().isoformat()
    logger.info("heartbeat %s", now)
    return now
