"""The patient page's care-team box (issue 10), as one tag so the page's view stays as it is."""

from typing import Any

from django import template

from tracker.models import PatientProfile
from tracker.selectors.invitations import (
    care_team_colleagues,
    patient_latest_invitation,
)
from tracker.services.invitations import invitation_state

register = template.Library()


@register.inclusion_tag("tracker/onboarding/_care_team.html", takes_context=True)
def care_team_box(context: template.Context, profile: PatientProfile) -> dict[str, Any]:
    user = context["request"].user
    # The page's query budget: the care team comes prefetched with the profile, and a patient
    # who has set a password needs no invitation looked up.
    has_account = profile.user.has_usable_password()
    invitation = None if has_account else patient_latest_invitation(patient=profile.user)
    members = [member.therapist for member in profile.user.care_team.all()]
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "profile": profile,
        "members": members,
        # Listed only when asked for (a link), so the patient page's query budget holds.
        "is_adding": "add-colleague" in context["request"].GET,
        "colleagues": care_team_colleagues(profile=profile, user=user, members=members)
        if "add-colleague" in context["request"].GET
        else [],
        "can_change": user.is_therapist,
        "invitation": invitation,
        "invitation_state": invitation_state(invitation) if invitation else None,
        "can_resend": user.is_therapist and not has_account,
    }
