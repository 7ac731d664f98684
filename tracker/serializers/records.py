"""Daily check-ins and exercise sessions."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils.timezone import get_current_timezone, is_aware
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from reminders.serializers import StrictBooleanField, StrictIntegerField
from tracker.models import (
    NUMBNESS_AREAS,
    CheckIn,
    Difficulty,
    SessionLog,
)
from tracker.patient_calendar import MAX_BACKDATE_DAYS
from tracker.serializers.common import score_field
from tracker.services import sessions

# --- check-ins ---------------------------------------------------------------------------------


class CheckInInputSerializer(serializers.Serializer):
    date = serializers.DateField(
        help_text="The patient's local date (YYYY-MM-DD): today or up to "
        f"{MAX_BACKDATE_DAYS} days back."
    )
    back_pain = score_field()
    leg_pain = score_field()
    numbness = score_field()
    numbness_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=NUMBNESS_AREAS),
        required=False,
        max_length=len(NUMBNESS_AREAS),
    )
    can_walk_on_heels = StrictBooleanField(required=False)
    can_walk_on_toes = StrictBooleanField(required=False)
    bowel_bladder_change = StrictBooleanField(required=False)
    saddle_numbness = StrictBooleanField(required=False)
    night_pain = StrictBooleanField(required=False)
    calf_cramps = StrictBooleanField(required=False)
    stopped_walking = StrictBooleanField(required=False)
    walking_minutes = StrictIntegerField(
        min_value=0, max_value=24 * 60, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class CheckInSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)
    numbness_areas = serializers.ListField(child=serializers.ChoiceField(choices=NUMBNESS_AREAS))

    class Meta:
        model = CheckIn
        fields = ["id", "patient", "date", *CheckIn.ANSWER_FIELDS, "created_at", "updated_at"]
        read_only_fields = fields


# The POSTs' answers are built by hand (checkin_data, session_data): a ModelSerializer builds its
# fields anew for every instance, ~2 ms of CPU a check-in (issue 16). The serializers stay the
# schema's; tests/tracker/apis/test_response_shapes.py holds both to the same output.
_DATETIME = serializers.DateTimeField()


def api_datetime(value: datetime | None) -> str | None:
    """As DRF writes a datetime: ISO 8601 in the current time zone, `Z` for UTC. DRF's own steps
    for an aware datetime (the field's to_representation cost a tenth of the answer's
    building); anything else is left to the field."""
    if value is None:
        return None
    if api_settings.DATETIME_FORMAT != ISO_8601 or not settings.USE_TZ or not is_aware(value):
        return _DATETIME.to_representation(value)
    text = value.astimezone(get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def api_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def checkin_data(checkin: CheckIn) -> dict[str, Any]:
    """CheckInSerializer's output, built by hand."""
    return {
        "id": str(checkin.public_id),
        "patient": str(checkin.patient.public_id),
        "date": api_date(checkin.date),
        **{name: getattr(checkin, name) for name in CheckIn.ANSWER_FIELDS},
        "numbness_areas": list(checkin.numbness_areas),
        "created_at": api_datetime(checkin.created_at),
        "updated_at": api_datetime(checkin.updated_at),
    }


# --- sessions ----------------------------------------------------------------------------------


class SessionLogInputSerializer(serializers.Serializer):
    item = serializers.UUIDField(required=False, help_text="A programme item's id.")
    exercise = serializers.SlugField(
        max_length=64, required=False, help_text="A catalogue exercise key, for a free exercise."
    )
    performed_at = serializers.DateTimeField(
        required=False,
        help_text=f"Default: now. Up to {MAX_BACKDATE_DAYS} days back and at most "
        f"{sessions.CLOCK_SKEW.seconds // 60} minutes ahead (clock skew).",
    )
    sets = StrictIntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    reps = StrictIntegerField(min_value=0, max_value=10000, required=False, allow_null=True)
    minutes = StrictIntegerField(min_value=0, max_value=24 * 60, required=False, allow_null=True)
    pain_during = score_field(required=False, allow_null=True)
    difficulty = serializers.ChoiceField(
        choices=Difficulty.choices, required=False, allow_blank=True
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class SessionLogSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)
    item = serializers.UUIDField(source="item.public_id", read_only=True, allow_null=True)
    exercise = serializers.CharField(source="exercise.key", read_only=True)
    # Declared, not derived: blank ("not said") is one of the values sent.
    difficulty = serializers.ChoiceField(
        choices=Difficulty.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = SessionLog
        fields = [
            "id",
            "patient",
            "item",
            "exercise",
            "performed_at",
            "performed_on",
            "sets",
            "reps",
            "minutes",
            "pain_during",
            "difficulty",
            "note",
            "created_at",
        ]
        read_only_fields = fields


def session_data(session: SessionLog) -> dict[str, Any]:
    """SessionLogSerializer's output, built by hand (see checkin_data)."""
    return {
        "id": str(session.public_id),
        "patient": str(session.patient.public_id),
        "item": str(session.item.public_id) if session.item is not None else None,
        "exercise": session.exercise.key,
        "performed_at": api_datetime(session.performed_at),
        "performed_on": api_date(session.performed_on),
        "sets": session.sets,
        "reps": session.reps,
        "minutes": session.minutes,
        "pain_during": session.pain_during,
        "difficulty": session.difficulty,
        "note": session.note,
        "created_at": api_datetime(session.created_at),
    }
