"""Worsening flags raised by the rules of CLINICAL.md §4 (tracker/rules.py) for the care team."""

import uuid
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker import rules
from tracker.models.accounts import User


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")
    # Taken back before anyone was told: a same-day correction no longer met the rule
    # (CLINICAL.md §4a). Kept, not deleted, so the withdrawal is on record.
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses that still hold the rule's one flag for the patient (CLINICAL.md §4).
UNRESOLVED_STATUSES = (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)
CLOSED_STATUSES = (FlagStatus.RESOLVED, FlagStatus.WITHDRAWN)
# CLINICAL.md §4a: a flag with no new evidence for 7 days reads "no new evidence since <date>"
# and sorts below fresh flags of its severity; it stays open until a therapist resolves it.
STALE_AFTER_DAYS = 7


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

    Its evidence is one FlagEvidence row per date on which the rule fired (values and dates);
    a later check-in that meets the rule again adds a row to the same flag. An entry that a
    patient's correction no longer supports, on a flag someone was already told of, stays with
    `changed_at` and the new answers under `answer_now` (CLINICAL.md §4a). The newest entry is
    kept on the flag too (`latest_evidence`), so lists, notifications and the check-in's answer
    never read the rows (issue 16: a check-in's cost does not grow with a flag's history).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="flags")
    rule = models.CharField(_("rule"), max_length=40, choices=FlagRule.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=FlagSeverity.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    # The entry of the newest evidence date (a copy of that FlagEvidence row's `data`).
    latest_evidence = models.JSONField(_("latest evidence"), default=dict)
    # CLINICAL.md §4a: a flag's opened date is the date of its first evidence (not when the row
    # was written: a late paper diary may open it days after), and it carries the date of its
    # latest evidence, "how recently they got worse" on the caseload.
    opened_on = models.DateField(_("opened on"))
    last_evidence_on = models.DateField(_("latest evidence on"))
    # When a patient's correction stopped supporting evidence someone had been told of.
    answer_changed_at = models.DateTimeField(_("answer changed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
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
                condition=models.Q(status__in=["open", "acknowledged"]),
                name="flag_one_unresolved_per_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(opened_on__lte=models.F("last_evidence_on")),
                name="flag_opened_before_last_evidence",
            ),
            models.CheckConstraint(
                condition=models.Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~models.Q(status="withdrawn") & models.Q(withdrawn_at__isnull=True)),
                name="flag_withdrawn_has_time",
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
    def evidence(self) -> list[dict]:
        """Every evidence entry, oldest first (prefetch `evidence_rows`, or attach them with
        tracker.selectors.flags_evidence_attach, when reading many)."""
        if "_evidence" in self.__dict__:
            return self.__dict__["_evidence"]
        return [row.data for row in self.evidence_rows.all()]

    @property
    def is_urgent(self) -> bool:
        return self.severity == FlagSeverity.URGENT

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED_STATUSES

    def is_stale(self, today: date) -> bool:
        """No new evidence for STALE_AFTER_DAYS days (today in the patient's time zone)."""
        return self.is_unresolved and (today - self.last_evidence_on).days >= STALE_AFTER_DAYS


class FlagEvidence(models.Model):
    """One date on which a flag's rule fired: the values behind it (`data`, with its "date"),
    and when a correction stopped supporting it (`changed_at`, also in `data` with the answers
    under `answer_now`; CLINICAL.md §4a). One row per flag and date."""

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="evidence_rows")
    on = models.DateField(_("date"))
    data = models.JSONField(_("evidence"), default=dict)
    changed_at = models.DateTimeField(_("answer changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("flag evidence")
        verbose_name_plural = _("flag evidence")
        ordering = ["flag", "on"]
        constraints = [
            models.UniqueConstraint(fields=["flag", "on"], name="flag_evidence_one_per_date"),
        ]
        indexes = [
            # The rare reads of a flag's corrected entries (every correction reads them).
            models.Index(
                fields=["flag"],
                condition=models.Q(changed_at__isnull=False),
                name="flag_evidence_changed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flag_id} {self.on}"
