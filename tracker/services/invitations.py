"""Invitations (issue 10): a patient or a therapist is invited and sets their own password.

The link's token (256 bits) and the short code (8 characters of an unambiguous alphabet) are
handed out once, when the invitation is made, and stored only as keyed hashes; the e-mail is sent
from this process after commit, because nothing can rebuild the token later. Accepting is a
conditional UPDATE of `accepted_at`: of two concurrent accepts exactly one changes the row.
Guessing codes is throttled per client address (tracker.services.invitation_guesses).
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tracker.models import AuditAction, Invitation, InvitationKind, PatientProfile, User
from tracker.services.assignments import assignment_change
from tracker.services.audit import audit_record
from tracker.services.invitation_guesses import invitation_guess_failed, invitation_guesses_check
from tracker.services.patients import patient_create

logger = logging.getLogger(__name__)

INVITATION_VALID_FOR = timedelta(days=7)
CODE_LENGTH = 8
# No 0/O, 1/I/L, 5/S or 2/Z: read aloud or copied from a phone screen, nothing is confusable.
CODE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"


class InvitationUnusable(Exception):
    """The link or code leads nowhere usable; `reason` says why, for a clear page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation with its secrets in the clear: shown once, then gone."""

    invitation: Invitation
    token: str
    code: str

    @property
    def url(self) -> str:
        return invitation_url(self.token)

    @property
    def code_display(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def qr_svg(self) -> str:
        return invitation_qr_svg(self.url)


def _digest(secret: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"invitation:{secret}".encode(), hashlib.sha256).hexdigest()


def code_normalize(text: str) -> str:
    """What the invitee typed, as stored: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def invitation_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('invite-accept', args=[token])}"


