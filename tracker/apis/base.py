"""What every tracking API shares: authentication order, errors, body size, role checks."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated

from tracker.models import User


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class TrackerApiMixin:
    # Token first: an anonymous request is told 401 with `WWW-Authenticate: Token`, not 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        if request.method in ("POST", "PUT", "PATCH"):
            self._check_body_size(request)
        super().initial(request, *args, **kwargs)
        if request.method in ("POST", "PUT", "PATCH"):
            # Parsed once signed in and allowed: a malformed body is a 400 even where the
            # operation ignores it, before any handler (or the idempotency fingerprint) runs.
            request.data  # noqa: B018

    @staticmethod
    def _check_body_size(request) -> None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        too_large = RequestTooLarge(f"The request body is larger than {limit} bytes.")
        if limit is not None and length > limit:
            raise too_large
        try:
            # Reading it here applies Django's limit to chunked bodies too; DRF's parsers then
            # read the cached copy.
            request._request.body  # noqa: B018
        except RequestDataTooBig:
            raise too_large from None

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = ValidationError(detail=serializers.as_serializer_error(exc))
        return super().handle_exception(exc)


def require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise PermissionDenied("Your account's role cannot do this.")
