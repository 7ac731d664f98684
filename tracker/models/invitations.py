"""Invitations: how a patient or a therapist gets into their account without anyone else ever
knowing their password (issue 10)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reminders.models import Language
from tracker.models.accounts import Clinic, User


class InvitationKind(models.TextChoices):
    PATIENT = "patient", _("Patient")
    THERAPIST = "therapist", _("Therapist")


class Invitation(models.Model):
    """One invitation: a one-time link and a short code, both stored only as keyed hashes.

    A patient's account exists from the moment the therapist adds them (with no usable
    password); a therapist's is made when they accept. Accepting sets `accepted_at` with a
    conditional UPDATE, so of two concurrent accepts exactly one wins.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=InvitationKind.choices)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    # HMAC-SHA256 of the link's token and of the short code (keyed with SECRET_KEY): a copy of
    # the database does not let anyone accept an invitation.
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["patient", "therapist"]), name="invitation_kind_valid"
            ),
            # A patient's invitation names their account; a therapist's gets one on acceptance.
            models.CheckConstraint(
                condition=~models.Q(kind="patient", user__isnull=True),
                name="invitation_patient_has_user",
            ),
            models.CheckConstraint(
                condition=~models.Q(accepted_at__isnull=False, revoked_at__isnull=False),
                name="invitation_not_accepted_and_revoked",
            ),
            # Re-sending revokes the old one first: two at once cannot leave two live links.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=["zh-hans", "en"]),
                name="invitation_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
