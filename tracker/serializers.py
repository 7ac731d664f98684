"""Input validation and output shape of the tracking API. No logic: services decide."""

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exercises.models import Phase
from reminders.serializers import StrictBooleanField, StrictIntegerField
from tracker.flag_texts import EMERGENCY_ADVICE, flag_explanation
from tracker.models import (
    NUMBNESS_AREAS,
    AssignmentItem,
    AuditAction,
    AuditEvent,
    CheckIn,
    Condition,
    Difficulty,
    Flag,
    Language,
    PatientProfile,
    ProgrammeAssignment,
    SessionLog,
    Sex,
    User,
)
from tracker.services import assignments, checkins, sessions
from tracker.services.patients import EARLIEST_PROFILE_DATE


def score_field(**kwargs) -> StrictIntegerField:
    return StrictIntegerField(min_value=0, max_value=10, **kwargs)


# --- auth --------------------------------------------------------------------------------------


class TokenObtainInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(
        help_text="When the token expires if unused; each use extends it, up to a fixed limit "
        "after it was issued."
    )


class AccountEraseInputSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- patients ----------------------------------------------------------------------------------


class CareTeamMemberSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="therapist.public_id")
    username = serializers.CharField(source="therapist.username")
    name = serializers.SerializerMethodField()

    def get_name(self, member) -> str:
        return member.therapist.get_full_name() or member.therapist.username


class PatientSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="user.public_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)  # may be blank
    clinic = serializers.CharField(source="clinic.name", read_only=True, allow_null=True)
    phase = serializers.SerializerMethodField()
    care_team = CareTeamMemberSerializer(source="user.care_team", many=True, read_only=True)

    class Meta:
        model = PatientProfile
        fields = [
            "id",
            "username",
            "email",
            "display_name",
            "date_of_birth",
            "sex",
            "conditions",
            "is_pregnant",
            "postpartum_on",
            "episode_started_on",
            "phase",
            "timezone",
            "language",
            "clinic",
            "care_team",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=[Phase.ACUTE, Phase.RECOVERY]))
    def get_phase(self, profile: PatientProfile) -> str:
        return profile.phase_on(timezone.localdate(timezone=profile.tzinfo))


PROFILE_DATE_RANGE = (
    f"From {EARLIEST_PROFILE_DATE.isoformat()} to today (the patient's local date)."
)


