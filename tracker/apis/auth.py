from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.apis.base import TrackerApiMixin, require_role
from tracker.auth_backends import TokenAuthentication
from tracker.idempotency import IDEMPOTENCY_PARAMETERS, IDEMPOTENCY_RESPONSES, idempotent
from tracker.models import User
from tracker.selectors import patients_visible
from tracker.serializers import (
    AccountEraseInputSerializer,
    DetailSerializer,
    MeSerializer,
    PatientSerializer,
    TokenObtainInputSerializer,
    TokenSerializer,
)
from tracker.services.auth import (
    LoginThrottled,
    auth_token_obtain,
    auth_token_revoke,
    auth_tokens_revoke_all,
)
from tracker.services.erasure import account_erase


class TokenObtainApi(TrackerApiMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        auth=[],
        request=TokenObtainInputSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(
                description="Too many failed sign-ins for this username from this address: "
                "wait the seconds that `Retry-After` says (each refused try restarts the wait)."
            ),
        },
        description="Exchange a username and password for a new API token; send it as "
        "`Authorization: Token <token>`. The token is stored only as a hash, expires after a "
        "period without use (`expiry`; each use extends it, up to a fixed limit after it was "
        "issued), and is revoked by `auth/logout/`, `auth/logout-all/` and a password change. "
        "Failed attempts are counted per username and address together.",
    )
    def post(self, request):
        serializer = TokenObtainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            instance, token = auth_token_obtain(
                request=request._request, **serializer.validated_data
            )
        except LoginThrottled as throttled:
            raise Throttled(wait=throttled.wait_seconds, detail=str(throttled)) from None
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


class LogoutApi(TrackerApiMixin, APIView):
    authentication_classes = [TokenAuthentication]

    @extend_schema(
        operation_id="auth_logout",
        tags=["auth"],
        request=None,
        responses={204: None, 401: OpenApiResponse(description="No valid token.")},
        description="Revoke the token this request is made with.",
    )
    def post(self, request):
        if request.auth is None:  # signed in some other way: there is no token to revoke
            raise NotAuthenticated("Send the token to revoke as `Authorization: Token <token>`.")
        auth_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllApi(TrackerApiMixin, APIView):
    authentication_classes = [TokenAuthentication]

    @extend_schema(
        operation_id="auth_logout_all",
        tags=["auth"],
        request=None,
        responses={204: None, 401: OpenApiResponse(description="No valid token.")},
        description="Revoke every token of the signed-in user (all their devices).",
    )
    def post(self, request):
        auth_tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="me_retrieve",
        tags=["auth"],
        responses=MeSerializer,
        description="Who is signed in; for a patient, their own record (its `id` is the "
        "patient id used in the other endpoints).",
    )
    def get(self, request):
        user: User = request.user
        profile = patients_visible(user=user).filter(user=user).first()
        return Response(
            {
                "id": user.public_id,
                "username": user.username,
                "role": user.role,
                "clinic": user.clinic.name if user.clinic else None,
                "patient": PatientSerializer(profile).data if profile else None,
            }
        )


class AccountEraseApi(TrackerApiMixin, APIView):
    @extend_schema(
        parameters=IDEMPOTENCY_PARAMETERS,
        operation_id="account_erase",
        tags=["auth"],
        request=AccountEraseInputSerializer,
        responses={
            200: DetailSerializer,
            400: OpenApiResponse(description="Wrong password."),
            **IDEMPOTENCY_RESPONSES,
        },
        description="A patient erases their account: check-ins, sessions, programmes and "
        "profile are deleted, the login is anonymised and deactivated, every token revoked. "
        "The audit trail is kept (it no longer names the person).",
    )
    @idempotent
    def post(self, request):
        require_role(request.user, User.Role.PATIENT)
        serializer = AccountEraseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_erase(user=request.user, password=serializer.validated_data["password"])
        return Response(
            {"detail": "Your account and health data have been erased."}, status.HTTP_200_OK
        )
