"""The reminders API: one's own settings, push subscriptions, snooze / pause / "I moved", and
the inbox. Everything is scoped to the caller; another person's object is a 404."""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reminders import selectors, services
from reminders.models import InboxMessage, ReminderSchedule
from reminders.serializers import (
    InboxFilterSerializer,
    InboxMessageOutputSerializer,
    MovedOutputSerializer,
    PushSubscriptionInputSerializer,
    PushSubscriptionOutputSerializer,
    ReadAllOutputSerializer,
    ScheduleOutputSerializer,
    ScheduleUpdateInputSerializer,
    VapidPublicKeySerializer,
)
from reminders.users import User

TAGS = ["reminders"]


class RemindersApiMixin(APIView):
    """What every reminders API shares with the tracking API's (tracker.apis.base), without
    importing it: an anonymous caller gets 401 with `WWW-Authenticate`, and a malformed body is
    a 400 even where the operation takes none."""

    def get_authenticate_header(self, request: Request) -> str | None:  # type: ignore[override]  # DRF's own returns None too; its stub says str
        # DRF asks only the first authentication class, and session authentication has no
        # header (its answer would be 403); the first class that has one speaks.
        for authenticator in self.get_authenticators():
            header = authenticator.authenticate_header(request)
            if header:
                return header
        return None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method in ("POST", "PUT", "PATCH"):
            request.data  # noqa: B018 - parse now: a ParseError here is the caller's 400


