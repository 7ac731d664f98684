"""A patient's right to erasure: health data deleted, the account anonymised, the audit kept.

Afterwards no row anywhere holds the patient's name, username, e-mail, public id or free text
(tests/tracker/services/test_erasure.py searches every table): reminders removes what it sent
about them to their care team as well as their own rows (reminders_forget_user), and the public
id is replaced, in the account row and in the audit events that named it.
"""

import uuid

from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from knox.models import AuthToken

from reminders.services import reminders_forget_user
from tracker.models import (
    AuditAction,
    AuditEvent,
    CareTeamMember,
    CheckIn,
    Conversation,
    Flag,
    IdempotencyRecord,
    PatientProfile,
    ProgrammeAssignment,
    PsfsActivity,
    SessionLog,
    User,
)
from tracker.services.audit import audit_record
from tracker.services.auth import login_attempts_forget
from tracker.services.flag_notifications import patient_page_url
from tracker.services.invitations import invitations_forget


def _identifying_values(user: User, profile: PatientProfile | None) -> list[str]:
    values = [user.username, user.email, str(user.public_id), user.get_full_name()]
    if profile is not None:
        values.append(profile.display_name)
    return [value for value in values if value and len(value) >= 3]


def _forget_traces(user: User, values: list[str]) -> None:
    """Rows outside the patient's own records that may repeat who they are: replies kept for
    other people's Idempotency-Keys (a therapist's "create patient") and the admin's change
    log. Both are bookkeeping, not the audit trail."""
    if not values:
        return
    mentions = Q()
    for value in values:
        mentions |= Q(response_body__icontains=value)
    IdempotencyRecord.objects.filter(mentions).delete()
    named = Q()
    for value in values:
        named |= Q(object_repr__icontains=value) | Q(change_message__icontains=value)
    LogEntry.objects.filter(named).update(object_repr="(erased)", change_message="")


@transaction.atomic
def account_erase(*, user: User, password: str) -> None:
    if not user.is_patient:
        raise ValidationError(_("Only patient accounts can be erased here."))
    if not user.check_password(password):
        raise ValidationError({"password": [_("The password is not correct.")]})
    profile = PatientProfile.objects.filter(user=user).first()
    clinic_id = profile.clinic_id if profile is not None else None
    traces = _identifying_values(user, profile)
    # Both sides' messages (the notifications about them go with reminders_forget_user).
    Conversation.objects.filter(patient=user).delete()
    # Sessions first: they PROTECT the programme items they were logged against.
    SessionLog.objects.filter(patient=user).delete()
    CheckIn.objects.filter(patient=user).delete()  # revisions cascade
    Flag.objects.filter(patient=user).delete()
    PsfsActivity.objects.filter(patient=user).delete()  # ratings cascade
    ProgrammeAssignment.objects.filter(patient=user).delete()  # items cascade
    CareTeamMember.objects.filter(patient=user).delete()
    invitations_forget(patient=user)
    IdempotencyRecord.objects.filter(user=user).delete()
    AuthToken.objects.filter(user=user).delete()
    login_attempts_forget(username=user.username)
    # The link finds care-team messages written before they named whom they were about.
    reminders_forget_user(user=user, links=[patient_page_url(user)])
    if profile is not None:
        profile.delete()
    _forget_traces(user, traces)
    # The row stays (audit events point at it) but says nothing about the person any more; a new
    # public id, so no link, export or message that named the old one leads here.
    old_public_id = str(user.public_id)
    user.public_id = uuid.uuid4()
    AuditEvent.objects.filter(object_id=old_public_id).update(object_id=str(user.public_id))
    user.username = f"erased-{user.public_id.hex}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.save()
    audit_record(
        actor=user,
        patient=user,
        action=AuditAction.ERASE,
        object_type="account",
        object_id=user.public_id,
        clinic_id=clinic_id,
    )
