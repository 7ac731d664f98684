"""Outcome measures: the Patient-Specific Functional Scale (CLINICAL.md §3a)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker.models.accounts import User

# CLINICAL.md §3a: up to five activities the patient finds hard, each rated 0-10.
PSFS_MAX_ACTIVITIES = 5
PSFS_SCORE_MAX = 10


class PsfsActivity(models.Model):
    """One activity the patient names, in their own words. `slot` 1-5 with a unique (patient,
    slot) pair is how the database itself keeps a patient to five activities."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="psfs_activities")
    slot = models.PositiveSmallIntegerField(_("slot"))
    text = models.CharField(_("activity"), max_length=200)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("PSFS activity")
        verbose_name_plural = _("PSFS activities")
        ordering = ["patient", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "slot"], name="psfs_activity_slot_unique"),
            models.CheckConstraint(
                condition=models.Q(slot__gte=1, slot__lte=PSFS_MAX_ACTIVITIES),
                name="psfs_activity_slot_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(text=""), name="psfs_activity_text_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} #{self.slot}: {self.text}"


class PsfsRating(models.Model):
    """One rating of one activity on one date: 0 = unable to do it, 10 = able as before."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(PsfsActivity, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("score (0-10)"))
    rated_on = models.DateField(_("rated on"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("PSFS rating")
        verbose_name_plural = _("PSFS ratings")
        ordering = ["activity", "rated_on"]
        constraints = [
            # A second rating on one date replaces the first (the service updates it).
            models.UniqueConstraint(
                fields=["activity", "rated_on"], name="psfs_rating_one_per_activity_day"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=PSFS_SCORE_MAX),
                name="psfs_rating_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.rated_on}: {self.score}"
