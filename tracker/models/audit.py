"""Idempotent POST records and the audit log of who read or changed a patient's record."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models.accounts import Clinic, User


class IdempotencyRecord(models.Model):
    """The first successful response to a POST with an Idempotency-Key, replayed on retries.

    The unique (user, key) pair is the lock: of two concurrent requests with one key, the second
    insert fails and its transaction (with whatever it wrote) rolls back.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    EXPORT = "export", _("Export")
    ERASE = "erase", _("Erase")
    # A record removed by its owner (a session logged by mistake, undone the same day).
    DELETE = "delete", _("Delete")


class AuditEvent(models.Model):
    """Who read or changed which patient's record, and when. Kept when a patient is erased."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    patient = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    # The patient's clinic when it happened: what a clinic admin's audit view is scoped by.
    clinic = models.ForeignKey(
        Clinic, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["clinic", "-at"], name="audit_clinic_at_idx"),
            models.Index(fields=["patient", "-at"], name="audit_patient_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}"