def _caller(request: Request) -> User:
    """The signed-in caller (every reminders API requires one)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


def _own_schedule(request: Request, schedule_id: UUID) -> ReminderSchedule:
    schedule = selectors.schedule_for_user(user=_caller(request), public_id=schedule_id)
    if schedule is None:
        raise Http404
    return schedule


class ScheduleListApi(RemindersApiMixin, ListAPIView):
    serializer_class = ScheduleOutputSerializer
    pagination_class = None

    @extend_schema(tags=TAGS, summary="My reminder schedules")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReminderSchedule.objects.none()
        return selectors.schedules_for_user(user=_caller(self.request))


class ScheduleDetailApi(RemindersApiMixin, APIView):
    @extend_schema(tags=TAGS, responses=ScheduleOutputSerializer)
    def get(self, request: Request, schedule_id) -> Response:
        return Response(ScheduleOutputSerializer(_own_schedule(request, schedule_id)).data)

    @extend_schema(
        tags=TAGS,
        summary="Change my reminder settings",
        description="Partial and idempotent: sending the same values again changes nothing.",
        request=ScheduleUpdateInputSerializer,
        responses={200: ScheduleOutputSerializer, 400: OpenApiResponse(description="Invalid")},
    )
    def patch(self, request: Request, schedule_id) -> Response:
        schedule = _own_schedule(request, schedule_id)
        form = ScheduleUpdateInputSerializer(data=request.data, context={"schedule": schedule})
        form.is_valid(raise_exception=True)
        try:
            schedule = services.reminder_schedule_update(
                schedule=schedule, data=form.validated_data
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return Response(ScheduleOutputSerializer(schedule).data)


class ScheduleSnoozeApi(RemindersApiMixin, APIView):
    @extend_schema(
        tags=TAGS,
        summary="Remind me again in 10 minutes",
        request=None,
        responses=ScheduleOutputSerializer,
    )
    def post(self, request: Request, schedule_id) -> Response:
        schedule = services.reminder_snooze(schedule=_own_schedule(request, schedule_id))
        return Response(ScheduleOutputSerializer(schedule).data)


class SchedulePauseApi(RemindersApiMixin, APIView):
    @extend_schema(
        tags=TAGS,
        summary="No more of this reminder today",
        request=None,
        responses=ScheduleOutputSerializer,
    )
    def post(self, request: Request, schedule_id) -> Response:
        schedule = services.reminder_pause(schedule=_own_schedule(request, schedule_id))
        return Response(ScheduleOutputSerializer(schedule).data)


class StandUpMovedApi(RemindersApiMixin, APIView):
    @extend_schema(
        tags=TAGS,
        summary="I moved: restart my stand-up timer",
        request=None,
        responses=MovedOutputSerializer,
    )
    def post(self, request: Request) -> Response:
        return Response({"restarted": services.stand_up_moved(user=_caller(request))})


class PushSubscriptionListCreateApi(RemindersApiMixin, APIView):
    @extend_schema(tags=TAGS, responses=PushSubscriptionOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        subscriptions = selectors.push_subscriptions_for_user(user=_caller(request))
        return Response(PushSubscriptionOutputSerializer(subscriptions, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Register this browser for Web Push",
        description=(
            "Idempotent: registering the same endpoint again returns 200 and updates its keys. "
            "The endpoint must be an https URL on a known push service (PUSH_SERVICE_HOSTS). "
            "An endpoint another account has active answers 409 and changes nothing of theirs."
        ),
        request=PushSubscriptionInputSerializer,
        responses={
            201: PushSubscriptionOutputSerializer,
            200: PushSubscriptionOutputSerializer,
            400: OpenApiResponse(description="Not a push service endpoint, or keys missing"),
            409: OpenApiResponse(description="This endpoint is registered to another account"),
        },
    )
    def post(self, request: Request) -> Response:
        form = PushSubscriptionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            subscription, created = services.push_subscription_save(
                user=_caller(request),
                endpoint=form.validated_data["endpoint"],
                p256dh=form.validated_data["keys"]["p256dh"],
                auth=form.validated_data["keys"]["auth"],
                user_agent=form.validated_data.get("user_agent")
                or request.headers.get("User-Agent", ""),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        except services.EndpointTaken:
            return Response(
                {
                    "detail": _(
                        "This browser's push endpoint is registered to another account. "
                        "Switch reminders off there (or sign out of it on this browser) first."
                    )
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            PushSubscriptionOutputSerializer(subscription).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PushSubscriptionDetailApi(RemindersApiMixin, APIView):
    @extend_schema(tags=TAGS, summary="Stop Web Push to this browser", responses={204: None})
    def delete(self, request: Request, subscription_id) -> Response:
        subscription = selectors.push_subscription_for_user(
            user=_caller(request), public_id=subscription_id
        )
        if subscription is None:
            raise Http404
        services.push_subscription_remove(subscription=subscription)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VapidPublicKeyApi(RemindersApiMixin, APIView):
    @extend_schema(
        tags=TAGS,
        summary="The server's VAPID public key",
        responses={200: VapidPublicKeySerializer, 503: OpenApiResponse(description="No key")},
    )
    def get(self, request: Request) -> Response:
        if not settings.VAPID_PUBLIC_KEY:
            return Response(
                {"detail": "Web Push is not configured on this server."},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response({"public_key": settings.VAPID_PUBLIC_KEY})


class InboxListApi(RemindersApiMixin, ListAPIView):
    serializer_class = InboxMessageOutputSerializer

    @extend_schema(tags=TAGS, summary="My inbox, newest first", parameters=[InboxFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InboxMessage.objects.none()
        query = InboxFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.inbox_for_user(
            user=_caller(self.request), unread_only=query.validated_data["unread"]
        )


class InboxMessageReadApi(RemindersApiMixin, APIView):
    @extend_schema(
        tags=TAGS,
        summary="Mark one message read",
        request=None,
        responses=InboxMessageOutputSerializer,
    )
    def post(self, request: Request, message_id) -> Response:
        message = selectors.inbox_message_for_user(user=_caller(request), public_id=message_id)
        if message is None:
            raise Http404
        message = services.inbox_message_mark_read(message=message)
        return Response(InboxMessageOutputSerializer(message).data)


class InboxReadAllApi(RemindersApiMixin, APIView):
    @extend_schema(
        tags=TAGS,
        summary="Mark every message read",
        request=None,
        responses=ReadAllOutputSerializer,
    )
    def post(self, request: Request) -> Response:
        return Response({"marked": services.inbox_mark_all_read(user=_caller(request))})
