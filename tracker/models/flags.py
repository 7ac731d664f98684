"""Worsening flags raised by the rules of CLINICAL.md §4 (tracker/rules.py) for the care team."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker import rules
from tracker.models.accounts import User


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class FlagSeverity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class FlagRule(models.TextChoices):
    CAUDA_EQUINA = "cauda_equina", _("Bowel/bladder trouble or saddle numbness")
    MOTOR_DEFICIT = "motor_deficit", _("Cannot walk on heels or toes")
    PAIN_DOWN_NUMBNESS_UP = "pain_down_numbness_up", _("Pain down while numbness up")
    NUMBNESS_WORSENING = "numbness_worsening", _("Numbness worsening or spreading")
    CLAUDICATION = "claudication", _("Has to stop walking")
    SUDDEN_WORSENING = "sudden_worsening", _("Sudden worsening of pain")
    NIGHT_PAIN = "night_pain", _("Night pain stopping sleep")
    PERSISTENT_PAIN = "persistent_pain", _("Persistent pain without improvement")
    PREGNANCY_PERSISTENT = "pregnancy_persistent", _("Numbness in pregnancy over 2 weeks")
    CONSERVATIVE_FAILURE = "conservative_failure", _("3 months of conservative care, no result")
    ADHERENCE_DROP = "adherence_drop", _("Exercise sessions dropped")
    MISSING_CHECKINS = "missing_checkins", _("No check-in for 3 days")


# Most severe first, for the caseload's ordering: the rules' own ranking.
SEVERITY_RANK = rules.SEVERITY_RANK


class Flag(models.Model):
    """One rule firing for one patient, open until a therapist resolves it.

    `evidence` holds one entry per date on which the rule fired (values and dates), newest last;
    a later check-in that meets the rule again adds to the same flag.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="flags")
    rule = models.CharField(_("rule"), max_length=40, choices=FlagRule.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=FlagSeverity.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    evidence = models.JSONField(_("evidence"), default=list)
    # The latest date with evidence: "how recently they got worse" on the caseload.
    last_evidence_on = models.DateField(_("latest evidence on"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-last_evidence_on", "-opened_at"]
        constraints = [
            # One unresolved flag per rule and patient (CLINICAL.md §4): new evidence updates
            # it; after a resolution a recurrence opens a new one.
            models.UniqueConstraint(
                fields=["patient", "rule"],
                condition=~models.Q(status="resolved"),
                name="flag_one_unresolved_per_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(status="resolved", resolved_at__isnull=False)
                | (~models.Q(status="resolved") & models.Q(resolved_at__isnull=True)),
                name="flag_resolved_has_time",
            ),
        ]
        indexes = [models.Index(fields=["patient", "status"], name="flag_patient_status_idx")]

    def __str__(self) -> str:
        return f"{self.rule} ({self.status}) {self.patient_id}"

    @property
    def sources(self) -> tuple[str, ...]:
        return rules.SOURCES[self.rule]

    @property
    def latest_evidence(self) -> dict:
        return self.evidence[-1] if self.evidence else {}

    @property
    def is_urgent(self) -> bool:
        return self.severity == FlagSeverity.URGENT
