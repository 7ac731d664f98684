"""`Idempotency-Key` for POSTs: a retry gets the first response back and stores nothing new.

The handler and the record of its response commit in one transaction. The unique (user, key)
index decides races: when two requests with one key overlap, the second one's INSERT of the
record fails, its transaction (including whatever the handler wrote) rolls back, and it answers
with the stored first response. A successful first request costs one INSERT and no lookup.

Only 2xx responses are stored: a request refused as invalid changed nothing, so the client may
fix it and send it again under the same key.
"""

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from tracker.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy(
        "This Idempotency-Key was already used for a different request. "
        "Send a new key for a new request."
    )
    default_code = "idempotency_key_reused"


def _fingerprint(request: Request) -> str:
    data: Any = request.data
    if hasattr(data, "lists"):  # a QueryDict from a form or multipart body
        data = sorted(data.lists())
    canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{request.method} {request.path}\n{canonical}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    response = Response(record.response_body, status=record.response_status)
    response["Idempotent-Replayed"] = "true"
    return response


def _record(*, user, key: str, fingerprint: str, response: Response) -> None:
    """The first response, stored under the key; the unique (user, key) index refuses a second
    one with IntegrityError. One INSERT written out, its body the JSON DRF renders, as text: the
    ORM's save() built a model and prepared every field, and the body went JSON -> Python -> JSON
    on the way (issue 16). A JSON text parameter is what the jsonb column (PostgreSQL) and the
    text column (SQLite) both take; a body DRF renders empty (204) is stored as NULL, as before."""
    body = JSONRenderer().render(response.data)
    with connection.cursor() as cursor:
        cursor.execute(
            _RECORD_SQL,
            [
                user.pk,
                key,
                fingerprint,
                response.status_code,
                body.decode() if body else None,
                timezone.now(),
            ],
        )


_RECORD_SQL = (
    f'INSERT INTO "{IdempotencyRecord._meta.db_table}" '  # noqa: S608 (names only)
    '("user_id", "key", "fingerprint", "response_status", "response_body", "created_at") '
    "VALUES (%s, %s, %s, %s, %s, %s)"
)


def idempotent(handler: Callable) -> Callable:
    """Decorate an APIView's `post`."""

    @functools.wraps(handler)
    def wrapper(view, request: Request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise ValidationError(
                {
                    HEADER: [
                        gettext("Give 1 to %(max)s printable characters, e.g. a UUID.")
                        % {"max": MAX_KEY_LENGTH}
                    ]
                }
            )
        fingerprint = _fingerprint(request)
        user = request.user

        def stored() -> IdempotencyRecord | None:
            return IdempotencyRecord.objects.filter(user=user, key=key).first()

        try:
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    _record(user=user, key=key, fingerprint=fingerprint, response=response)
                    return response
        except Exception:
            # Lost the race on the key (IntegrityError), or a retry that the handler now refuses
            # (its first run already created that username): the first response stands, and
            # whatever this run wrote has been rolled back with the block.
            record = stored()
            if record is None:
                raise
            return _replay(record, fingerprint)
        record = stored()
        return response if record is None else _replay(record, fingerprint)

    return wrapper


IDEMPOTENCY_PARAMETERS = [
    OpenApiParameter(
        HEADER,
        str,
        OpenApiParameter.HEADER,
        required=False,
        description="Any unique string (a UUID) per intended request. A retry with the same key "
        "and body returns the first response (with `Idempotent-Replayed: true`) and stores "
        "nothing new; the same key with a different body is refused with 422.",
    )
]
IDEMPOTENCY_RESPONSES = {
    422: OpenApiResponse(description="The Idempotency-Key was already used for another request.")
}


def idempotency_records_purge(*, older_than: timedelta) -> int:
    """Stored responses hold health data: keep them only as long as a client may retry."""
    deleted, _ = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
