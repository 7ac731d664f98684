"""Reads, always scoped to who is asking.

Patients see themselves; therapists their caseload (care-team membership); clinic admins the
patients of their clinic. Anything else is invisible: lookups answer 404 exactly as for an id
that does not exist.
"""

from typing import Any
from uuid import UUID

from django.db.models import F, Func, IntegerField, Prefetch, Q, QuerySet
from django.http import Http404

from tracker.models import (
    SEVERITY_RANK,
    AssignmentItem,
    AuditEvent,
    CareTeamMember,
    CheckIn,
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
    # One patient by its unique id: no ORDER BY (first()'s, or the list's by name) to build or
    # run (issue 16).
    found = list(
        patients_visible(user=user).filter(user__public_id=_parse_uuid(patient_id)).order_by()[:1]
    )
    if not found:
        raise Http404
    return found[0]


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


def flags_visible(*, user: User) -> QuerySet[Flag]:
    return Flag.objects.filter(_patient_q(user=user, prefix="patient")).select_related(
        "patient__patient_profile", "acknowledged_by", "resolved_by"
    )


def flags_for_patient(
    *, user: User, patient: User, status: str = "all", with_evidence: bool = False
) -> QuerySet[Flag]:
    """A patient's flags as `user` may see them; status: open, acknowledged, resolved or all.
    Most severe first, then most recent evidence. `with_evidence`: every flag's evidence rows
    read too (one more query), for pages that list each date."""
    flags = flags_visible(user=user).filter(patient=patient)
    if user.is_patient:
        # A withdrawn flag is the care team's record of a corrected answer, not advice.
        flags = flags.exclude(status=FlagStatus.WITHDRAWN)
    if status != "all":
        flags = flags.filter(status=status)
    flags = flags.order_by(*FLAG_SEVERITY_ORDER, "-last_evidence_on", "-opened_at")
    return flags.prefetch_related("evidence_rows") if with_evidence else flags


def flags_evidence_attach(*, patient: User, flags: list[Flag]) -> list[Flag]:
    """Every evidence entry of these flags of the patient, in one query that runs whether or not
    there are flags (a page's query count stays the same with and without them)."""
    from tracker.models import FlagEvidence

    held: dict[int, list[dict[str, Any]]] = {flag.pk: [] for flag in flags}
    rows = FlagEvidence.objects.filter(flag__patient=patient).order_by("flag_id", "on")
    for flag_id, data in rows.values_list("flag_id", "data"):
        if flag_id in held:
            held[flag_id].append(data)
    for flag in flags:
        flag.__dict__["_evidence"] = held[flag.pk]
    return flags


def flag_get(*, user: User, flag_id: object) -> Flag:
    flag = flags_visible(user=user).filter(public_id=_parse_uuid(flag_id)).first()
    if flag is None:
        raise Http404
    return flag


# CASE severity WHEN 'urgent' THEN 4 … END, written once: a searched CASE of When(...) clauses
# costs 1–3 ms of query building every time a page uses it (issue 16). The names and ranks are
# our own constants (rules.SEVERITY_RANK), not input, so they are safe in the SQL text.
_SEVERITY_CASE = (
    "CASE %(expressions)s "
    + " ".join(f"WHEN '{name}' THEN {int(rank)}" for name, rank in SEVERITY_RANK.items())
    + " ELSE 0 END"
)


def flag_severity_rank(prefix: str = "") -> Func:
    """rules.SEVERITY_RANK in SQL, over the severity column of the flag at `prefix`
    ("" for Flag itself, "flags__" through a relation)."""
    return Func(F(f"{prefix}severity"), template=_SEVERITY_CASE, output_field=IntegerField())


# Most severe first.
FLAG_SEVERITY_ORDER = (flag_severity_rank().desc(),)
FLAG_STATUSES = ("all", *FlagStatus.values)

# One definition of adherence (tracker/selectors/adherence.py), importable from here as before.
from tracker.selectors.adherence import patient_adherence  # noqa: E402, F401

# The data export lives in its own module (issue 14); imported here as before.
from tracker.selectors.export import patient_export  # noqa: E402, F401