class PatientFieldsSerializer(serializers.Serializer):
    """The profile fields a client may set; all optional (PATCH semantics)."""

    email = serializers.EmailField(required=False, allow_blank=True)
    display_name = serializers.CharField(max_length=100, required=False)
    date_of_birth = serializers.DateField(
        required=False, allow_null=True, help_text=PROFILE_DATE_RANGE
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    conditions = serializers.ListField(
        child=serializers.ChoiceField(choices=Condition.choices),
        required=False,
        max_length=len(Condition.choices),
    )
    is_pregnant = StrictBooleanField(required=False)
    postpartum_on = serializers.DateField(
        required=False, allow_null=True, help_text=PROFILE_DATE_RANGE
    )
    episode_started_on = serializers.DateField(
        required=False, allow_null=True, help_text=PROFILE_DATE_RANGE
    )
    timezone = serializers.CharField(
        max_length=64, required=False, help_text="IANA time zone name, e.g. Asia/Shanghai."
    )
    language = serializers.ChoiceField(choices=Language.choices, required=False)

    def validate_conditions(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class PatientCreateInputSerializer(PatientFieldsSerializer):
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    display_name = serializers.CharField(max_length=100)


class CareTeamAddInputSerializer(serializers.Serializer):
    therapist = serializers.UUIDField(help_text="The colleague's user id.")


class MeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=User.Role.choices)
    clinic = serializers.CharField(source="clinic.name", allow_null=True, default=None)
    patient = PatientSerializer(allow_null=True)


# --- check-ins ---------------------------------------------------------------------------------


class CheckInInputSerializer(serializers.Serializer):
    date = serializers.DateField(
        help_text="The patient's local date (YYYY-MM-DD): today or up to "
        f"{checkins.MAX_BACKDATE_DAYS} days back."
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


# --- sessions ----------------------------------------------------------------------------------


class SessionLogInputSerializer(serializers.Serializer):
    item = serializers.UUIDField(required=False, help_text="A programme item's id.")
    exercise = serializers.SlugField(
        max_length=64, required=False, help_text="A catalogue exercise key, for a free exercise."
    )
    performed_at = serializers.DateTimeField(
        required=False,
        help_text=f"Default: now. Up to {checkins.MAX_BACKDATE_DAYS} days back and at most "
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
        help_text=f"Default: today. From {assignments.MAX_BACKDATE_DAYS} days back to "
        f"{assignments.MAX_AHEAD_DAYS} days ahead of the patient's today.",
    )
    remove = serializers.ListField(
        child=serializers.SlugField(max_length=64), required=False, max_length=50
    )
    changes = AssignmentChangeSerializer(many=True, required=False, max_length=50)
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


# --- flags ---------------------------------------------------------------------------------------


class FlagSerializer(serializers.ModelSerializer):
    """A flag for the care team: the explanation is the therapist's, in the request's language."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)
    explanation = serializers.SerializerMethodField()
    patient_advice = serializers.SerializerMethodField(
        help_text="What the patient is told, in the patient's language."
    )
    sources = serializers.ListField(child=serializers.CharField(), read_only=True)
    acknowledged_by = serializers.CharField(
        source="acknowledged_by.username", default=None, allow_null=True
    )
    resolved_by = serializers.CharField(
        source="resolved_by.username", default=None, allow_null=True
    )
    is_stale = serializers.SerializerMethodField(
        help_text="No new evidence for 7 days: reads 'no new evidence since last_evidence_on' "
        "and sorts below fresh flags of its severity (CLINICAL.md §4a). Still open."
    )

    class Meta:
        model = Flag
        fields = [
            "id",
            "patient",
            "rule",
            "severity",
            "status",
            "opened_on",
            "last_evidence_on",
            "is_stale",
            "answer_changed_at",
            "withdrawn_at",
            "opened_at",
            "updated_at",
            "evidence",
            "explanation",
            "patient_advice",
            "sources",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_note",
            "resolved_at",
            "resolved_by",
            "resolved_note",
        ]
        read_only_fields = fields

    def get_is_stale(self, flag: Flag) -> bool:
        return flag.is_stale(timezone.localdate())

    def get_explanation(self, flag: Flag) -> str:
        return flag_explanation(
            flag.rule,
            flag.latest_evidence,
            audience="therapist",
            language=translation.get_language() or "zh-hans",
        )

    def get_patient_advice(self, flag: Flag) -> str:
        return patient_advice(flag, language=self.context.get("patient_language"))


class PatientFlagSerializer(serializers.ModelSerializer):
    """A flag as its patient sees it: advice in their own words, no clinical shorthand."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    advice = serializers.SerializerMethodField()
    seek_emergency_care = serializers.BooleanField(source="is_urgent", read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "rule",
            "severity",
            "status",
            "opened_on",
            "last_evidence_on",
            "opened_at",
            "advice",
            "seek_emergency_care",
        ]
        read_only_fields = fields

    def get_advice(self, flag: Flag) -> str:
        return patient_advice(flag, language=self.context.get("patient_language"))


def patient_advice(flag: Flag, *, language: str | None = None) -> str:
    language = language or flag.patient.patient_profile.language
    text = flag_explanation(flag.rule, flag.latest_evidence, audience="patient", language=language)
    if flag.is_urgent:
        text = f"{text} {EMERGENCY_ADVICE['en' if language.startswith('en') else 'zh']}"
    return text


class FlagNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CheckInSubmittedSerializer(CheckInSerializer):
    """The stored check-in, the flags it opened or updated, and for an urgent flag the advice
    to seek emergency care now."""

    flags = PatientFlagSerializer(many=True, read_only=True)
    seek_emergency_care = serializers.BooleanField(read_only=True)
    emergency_advice = serializers.CharField(read_only=True, allow_null=True)

    class Meta(CheckInSerializer.Meta):
        fields = [
            *CheckInSerializer.Meta.fields,
            "flags",
            "seek_emergency_care",
            "emergency_advice",
        ]
        read_only_fields = fields
