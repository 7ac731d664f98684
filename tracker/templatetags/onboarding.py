"""The patient page's care-team box (issue 10), as one tag so the page's view stays as it is."""

from typing import Any

from django import template

from tracker.models import PatientProfile
from tracker.selectors.invitations import (
    care_team_colleagues,
    care_team_members,
    patient_latest_invitation,
)
from tracker.services.invitations import invitation_state

register = template.Library()


@register.inclusion_tag("tracker/onboarding/_care_team.html", takes_context=True)
def care_team_box(context: template.Context, profile: PatientProfile) -> dict[str, Any]:
    user = context["request"].user
    invitation = patient_latest_invitation(patient=profile.user)
    has_account = profile.user.has_usable_password()
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "profile": profile,
        "members": care_team_members(profile=profile),
        "colleagues": care_team_colleagues(profile=profile, user=user),
        "can_change": user.is_therapist,
        "invitation": invitation,
        "invitation_state": invitation_state(invitation) if invitation else None,
        "can_resend": user.is_therapist and not has_account,
    }
