"""A patient's care team: colleagues of the same clinic join or leave it (issue 10).

Adding lives in tracker.services.patients (the API's first care-team operation); removing is
here. A patient always keeps at least one therapist: the rows are locked before counting, so two
colleagues removing each other at once cannot leave the patient with nobody.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tracker.models import AuditAction, CareTeamMember, PatientProfile, User
from tracker.services.audit import audit_record
from tracker.services.patients import care_team_add

__all__ = ["care_team_add", "care_team_remove"]


@transaction.atomic
def care_team_remove(*, profile: PatientProfile, actor: User, therapist_id: UUID) -> None:
    if not actor.is_therapist:
        raise ValidationError(_("Only a therapist on the care team changes it."))
    members = list(
        CareTeamMember.objects.select_for_update()
        .filter(patient=profile.user)
        .select_related("therapist")
        .order_by("pk")
    )
    leaving = next((m for m in members if m.therapist.public_id == therapist_id), None)
    if leaving is None:
        raise ValidationError({"therapist": [_("Not on this patient's care team.")]})
    if len(members) == 1:
        raise ValidationError(
            {"therapist": [_("A patient keeps at least one therapist; add a colleague first.")]}
        )
    leaving.delete()
    audit_record(
        actor=actor,
        patient=profile.user,
        action=AuditAction.DELETE,
        object_type="care_team",
        object_id=therapist_id,
        clinic_id=profile.clinic_id,
    )