def invitation_qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (segno), dark on light, with a quiet zone."""
    return segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff")


def invitation_state(invitation: Invitation, *, now: Any = None) -> str:
    now = now or timezone.now()
    if invitation.accepted_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "open"


def _issue(
    *,
    kind: str,
    clinic_id: int,
    invited_by: User,
    name: str,
    email: str,
    language: str,
    user: User | None = None,
) -> IssuedInvitation:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                kind=kind,
                user=user,
                clinic_id=clinic_id,
                invited_by=invited_by,
                name=name,
                email=email,
                language=language,
                token_hash=_digest(token),
                code_hash=_digest(code),
                created_at=now,
                expires_at=now + INVITATION_VALID_FOR,
            )
    except IntegrityError:
        # Another invitation for this person was made at the same moment (a double click on
        # "re-send"): theirs stands.
        raise ValidationError(
            _("An invitation was sent a moment ago; reload the page to see it.")
        ) from None
    issued = IssuedInvitation(invitation=invitation, token=token, code=code)
    if email:
        transaction.on_commit(lambda: _send(issued))
    return issued


def _send(issued: IssuedInvitation) -> None:
    invitation = issued.invitation
    with translation.override(invitation.language):
        if invitation.kind == InvitationKind.PATIENT:
            subject = _("Your exercise programme: set up your account")
            intro = _("%(inviter)s has added you to the rehab exercise tracker.")
        else:
            subject = _("You are invited to the rehab exercise tracker")
            intro = _("%(inviter)s invites you to join %(clinic)s as a therapist.")
        by = invitation.invited_by  # set by _issue; only a deleted account leaves it empty
        inviter = (by.get_full_name() or by.username) if by is not None else invitation.clinic.name
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": invitation.name},
                intro % {"inviter": inviter, "clinic": invitation.clinic.name},
                _("Open this link to choose your password (it works once, for 7 days):"),
                issued.url,
                _("Or open %(page)s and type this code: %(code)s")
                % {
                    "page": f"{settings.SITE_URL}{reverse('invite-code')}",
                    "code": issued.code_display,
                },
                _("If you did not expect this e-mail, you can ignore it."),
            ]
        )
    try:
        send_mail(subject, body, None, [invitation.email])
    except OSError:  # SMTP down: the link and code are on the inviter's screen all the same
        logger.warning("invitation e-mail not sent", extra={"invitation": invitation.public_id})


def _audit_invitation(*, actor: User, invitation: Invitation, action: str) -> None:
    if invitation.kind == InvitationKind.PATIENT and invitation.user is not None:
        audit_record(
            actor=actor,
            patient=invitation.user,
            action=action,
            object_type="invitation",
            object_id=invitation.public_id,
            clinic_id=invitation.clinic_id,
        )


@transaction.atomic
def patient_invite(
    *,
    therapist: User,
    display_name: str,
    email: str = "",
    template_key: str = "",
    **profile: Any,
) -> tuple[PatientProfile, IssuedInvitation]:
    """A new patient in the therapist's caseload, an optional programme from a template, and
    their invitation: all of it or nothing."""
    if not therapist.is_therapist or therapist.clinic_id is None:
        raise ValidationError(_("Only a therapist of a clinic adds patients."))
    username = f"invited-{secrets.token_hex(6)}"
    created = patient_create(
        therapist=therapist,
        username=username,
        password=None,
        display_name=display_name.strip(),
        email=email,
        **profile,
    )
    if template_key:
        try:
            assignment_change(patient=created.user, therapist=therapist, template_key=template_key)
        except ValidationError as error:
            messages = error.messages
            raise ValidationError({"template": messages}) from None
    issued = _issue(
        kind=InvitationKind.PATIENT,
        clinic_id=therapist.clinic_id,
        invited_by=therapist,
        user=created.user,
        name=created.display_name,
        email=email,
        language=created.language,
    )
    _audit_invitation(actor=therapist, invitation=issued.invitation, action=AuditAction.CREATE)
    return created, issued


def _revoke_open(*, user: User) -> None:
    Invitation.objects.filter(user=user, accepted_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def patient_invitation_resend(*, profile: PatientProfile, therapist: User) -> IssuedInvitation:
    """A new link and code for a patient who has not signed up yet; the old ones stop working."""
    if not therapist.is_therapist:
        raise ValidationError(_("Only the patient's therapist re-sends an invitation."))
    user = User.objects.select_for_update().get(pk=profile.user_id)
    if user.has_usable_password() or user.invitations.filter(accepted_at__isnull=False).exists():
        raise ValidationError(_("This patient has already set up their account."))
    clinic_id = profile.clinic_id or therapist.clinic_id
    if clinic_id is None:  # an invitation belongs to a clinic (a NOT NULL column)
        raise ValidationError(_("Only a therapist of a clinic adds patients."))
    _revoke_open(user=user)
    issued = _issue(
        kind=InvitationKind.PATIENT,
        clinic_id=clinic_id,
        invited_by=therapist,
        user=user,
        name=profile.display_name,
        email=user.email,
        language=profile.language,
    )
    _audit_invitation(actor=therapist, invitation=issued.invitation, action=AuditAction.UPDATE)
    return issued


@transaction.atomic
def therapist_invite(*, admin: User, name: str, email: str, language: str) -> IssuedInvitation:
    """A clinic admin invites a therapist to their clinic."""
    if not admin.is_clinic_admin or admin.clinic_id is None:
        raise ValidationError(_("Only a clinic admin invites therapists."))
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("A name is required.")]
    if not email.strip():
        errors["email"] = [_("An e-mail address is required: the invitation goes there.")]
    if language not in ("zh-hans", "en"):
        errors["language"] = [_("Choose a language.")]
    if errors:
        raise ValidationError(errors)
    return _issue(
        kind=InvitationKind.THERAPIST,
        clinic_id=admin.clinic_id,
        invited_by=admin,
        name=name.strip(),
        email=email.strip(),
        language=language,
    )


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """The link and code stop working. An accepted invitation stays as it was."""
    changed = Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    invitation.refresh_from_db()
    if not changed and invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has been used already."))
    if changed:
        _audit_invitation(actor=actor, invitation=invitation, action=AuditAction.UPDATE)
    return invitation


def invitation_find(*, address: str | None, token: str = "", code: str = "") -> Invitation:
    """The open invitation for a link's token or a typed code. Counts a failed try against the
    address; raises InvitationUnusable (with why) or GuessesThrottled."""
    invitation_guesses_check(address=address)
    secret = token if token else code_normalize(code)
    invitation = None
    if secret and len(secret) <= 100:
        field = "token_hash" if token else "code_hash"
        invitation = (
            Invitation.objects.select_related("clinic", "user", "invited_by")
            .filter(**{field: _digest(secret)})
            .first()
        )
    if invitation is None:
        invitation_guess_failed(address)
        raise InvitationUnusable("unknown")
    state = invitation_state(invitation)
    if state != "open":
        raise InvitationUnusable(state)
    return invitation


def _username_errors(username: str, *, user: User | None) -> list[str]:
    if not username:
        return [_("Choose a username.")]
    try:
        User.username_validator(username)
    except ValidationError as error:
        return list(error.messages)
    if len(username) > 150:
        return [_("At most 150 characters.")]
    taken = User.objects.filter(username__iexact=username)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        return [_("That username is taken; choose another.")]
    return []


def invitation_accept(*, invitation: Invitation, username: str, password: str) -> User:
    """The invitee's own username and password; the invitation is used up. Returns the account
    to sign in (a new therapist's, or the invited patient's)."""
    username = username.strip()
    user = invitation.user
    if user is None:
        candidate = User(
            username=username,
            email=invitation.email,
            role=User.Role.THERAPIST,
            clinic_id=invitation.clinic_id,
            first_name=invitation.name[:150],
        )
    else:
        candidate = user
        candidate.username = username
    errors: dict[str, list[str]] = {}
    username_errors = _username_errors(username, user=user)
    if username_errors:
        errors["username"] = username_errors
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk,
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        ).update(accepted_at=timezone.now())
        if not claimed:
            invitation.refresh_from_db()
            raise InvitationUnusable(invitation_state(invitation))
        candidate.set_password(password)
        try:
            with transaction.atomic():
                candidate.save()
        except IntegrityError:
            raise ValidationError(
                {"username": [_("That username is taken; choose another.")]}
            ) from None
        if user is None:
            Invitation.objects.filter(pk=invitation.pk).update(user=candidate)
        else:
            # The invitee's own action: the audit names them as the actor.
            audit_record(
                actor=candidate,
                patient=candidate,
                action=AuditAction.UPDATE,
                object_type="invitation",
                object_id=invitation.public_id,
                clinic_id=invitation.clinic_id,
            )
    invitation.refresh_from_db()
    return candidate


def invitations_forget(*, patient: User) -> None:
    Invitation.objects.filter(Q(user=patient)).delete()


def expires_on(invitation: Invitation) -> date:
    return timezone.localdate(invitation.expires_at)
