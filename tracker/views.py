from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from tracker.tasks import HEARTBEAT_CACHE_KEY


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and operators: the database answers, and when a worker last ran beat's
    heartbeat (null until one has; shared across processes only when the cache is Redis)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "worker_heartbeat_at": cache.get(HEARTBEAT_CACHE_KEY)})
