"""Programme versions, adherence and the audit log."""

from rest_framework import serializers

from reminders.serializers import StrictIntegerField
from tracker.models import (
    AssignmentItem,
    AuditAction,
    AuditEvent,
    ProgrammeAssignment,
)
from tracker.patient_calendar import MAX_BACKDATE_DAYS
from tracker.services import assignments

# --- assignments -------------------------------------------------------------------------------


class AssignmentChangeSerializer(serializers.Serializer):
    exercise = serializers.SlugField(max_length=64)
    sets = StrictIntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    reps = StrictIntegerField(min_value=0, max_value=10000, required=False, allow_null=True)
    hold_seconds = StrictIntegerField(min_value=0, max_value=3600, required=False, allow_null=True)
    minutes = StrictIntegerField(min_value=0, max_value=24 * 60, required=False, allow_null=True)
    times_per_day = StrictIntegerField(min_value=0, max_value=48, required=False, allow_null=True)
    days_per_week = StrictIntegerField(min_value=1, max_value=7, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    override_reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="Why this exercise is given despite its caution (recorded with your name).",
    )


class AssignmentInputSerializer(serializers.Serializer):
    template = serializers.SlugField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="A programme template key; blank: change the current programme.",
    )
    starts_on = serializers.DateField(
        required=False,
        help_text=f"Default: today. From {MAX_BACKDATE_DAYS} days back to "
        f"{assignments.MAX_AHEAD_DAYS} days ahead of the patient's today.",
    )
    remove = serializers.ListField(
        child=serializers.SlugField(max_length=64), required=False, max_length=50
    )
    # max_length goes to the ListSerializer that many=True makes; the stubs do not know it.
    changes = AssignmentChangeSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class AssignmentItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    exercise = serializers.CharField(source="exercise.key")
    exercise_name = serializers.SerializerMethodField()
    overridden_by = serializers.CharField(
        source="overridden_by.username", allow_null=True, default=None
    )

    class Meta:
        model = AssignmentItem
        fields = [
            "id",
            "exercise",
            "exercise_name",
            "position",
            "sets",
            "reps",
            "hold_seconds",
            "minutes",
            "times_per_day",
            "days_per_week",
            "note",
            "note_en",
            "overridden_cautions",
            "override_reason",
            "overridden_by",
            "overridden_at",
        ]
        read_only_fields = fields

    def get_exercise_name(self, item: AssignmentItem) -> str:
        return item.exercise.localized("name")


class AssignmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)
    template = serializers.CharField(source="template.key", allow_null=True, default=None)
    created_by = serializers.CharField(source="created_by.username")
    items = AssignmentItemSerializer(many=True)

    class Meta:
        model = ProgrammeAssignment
        fields = [
            "id",
            "patient",
            "version",
            "is_current",
            "template",
            "starts_on",
            "note",
            "created_by",
            "created_at",
            "items",
        ]
        read_only_fields = fields


# --- adherence, export, audit ------------------------------------------------------------------


class AdherenceDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    prescribed = serializers.FloatField(help_text="Sessions owed that day (Σ days_per_week / 7).")
    done = serializers.IntegerField(help_text="Distinct prescribed exercises logged that day.")
    has_checkin = serializers.BooleanField()
    has_session = serializers.BooleanField()


class AdherenceWeekSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    prescribed = serializers.FloatField()
    done = serializers.IntegerField()
    ratio = serializers.FloatField(allow_null=True)


class AdherenceLast7Serializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    prescribed = serializers.FloatField(
        help_text="Sessions owed over the 7 days, each day by the programme version in force."
    )
    done = serializers.IntegerField(
        help_text="Per exercise, days logged while prescribed, at most the sessions it owed "
        "(rounded up)."
    )
    ratio = serializers.FloatField(allow_null=True)


class AdherenceSerializer(serializers.Serializer):
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    window_days = serializers.IntegerField()
    days_with_data = serializers.IntegerField(
        help_text="Days in the window with a check-in or a session."
    )
    prescribed = serializers.FloatField()
    done = serializers.IntegerField()
    ratio = serializers.FloatField(allow_null=True)
    last_7 = AdherenceLast7Serializer(
        help_text="The rolling 7 days ending today: the caseload's figure and the one the "
        "adherence_drop rule judges."
    )
    days = AdherenceDaySerializer(many=True)
    weeks = AdherenceWeekSerializer(many=True)


class AuditEventSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    actor_id = serializers.UUIDField(source="actor.public_id", allow_null=True, default=None)
    patient = serializers.UUIDField(source="patient.public_id", allow_null=True, default=None)
    action = serializers.ChoiceField(choices=AuditAction.choices)

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "actor_id", "patient", "action", "object_type", "object_id"]
        read_only_fields = fields
