"""Invitations and the clinic's people, scoped to who is asking (issue 10)."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tracker.models import CareTeamMember, Invitation, InvitationKind, PatientProfile, User
from tracker.selectors import _parse_uuid, _patient_q


def invitations_visible(*, user: User) -> QuerySet[Invitation]:
    """Therapists: their care-team patients' invitations. Clinic admins: their clinic's."""
    rows = Invitation.objects.select_related("user", "invited_by", "clinic")
    if not user.is_authenticated or not user.is_active:
        return rows.none()
    if user.is_therapist:
        return rows.filter(Q(kind=InvitationKind.PATIENT) & _patient_q(user=user, prefix="user"))
    if user.is_clinic_admin and user.clinic_id is not None:
        return rows.filter(clinic_id=user.clinic_id)
    return rows.none()


def invitation_get(*, user: User, invitation_id: object) -> Invitation:
    invitation = invitations_visible(user=user).filter(public_id=_parse_uuid(invitation_id)).first()
    if invitation is None:
        raise Http404
    return invitation


def patient_latest_invitation(*, patient: User) -> Invitation | None:
    return Invitation.objects.filter(user=patient).order_by("-created_at").first()


def care_team_colleagues(*, profile: PatientProfile, user: User, members: list[User]) -> list[User]:
    """Active therapists of the asker's clinic not yet on this patient's care team (`members`)."""
    if not user.is_therapist or user.clinic_id is None:
        return []
    return list(
        User.objects.filter(role=User.Role.THERAPIST, is_active=True, clinic_id=user.clinic_id)
        .exclude(pk__in=[member.pk for member in members])
        .order_by("first_name", "username")
    )


def care_team_members(*, profile: PatientProfile) -> list[User]:
    return [
        member.therapist
        for member in CareTeamMember.objects.filter(patient=profile.user)
        .select_related("therapist")
        .order_by("added_at", "pk")
    ]


def clinic_therapists(*, admin: User) -> QuerySet[User]:
    """The clinic's therapists with how many patients each looks after."""
    if not admin.is_clinic_admin or admin.clinic_id is None:
        return User.objects.none()
    return (
        User.objects.filter(role=User.Role.THERAPIST, clinic_id=admin.clinic_id)
        .annotate(patient_count=Count("caseload"))
        .order_by("first_name", "username")
    )


def clinic_patients(*, admin: User) -> QuerySet[PatientProfile]:
    if not admin.is_clinic_admin or admin.clinic_id is None:
        return PatientProfile.objects.none()
    return (
        PatientProfile.objects.filter(clinic_id=admin.clinic_id)
        .select_related("user")
        .order_by("display_name", "user_id")
    )


def clinic_therapist_invitations(*, admin: User) -> QuerySet[Invitation]:
    return (
        invitations_visible(user=admin)
        .filter(kind=InvitationKind.THERAPIST)
        .order_by("-created_at")
    )


def invitations_export(*, patient: User) -> list[dict[str, Any]]:
    """A patient's invitations for their export: when, by whom, what became of them; never the
    hashes."""
    return [
        {
            "id": invitation.public_id,
            "invited_by": invitation.invited_by.username if invitation.invited_by else None,
            "email": invitation.email,
            "language": invitation.language,
            "created_at": invitation.created_at,
            "expires_at": invitation.expires_at,
            "accepted_at": invitation.accepted_at,
            "revoked_at": invitation.revoked_at,
        }
        for invitation in Invitation.objects.filter(user=patient)
        .select_related("invited_by")
        .order_by("created_at")
    ]
