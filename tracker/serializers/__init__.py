"""The tracking API's serializers, by what they carry (one module each)."""

from tracker.serializers.accounts import (
    PROFILE_DATE_RANGE,
    AccountEraseInputSerializer,
    CareTeamAddInputSerializer,
    CareTeamMemberSerializer,
    DetailSerializer,
    MeSerializer,
    PatientCreateInputSerializer,
    PatientFieldsSerializer,
    PatientSerializer,
    TokenObtainInputSerializer,
    TokenSerializer,
)
from tracker.serializers.common import (
    score_field,
)
from tracker.serializers.flags import (
    CheckInSubmittedSerializer,
    FlagNoteInputSerializer,
    FlagSerializer,
    PatientFlagSerializer,
    checkin_submitted_data,
    patient_advice,
)
from tracker.serializers.programmes import (
    AdherenceDaySerializer,
    AdherenceLast7Serializer,
    AdherenceSerializer,
    AdherenceWeekSerializer,
    AssignmentChangeSerializer,
    AssignmentInputSerializer,
    AssignmentItemSerializer,
    AssignmentSerializer,
    AuditEventSerializer,
)
from tracker.serializers.records import (
    CheckInInputSerializer,
    CheckInSerializer,
    SessionLogInputSerializer,
    SessionLogSerializer,
    session_data,
)

__all__ = [
    "PROFILE_DATE_RANGE",
    "AccountEraseInputSerializer",
    "AdherenceDaySerializer",
    "AdherenceLast7Serializer",
    "AdherenceSerializer",
    "AdherenceWeekSerializer",
    "AssignmentChangeSerializer",
    "AssignmentInputSerializer",
    "AssignmentItemSerializer",
    "AssignmentSerializer",
    "AuditEventSerializer",
    "CareTeamAddInputSerializer",
    "CareTeamMemberSerializer",
    "CheckInInputSerializer",
    "CheckInSerializer",
    "CheckInSubmittedSerializer",
    "DetailSerializer",
    "FlagNoteInputSerializer",
    "FlagSerializer",
    "MeSerializer",
    "PatientCreateInputSerializer",
    "PatientFieldsSerializer",
    "PatientFlagSerializer",
    "PatientSerializer",
    "SessionLogInputSerializer",
    "SessionLogSerializer",
    "TokenObtainInputSerializer",
    "TokenSerializer",
    "checkin_submitted_data",
    "patient_advice",
    "score_field",
    "session_data",
]
