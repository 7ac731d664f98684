"""The tracking app's models, one module per concern; import them from here."""

from tracker.models.accounts import EMERGENCY_NUMBERS, Clinic, Country, User
from tracker.models.audit import AuditAction, AuditEvent, IdempotencyRecord
from tracker.models.flags import (
    CLOSED_STATUSES,
    SEVERITY_RANK,
    STALE_AFTER_DAYS,
    UNRESOLVED_STATUSES,
    Flag,
    FlagRule,
    FlagSeverity,
    FlagStatus,
)
from tracker.models.invitations import Invitation, InvitationKind
from tracker.models.outcomes import (
    PSFS_MAX_ACTIVITIES,
    PSFS_SCORE_MAX,
    PsfsActivity,
    PsfsRating,
)
from tracker.models.patients import (
    ACUTE_PHASE_DAYS,
    DEFAULT_TIMEZONE,
    AssignmentItem,
    CareTeamMember,
    Condition,
    Language,
    PatientProfile,
    ProgrammeAssignment,
    Sex,
    episode_phase,
    validate_timezone,
)
from tracker.models.records import (
    NUMBNESS_AREAS,
    NUMBNESS_SITES,
    CheckIn,
    CheckInRevision,
    Difficulty,
    SessionLog,
)

__all__ = [
    "ACUTE_PHASE_DAYS",
    "CLOSED_STATUSES",
    "DEFAULT_TIMEZONE",
    "EMERGENCY_NUMBERS",
    "NUMBNESS_AREAS",
    "NUMBNESS_SITES",
    "PSFS_MAX_ACTIVITIES",
    "PSFS_SCORE_MAX",
    "SEVERITY_RANK",
    "STALE_AFTER_DAYS",
    "UNRESOLVED_STATUSES",
    "AssignmentItem",
    "AuditAction",
    "AuditEvent",
    "CareTeamMember",
    "CheckIn",
    "CheckInRevision",
    "Clinic",
    "Condition",
    "Country",
    "Difficulty",
    "Flag",
    "FlagRule",
    "FlagSeverity",
    "FlagStatus",
    "IdempotencyRecord",
    "Invitation",
    "InvitationKind",
    "Language",
    "PatientProfile",
    "ProgrammeAssignment",
    "PsfsActivity",
    "PsfsRating",
    "SessionLog",
    "Sex",
    "User",
    "episode_phase",
    "validate_timezone",
]
