"""Worsening flags, for the care team and for the patient; the check-in's answer with them."""

from typing import Any

from django.utils import timezone, translation
from rest_framework import serializers

from tracker.flag_texts import emergency_advice, flag_explanation
from tracker.models import CheckIn, Flag
from tracker.serializers.records import CheckInSerializer, api_date, api_datetime, checkin_data

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
    evidence = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="One entry per date the rule fired, oldest first (its values and `date`).",
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
        text = f"{text} {emergency_advice(language=language)}"
    return text


class FlagNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    send_to_patient = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also send the note to the patient as a message in their conversation.",
    )


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


def patient_flag_data(flag: Flag, *, language: str) -> dict[str, Any]:
    """PatientFlagSerializer's output, built by hand (see records.checkin_data)."""
    return {
        "id": str(flag.public_id),
        "rule": flag.rule,
        "severity": flag.severity,
        "status": flag.status,
        "opened_on": api_date(flag.opened_on),
        "last_evidence_on": api_date(flag.last_evidence_on),
        "opened_at": api_datetime(flag.opened_at),
        "advice": patient_advice(flag, language=language),
        "seek_emergency_care": flag.is_urgent,
    }


def checkin_submitted_data(
    checkin: CheckIn,
    *,
    flags: list[Flag],
    seek_emergency_care: bool,
    emergency_advice: str | None,
    language: str,
) -> dict[str, Any]:
    """CheckInSubmittedSerializer's output, built by hand."""
    return {
        **checkin_data(checkin),
        "flags": [patient_flag_data(flag, language=language) for flag in flags],
        "seek_emergency_care": seek_emergency_care,
        "emergency_advice": emergency_advice,
    }
