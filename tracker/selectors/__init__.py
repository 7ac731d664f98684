"""Reads, always scoped to who is asking.

Patients see themselves; therapists their caseload (care-team membership); clinic admins the
patients of their clinic. Anything else is invisible: lookups answer 404 exactly as for an id
that does not exist.
"""

from typing import Any
from uuid import UUID

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from tracker.models import (
    SEVERITY_RANK,
    AssignmentItem,
    AuditEvent,
    CareTeamMember,
    CheckIn,
    CheckInRevision,
    Flag,
    FlagStatus,
    PatientProfile,
    ProgrammeAssignment,
    SessionLog,
    User,
)


def _patient_q(*, user: User, prefix: str) -> Q:
    """The Q that keeps rows whose patient (`<prefix>`, a User relation) the user may see."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_patient:
        return Q(**{prefix: user.pk})
    if user.is_therapist:
        return Q(
            **{f"{prefix}__in": CareTeamMember.objects.filter(therapist=user).values("patient")}
        )
    if user.is_clinic_admin and user.clinic_id is not None:
        return Q(**{f"{prefix}__patient_profile__clinic_id": user.clinic_id})
    return Q(pk__in=[])


def patients_visible(*, user: User) -> QuerySet[PatientProfile]:
    return (
        PatientProfile.objects.filter(_patient_q(user=user, prefix="user"))
        .select_related("user", "clinic")
        .prefetch_related(
            Prefetch(
                "user__care_team",
                queryset=CareTeamMember.objects.select_related("therapist").order_by("added_at"),
            )
        )
        .order_by("display_name", "user_id")
    )


def _parse_uuid(value: object) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise Http404 from None


def patient_get(*, user: User, patient_id: object) -> PatientProfile:
    profile = patients_visible(user=user).filter(user__public_id=_parse_uuid(patient_id)).first()
    if profile is None:
        raise Http404
    return profile


def checkins_visible(*, user: User) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(_patient_q(user=user, prefix="patient"))
        .select_related("patient")
        .order_by("-date", "patient_id")
    )


def sessions_visible(*, user: User) -> QuerySet[SessionLog]:
    return (
        SessionLog.objects.filter(_patient_q(user=user, prefix="patient"))
        .select_related("patient", "exercise", "item")
        .order_by("-performed_at")
    )


def assignments_for_patient(*, patient: User) -> QuerySet[ProgrammeAssignment]:
    return (
        ProgrammeAssignment.objects.filter(patient=patient)
        .select_related("template", "created_by", "patient")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AssignmentItem.objects.select_related(
                    "exercise", "overridden_by"
                ).order_by("position"),
            )
        )
        .order_by("-version")
    )


def audit_events_visible(*, user: User) -> QuerySet[AuditEvent]:
    if not (user.is_authenticated and user.is_clinic_admin and user.clinic_id is not None):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(clinic_id=user.clinic_id).select_related("actor", "patient")


def patient_export(*, patient: User) -> dict[str, Any]:
    """Everything stored about one patient, as plain data (JSON- and CSV-ready)."""
    from tracker.selectors.psfs import psfs_export

    profile = PatientProfile.objects.select_related("clinic").filter(user=patient).first()
    checkins = list(CheckIn.objects.filter(patient=patient).order_by("date"))
    revisions = CheckInRevision.objects.filter(checkin__patient=patient).select_related("checkin")
    sessions = SessionLog.objects.filter(patient=patient).select_related("exercise", "item")
    return {
        "account": {
            "id": patient.public_id,
            "username": patient.username,
            "email": patient.email,
            "date_joined": patient.date_joined,
        },
        "profile": None
        if profile is None
        else {
            "display_name": profile.display_name,
            "date_of_birth": profile.date_of_birth,
            "sex": profile.sex,
            "conditions": profile.conditions,
            "is_pregnant": profile.is_pregnant,
            "postpartum_on": profile.postpartum_on,
            "episode_started_on": profile.episode_started_on,
            "timezone": profile.timezone,
            "language": profile.language,
            "clinic": profile.clinic.name if profile.clinic else None,
        },
        "care_team": [
            {"therapist": member.therapist.username, "added_at": member.added_at}
            for member in CareTeamMember.objects.filter(patient=patient).select_related("therapist")
        ],
        "assignments": [
            {
                "id": assignment.public_id,
                "version": assignment.version,
                "is_current": assignment.is_current,
                "template": assignment.template.key if assignment.template else None,
                "starts_on": assignment.starts_on,
                "note": assignment.note,
                "created_by": assignment.created_by.username,
                "created_at": assignment.created_at,
                "items": [
                    {
                        "id": item.public_id,
                        "exercise": item.exercise.key,
                        "sets": item.sets,
                        "reps": item.reps,
                        "hold_seconds": item.hold_seconds,
                        "minutes": item.minutes,
                        "times_per_day": item.times_per_day,
                        "days_per_week": item.days_per_week,
                        "note": item.note,
                        "overridden_cautions": item.overridden_cautions,
                        "override_reason": item.override_reason,
                    }
                    for item in assignment.items.all()
                ],
            }
            for assignment in assignments_for_patient(patient=patient).order_by("version")
        ],
        "sessions": [
            {
                "id": session.public_id,
                "item": session.item.public_id if session.item else None,
                "exercise": session.exercise.key,
                "performed_at": session.performed_at,
                "performed_on": session.performed_on,
                "sets": session.sets,
                "reps": session.reps,
                "minutes": session.minutes,
                "pain_during": session.pain_during,
                "difficulty": session.difficulty,
                "note": session.note,
            }
            for session in sessions.order_by("performed_at")
        ],
        "checkins": [
            {"id": c.public_id, "date": c.date, **c.answers(), "updated_at": c.updated_at}
            for c in checkins
        ],
        "checkin_revisions": [
            {
                "checkin": revision.checkin.public_id,
                "date": revision.checkin.date,
                **revision.answers,
                "submitted_at": revision.submitted_at,
                "replaced_at": revision.replaced_at,
            }
            for revision in revisions.order_by("checkin__date", "replaced_at")
        ],
        "psfs": psfs_export(patient=patient),
    }


def flags_visible(*, user: User) -> QuerySet[Flag]:
    return Flag.objects.filter(_patient_q(user=user, prefix="patient")).select_related(
        "patient__patient_profile", "acknowledged_by", "resolved_by"
    )


def flags_for_patient(*, user: User, patient: User, status: str = "all") -> QuerySet[Flag]:
    """A patient's flags as `user` may see them; status: open, acknowledged, resolved or all.
    Most severe first, then most recent evidence."""
    flags = flags_visible(user=user).filter(patient=patient)
    if user.is_patient:
        # A withdrawn flag is the care team's record of a corrected answer, not advice.
        flags = flags.exclude(status=FlagStatus.WITHDRAWN)
    if status != "all":
        flags = flags.filter(status=status)
    return flags.order_by(*FLAG_SEVERITY_ORDER, "-last_evidence_on", "-opened_at")


def flag_get(*, user: User, flag_id: object) -> Flag:
    flag = flags_visible(user=user).filter(public_id=_parse_uuid(flag_id)).first()
    if flag is None:
        raise Http404
    return flag


def flag_severity_rank() -> Case:
    """rules.SEVERITY_RANK in SQL: a CASE over the severity column (no join)."""
    return Case(
        *[When(severity=name, then=Value(rank)) for name, rank in SEVERITY_RANK.items()],
        default=Value(0),
    )


# Most severe first.
FLAG_SEVERITY_ORDER = (flag_severity_rank().desc(),)
FLAG_STATUSES = ("all", *FlagStatus.values)

# One definition of adherence (tracker/selectors/adherence.py), importable from here as before.
from tracker.selectors.adherence import patient_adherence  # noqa: E402, F401
