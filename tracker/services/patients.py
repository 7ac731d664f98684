"""Patients and their care teams."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.models import (
    DEFAULT_TIMEZONE,
    AuditAction,
    CareTeamMember,
    Condition,
    Language,
    PatientProfile,
    Sex,
    User,
    validate_timezone,
)
from tracker.models.accounts import phone_validator
from tracker.services.audit import audit_record
from tracker.services.patient_reminders import (
    patient_reminders_follow_profile,
    patient_reminders_set_up,
)

# Profile dates (birth, delivery, start of this episode) lie between these: nobody we treat
# was born before 1900, and nothing about them has happened yet after today (issue 15: year
# 0001 was stored and broke date arithmetic downstream).
EARLIEST_PROFILE_DATE = date(1900, 1, 1)

# A pregnancy lasts about 40 weeks: a due date further ahead than ~10 months is a typing error.
MAX_DUE_AHEAD = timedelta(days=300)

# Only the care team changes what the caution guard and the phase depend on.
THERAPIST_ONLY_FIELDS = frozenset({"conditions", "episode_started_on"})
PROFILE_FIELDS = frozenset(
    {
        "display_name",
        "phone",
        "date_of_birth",
        "sex",
        "conditions",
        "is_pregnant",
        "postpartum_on",
        "due_on",
        "episode_started_on",
        "timezone",
        "language",
    }
)


def _local_today(timezone_name: str) -> date:
    """Today where the patient lives (an invalid name is reported separately)."""
    try:
        validate_timezone(timezone_name)
    except ValidationError:
        timezone_name = DEFAULT_TIMEZONE
    return timezone.localdate(timezone=ZoneInfo(timezone_name))


def _profile_errors(values: dict[str, Any], *, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(values.get("conditions") or []) - set(Condition.values))
    if unknown:
        errors["conditions"] = [
            _("Unknown condition(s): %(codes)s.") % {"codes": ", ".join(unknown)}
        ]
    if "timezone" in values:
        try:
            validate_timezone(values["timezone"])
        except ValidationError as error:
            errors["timezone"] = error.messages
    if "language" in values and values["language"] not in Language.values:
        errors["language"] = [
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Language.values)}
        ]
    if "sex" in values and values["sex"] not in Sex.values:
        errors["sex"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Sex.values)}]
    for field in ("date_of_birth", "postpartum_on", "episode_started_on"):
        value = values.get(field)
        if value is not None and value > today:
            errors[field] = [_("This date is in the future.")]
        elif value is not None and value < EARLIEST_PROFILE_DATE:
            errors[field] = [
                _("This date is before %(date)s.") % {"date": EARLIEST_PROFILE_DATE.isoformat()}
            ]
    due_on = values.get("due_on")
    if due_on is not None and "is_pregnant" in values and not values["is_pregnant"]:
        errors["due_on"] = [_("A due date is for a pregnancy: tick pregnant, or leave it empty.")]
    elif due_on is not None and not today - timedelta(days=14) <= due_on <= today + MAX_DUE_AHEAD:
        errors["due_on"] = [_("A due date is within the next 10 months.")]
    if values.get("phone"):
        try:
            phone_validator(values["phone"])
        except ValidationError as error:
            errors["phone"] = error.messages
    if "display_name" in values and not str(values["display_name"]).strip():
        errors["display_name"] = [_("A display name is required.")]
    return errors


@transaction.atomic
def patient_create(
    *,
    therapist: User,
    username: str,
    password: str | None,
    display_name: str,
    email: str = "",
    **profile: object,
) -> PatientProfile:
    """A patient account in the therapist's caseload and clinic; they can sign in at once.

    `password=None` (an invited patient): no usable password until they accept the invitation
    and set their own (tracker.services.invitations)."""
    if not therapist.is_therapist:
        raise ValidationError(_("Only therapists take on patients."))
    unknown = set(profile) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    values = {"display_name": display_name, **profile}
    today = _local_today(str(values.get("timezone", DEFAULT_TIMEZONE)))
    errors = _profile_errors(values, today=today)
    user = User(username=username, email=email, role=User.Role.PATIENT, clinic=therapist.clinic)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = error.messages
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("A user with that username already exists.")]
    if errors:
        raise ValidationError(errors)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    try:
        # The username's unique index settles a race between two therapists picking one name.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(
            {"username": [_("A user with that username already exists.")]}
        ) from None
    patient = PatientProfile.objects.create(user=user, clinic=therapist.clinic, **values)
    CareTeamMember.objects.create(patient=user, therapist=therapist)
    patient_reminders_set_up(profile=patient)
    audit_record(
        actor=therapist,
        patient=user,
        action=AuditAction.CREATE,
        object_type="patient",
        object_id=user.public_id,
        clinic_id=patient.clinic_id,
    )
    return patient


@transaction.atomic
def patient_update(
    *, profile: PatientProfile, actor: User, email: str | None = None, **changes: Any
) -> PatientProfile:
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    today = _local_today(str(changes.get("timezone", profile.timezone)))
    errors = _profile_errors(changes, today=today)
    if not actor.is_therapist:
        for field in sorted(THERAPIST_ONLY_FIELDS & set(changes)):
            errors[field] = [_("Only your therapist can change this.")]
    if errors:
        raise ValidationError(errors)
    for field, value in changes.items():
        setattr(profile, field, value)
    profile.save()
    if {"timezone", "language"} & set(changes):
        patient_reminders_follow_profile(profile=profile)
    if email is not None and email != profile.user.email:
        profile.user.email = email
        profile.user.save(update_fields=["email"])
    audit_record(
        actor=actor,
        patient=profile.user,
        action=AuditAction.UPDATE,
        object_type="patient",
        object_id=profile.user.public_id,
        clinic_id=profile.clinic_id,
    )
    return profile


@transaction.atomic
def care_team_add(*, profile: PatientProfile, actor: User, therapist_id: UUID) -> CareTeamMember:
    """Bring a colleague of the same clinic onto a patient's care team (idempotent)."""
    therapist = (
        User.objects.filter(
            public_id=therapist_id,
            role=User.Role.THERAPIST,
            is_active=True,
            clinic_id=actor.clinic_id,
        ).first()
        if actor.clinic_id is not None
        else None
    )
    if therapist is None:
        raise ValidationError({"therapist": [_("No such therapist in your clinic.")]})
    member, created = CareTeamMember.objects.get_or_create(
        patient=profile.user, therapist=therapist
    )
    if created:
        audit_record(
            actor=actor,
            patient=profile.user,
            action=AuditAction.UPDATE,
            object_type="care_team",
            object_id=therapist.public_id,
            clinic_id=profile.clinic_id,
        )
    return member
