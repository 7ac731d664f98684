"""A patient's right to erasure: health data deleted, the account anonymised, the audit kept."""

from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from reminders.services import reminders_forget_user
from tracker.models import (
    AuditAction,
    CareTeamMember,
    CheckIn,
    Flag,
    IdempotencyRecord,
    PatientProfile,
    ProgrammeAssignment,
    PsfsActivity,
    SessionLog,
    User,
)
from tracker.services.audit import audit_record


@transaction.atomic
def account_erase(*, user: User, password: str) -> None:
    if not user.is_patient:
        raise ValidationError("Only patient accounts can be erased here.")
    if not user.check_password(password):
        raise ValidationError({"password": ["The password is not correct."]})
    profile = PatientProfile.objects.filter(user=user).first()
    clinic_id = profile.clinic_id if profile is not None else None
    # Sessions first: they PROTECT the programme items they were logged against.
    SessionLog.objects.filter(patient=user).delete()
    CheckIn.objects.filter(patient=user).delete()  # revisions cascade
    Flag.objects.filter(patient=user).delete()
    PsfsActivity.objects.filter(patient=user).delete()  # ratings cascade
    ProgrammeAssignment.objects.filter(patient=user).delete()  # items cascade
    CareTeamMember.objects.filter(patient=user).delete()
    IdempotencyRecord.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    reminders_forget_user(user=user)
    if profile is not None:
        profile.delete()
    # The row stays (audit events point at it) but says nothing about the person any more.
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
