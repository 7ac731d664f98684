from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reminders.models import Kind, Language, ReminderSchedule
from reminders.push_endpoints import EndpointRefused, endpoint_check
from reminders.schedule_values import (
    MAX_PAUSE_DAYS,
    STAND_UP_MAX_MINUTES,
    STAND_UP_MIN_MINUTES,
    validate_timezone,
)

# Lazy (format_lazy, not .format): rendered when the error is raised, in the request's
# language; formatting it here would freeze the language active at import.
_INTERVAL_RANGE = format_lazy(
    _("The stand-up interval must be between {low} and {high} minutes."),
    low=STAND_UP_MIN_MINUTES,
    high=STAND_UP_MAX_MINUTES,
)


# Strict JSON input, shared with the tracking API (which imports them: reminders is the lower
# layer). Form and query-string input is all strings, so there the usual coercion applies.


def _from_form(field: serializers.Field) -> bool:
    root = field.root
    return isinstance(getattr(root, "initial_data", None), QueryDict)


class StrictIntegerField(serializers.IntegerField):
    """A JSON number that is a whole number: "5", 5.5 and true are refused, not coerced."""

    def to_internal_value(self, data):
        if not _from_form(self) and (
            isinstance(data, bool)
            or not isinstance(data, int | float)
            or (isinstance(data, float) and not data.is_integer())
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not _from_form(self) and not isinstance(data, bool):
            self.fail("invalid", input=data)
        return super().to_internal_value(data)


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "08:00"}
)
class HourMinuteField(serializers.TimeField):
    """A local time sent as "HH:MM" (OpenAPI's `format: time` would promise seconds)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ScheduleOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=Kind.choices)
    key = serializers.CharField()
    is_enabled = serializers.BooleanField()
    timezone = serializers.CharField()
    language = serializers.ChoiceField(choices=Language.choices)
    active_from = HourMinuteField()
    active_until = HourMinuteField()
    weekdays = serializers.ListField(child=serializers.IntegerField(), help_text="1 = Monday.")
    quiet_from = HourMinuteField(allow_null=True)
    quiet_until = HourMinuteField(allow_null=True)
    interval_minutes = serializers.IntegerField(allow_null=True)
    times_of_day = serializers.ListField(child=HourMinuteField())
    channels = serializers.ListField(
        child=serializers.CharField(), help_text="push and/or email; the inbox is always on."
    )
    paused_until = serializers.DateTimeField(allow_null=True)
    next_due_at = serializers.DateTimeField(allow_null=True)
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    detail_zh = serializers.CharField()
    detail_en = serializers.CharField()


class ScheduleUpdateInputSerializer(serializers.Serializer):
    """A partial update of one's own schedule. Interval only for stand-up (30-40 minutes),
    times of day only for the others."""

    is_enabled = StrictBooleanField(required=False)
    timezone = serializers.CharField(
        required=False, validators=[validate_timezone], help_text="IANA time zone name."
    )
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    active_from = serializers.TimeField(required=False)
    active_until = serializers.TimeField(required=False)
    weekdays = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=7),
        required=False,
        max_length=7,
        help_text="1 = Monday … 7 = Sunday, each at most once; an empty list switches every "
        "day off.",
    )
    quiet_from = serializers.TimeField(required=False, allow_null=True)
    quiet_until = serializers.TimeField(required=False, allow_null=True)
    interval_minutes = StrictIntegerField(
        required=False,
        min_value=STAND_UP_MIN_MINUTES,
        max_value=STAND_UP_MAX_MINUTES,
        error_messages={"min_value": _INTERVAL_RANGE, "max_value": _INTERVAL_RANGE},
        help_text=f"Stand-up only: {STAND_UP_MIN_MINUTES}-{STAND_UP_MAX_MINUTES} minutes.",
    )
    times_of_day = serializers.ListField(
        child=serializers.TimeField(format="%H:%M"),
        required=False,
        max_length=12,
        help_text="HH:MM local times; not for stand-up.",
    )
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=["push", "email"]), required=False, max_length=2
    )
    paused_until = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=f"At most {MAX_PAUSE_DAYS} days from now; null resumes a paused reminder.",
    )

    def validate_weekdays(self, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError(_("Give each weekday at most once."))
        return value

    def validate(self, data: dict) -> dict:
        schedule: ReminderSchedule = self.context["schedule"]
        errors = {}
        if schedule.kind == Kind.STAND_UP and "times_of_day" in data:
            errors["times_of_day"] = _("A stand-up reminder runs on an interval, not at times.")
        if schedule.kind != Kind.STAND_UP and "interval_minutes" in data:
            errors["interval_minutes"] = _("Only the stand-up reminder has an interval.")
        start = data.get("active_from", schedule.active_from)
        end = data.get("active_until", schedule.active_until)
        if start >= end:
            errors["active_until"] = _("Active hours must end after they start.")
        quiet_from = data.get("quiet_from", schedule.quiet_from)
        quiet_until = data.get("quiet_until", schedule.quiet_until)
        if (quiet_from is None) != (quiet_until is None):
            errors["quiet_until"] = _("Quiet hours need both a start and an end (or neither).")
        if errors:
            raise serializers.ValidationError(errors)
        if "times_of_day" in data:
            data["times_of_day"] = [t.strftime("%H:%M") for t in data["times_of_day"]]
        return data


class PushSubscriptionKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)


class PushSubscriptionInputSerializer(serializers.Serializer):
    """What the browser's PushSubscription.toJSON() gives."""

    endpoint = serializers.URLField(max_length=2000)
    keys = PushSubscriptionKeysSerializer()
    user_agent = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def validate_endpoint(self, value: str) -> str:
        # https on a known push service, no address (reminders.push_endpoints).
        try:
            endpoint_check(value)
        except EndpointRefused as error:
            raise serializers.ValidationError(str(error)) from error
        return value


class PushSubscriptionOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    endpoint = serializers.URLField()
    user_agent = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_success_at = serializers.DateTimeField(allow_null=True)


class VapidPublicKeySerializer(serializers.Serializer):
    public_key = serializers.CharField(
        help_text="applicationServerKey for PushManager.subscribe(), base64url."
    )


class InboxMessageOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class InboxFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)


class MovedOutputSerializer(serializers.Serializer):
    restarted = serializers.IntegerField(help_text="How many stand-up timers restarted.")


class ReadAllOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
