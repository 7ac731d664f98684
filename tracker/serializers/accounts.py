"""Signing in, the account, patients and their care team."""

from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exercises.models import Phase
from reminders.serializers import StrictBooleanField
from tracker.models import (
    Condition,
    Language,
    PatientProfile,
    Sex,
    User,
)
from tracker.patient_calendar import local_today
from tracker.services.patients import EARLIEST_PROFILE_DATE

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
        return profile.phase_on(local_today(profile))


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
