"""What every tracking API shares: authentication order, errors, body size, role checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import (
    APIException,
    NotAuthenticated,
    PermissionDenied,
    ValidationError,
)
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from tracker.auth_backends import TokenAuthentication
from tracker.models import PatientProfile, User

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "request_too_large"


_JSON_ACCEPTS = frozenset({"*/*", "application/json"})


class TrackerApiMixin(APIView):
    # Token first: an anonymous request is told 401 with `WWW-Authenticate: Token`, not 403.
    authentication_classes: Sequence[type[BaseAuthentication]] = [
        TokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes: Sequence[_PermissionClass] = [IsAuthenticated]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple:
        """DRF's negotiation, short-cut for what phones send (no Accept, `*/*` or
        `application/json`, no `?format=`) to the first renderer when it is JSON: the answer
        DRF would give, without parsing the header against each renderer (issue 16)."""
        if (
            request.META.get("HTTP_ACCEPT", "*/*") in _JSON_ACCEPTS
            and not getattr(self, "format_kwarg", None)  # unset when initial() raised early
            and self.renderer_classes
            and self.renderer_classes[0] is JSONRenderer
            and api_settings.URL_FORMAT_OVERRIDE not in request._request.GET
        ):
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if request.method in ("POST", "PUT", "PATCH"):
            self._check_body_size(request)
        super().initial(request, *args, **kwargs)
        self._use_patient_language(request)
        if request.method in ("POST", "PUT", "PATCH"):
            # Parsed once signed in and allowed: a malformed body is a 400 even where the
            # operation ignores it, before any handler (or the idempotency fingerprint) runs.
            request.data  # noqa: B018

    @staticmethod
    def _use_patient_language(request: Request) -> None:
        """A patient's answers and errors come in their profile's language, however they signed
        in (a token is only known here, after DRF's authentication)."""
        user = request.user
        if not (user.is_authenticated and user.is_patient):
            return
        # Read by PatientLanguageMiddleware for a session; for a token, read here.
        profile = getattr(request._request, "patient_profile", None)
        if profile is None:
            try:
                profile = user.patient_profile
            except PatientProfile.DoesNotExist:
                profile = None
        language = profile.language if profile is not None else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language

    @staticmethod
    def _check_body_size(request: Request) -> None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        too_large = RequestTooLarge(
            gettext("The request body is larger than %(limit)s bytes.") % {"limit": limit}
        )
        if limit is not None and length > limit:
            raise too_large
        try:
            # Reading it here applies Django's limit to chunked bodies too; DRF's parsers then
            # read the cached copy.
            request._request.body  # noqa: B018
        except RequestDataTooBig:
            raise too_large from None

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            # A service's refusal (already in the request's language: services use gettext).
            exc = ValidationError(detail=serializers.as_serializer_error(exc))
        return super().handle_exception(exc)


def is_schema_generation(view: APIView) -> bool:
    """drf-spectacular calls get_queryset with no one signed in, only to learn the model."""
    return bool(getattr(view, "swagger_fake_view", False))


def request_user(request: Request) -> User:
    """The caller, once IsAuthenticated has let them in: one of our users, not AnonymousUser."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


def require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise PermissionDenied(gettext("Your account's role cannot do this."))
