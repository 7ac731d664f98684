"""What patients report: exercise sessions and daily check-ins (issue 3)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker.models.accounts import User
from tracker.models.patients import AssignmentItem


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    RIGHT = "right", _("About right")
    HARD = "hard", _("Hard")
    TOO_HARD = "too_hard", _("Too hard")


class SessionLog(models.Model):
    """An exercise session a patient did: a programme item, or a free exercise (item empty)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_logs")
    item = models.ForeignKey(
        AssignmentItem, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.PROTECT, related_name="session_logs"
    )
    performed_at = models.DateTimeField(_("performed at"))
    # The patient's calendar date at performed_at, in their time zone: adherence counts days.
    performed_on = models.DateField(_("performed on"))
    sets = models.PositiveSmallIntegerField(_("sets"), null=True, blank=True)
    reps = models.PositiveSmallIntegerField(_("repetitions"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    pain_during = models.PositiveSmallIntegerField(_("pain during (0-10)"), null=True, blank=True)
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session log")
        verbose_name_plural = _("session logs")
        ordering = ["-performed_at"]
        indexes = [models.Index(fields=["patient", "performed_on"], name="session_patient_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sets__gte=0) & models.Q(reps__gte=0) & models.Q(minutes__gte=0),
                name="session_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(pain_during__isnull=True)
                | models.Q(pain_during__gte=0, pain_during__lte=10),
                name="session_pain_during_range",
            ),
            models.CheckConstraint(
                condition=models.Q(difficulty__in=["", "easy", "right", "hard", "too_hard"]),
                name="session_difficulty_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.exercise_id} {self.performed_on}"


NUMBNESS_SITES = ["buttock", "back_of_thigh", "outer_calf", "top_of_foot", "sole", "toes"]
NUMBNESS_AREAS = [f"{side}_{site}" for side in ("left", "right") for site in NUMBNESS_SITES]


class CheckIn(models.Model):
    """The daily check-in, exactly the questions of CLINICAL.md §3; one per patient and local date.

    Field names are the API's JSON names (`date` rather than `_on`): clients and the worsening
    rules read the same words.
    """

    SCORE_FIELDS = ("back_pain", "leg_pain", "numbness")
    ANSWER_FIELDS = (
        "back_pain",
        "leg_pain",
        "numbness",
        "numbness_areas",
        "can_walk_on_heels",
        "can_walk_on_toes",
        "bowel_bladder_change",
        "saddle_numbness",
        "night_pain",
        "calf_cramps",
        "stopped_walking",
        "walking_minutes",
        "note",
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField(_("date"))
    # 0-10 Numeric Rating Scale (CLINICAL.md §3).
    back_pain = models.PositiveSmallIntegerField(_("back pain"))
    leg_pain = models.PositiveSmallIntegerField(_("leg pain"))
    numbness = models.PositiveSmallIntegerField(_("numbness"))
    numbness_areas = models.JSONField(_("numbness areas"), default=list, blank=True)
    can_walk_on_heels = models.BooleanField(_("can walk on heels"), default=True)
    can_walk_on_toes = models.BooleanField(_("can walk on toes"), default=True)
    bowel_bladder_change = models.BooleanField(_("new bowel or bladder trouble"), default=False)
    saddle_numbness = models.BooleanField(_("saddle numbness"), default=False)
    night_pain = models.BooleanField(_("night pain that stops sleep"), default=False)
    calf_cramps = models.BooleanField(_("calf cramps"), default=False)
    stopped_walking = models.BooleanField(_("had to stop walking"), default=False)
    walking_minutes = models.PositiveIntegerField(_("walking minutes"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="checkin_one_per_patient_day"),
            models.CheckConstraint(
                condition=models.Q(back_pain__gte=0, back_pain__lte=10),
                name="checkin_back_pain_range",
            ),
            models.CheckConstraint(
                condition=models.Q(leg_pain__gte=0, leg_pain__lte=10), name="checkin_leg_pain_range"
            ),
            models.CheckConstraint(
                condition=models.Q(numbness__gte=0, numbness__lte=10), name="checkin_numbness_range"
            ),
            models.CheckConstraint(
                condition=models.Q(walking_minutes__isnull=True) | models.Q(walking_minutes__gte=0),
                name="checkin_walking_minutes_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.date}"

    def answers(self) -> dict:
        return {field: getattr(self, field) for field in self.ANSWER_FIELDS}


class CheckInRevision(models.Model):
    """The values a check-in had before a resubmission for the same date replaced them."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="revisions")
    answers = models.JSONField()
    submitted_at = models.DateTimeField(_("originally submitted at"))
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checkin", "replaced_at"]

    def __str__(self) -> str:
        return f"{self.checkin} (replaced {self.replaced_at:%Y-%m-%d %H:%M})"
