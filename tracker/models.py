import functools
import uuid
from datetime import date
from zoneinfo import ZoneInfo, available_timezones

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exercises.models import DosageFields, Phase


class Clinic(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Everyone who signs in. The role decides which pages and records they may see."""

    class Role(models.TextChoices):
        PATIENT = "patient", _("Patient")
        THERAPIST = "therapist", _("Therapist")
        CLINIC_ADMIN = "clinic_admin", _("Clinic admin")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PATIENT)
    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["patient", "therapist", "clinic_admin"]),
                name="user_role_valid",
            ),
        ]

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    @property
    def is_therapist(self) -> bool:
        return self.role == self.Role.THERAPIST

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == self.Role.CLINIC_ADMIN


# --- Patients, care teams, programmes, sessions and check-ins (issue 3) ---------------------

DEFAULT_TIMEZONE = "Asia/Shanghai"
# A3: the acute phase is the first 1-2 weeks of a pain episode; we use the upper bound.
ACUTE_PHASE_DAYS = 14


@functools.cache
def _timezone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _timezone_names():
        raise ValidationError(
            _("%(value)s is not a known IANA time zone."), params={"value": value}
        )


def episode_phase(*, episode_started_on: date | None, on: date) -> str:
    """acute for the first 14 days of the current pain episode, recovery after that (A3)."""
    if episode_started_on is not None and 0 <= (on - episode_started_on).days < ACUTE_PHASE_DAYS:
        return Phase.ACUTE
    return Phase.RECOVERY


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Condition(models.TextChoices):
    LUMBAR_DISC_HERNIATION = "lumbar_disc_herniation", _("Lumbar disc herniation")
    SCIATICA = "sciatica", _("Sciatica")
    PIRIFORMIS_SYNDROME = "piriformis_syndrome", _("Piriformis syndrome")
    LUMBAR_SPINAL_STENOSIS = "lumbar_spinal_stenosis", _("Lumbar spinal stenosis")
    LUMBAR_INSTABILITY = "lumbar_instability", _("Lumbar instability")
    DIABETES = "diabetes", _("Diabetes")
    PERIPHERAL_ARTERY_DISEASE = "peripheral_artery_disease", _("Peripheral artery disease")
    VARICOSE_VEINS = "varicose_veins", _("Varicose veins")
    OSTEOPOROSIS = "osteoporosis", _("Osteoporosis")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", _("简体中文")
    EN = "en", _("English")


class PatientProfile(models.Model):
    """The clinical side of a patient account. Its key is the user: the API's patient `id` is the
    user's public UUID, so a patient has one identifier everywhere."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="patient_profile"
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="patients"
    )
    display_name = models.CharField(_("display name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, default=Sex.UNDISCLOSED)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    is_pregnant = models.BooleanField(_("pregnant"), default=False)
    postpartum_on = models.DateField(_("gave birth on"), null=True, blank=True)
    episode_started_on = models.DateField(_("current pain episode began on"), null=True, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_TIMEZONE, validators=[validate_timezone]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("patient profile")
        verbose_name_plural = _("patient profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=["zh-hans", "en"]), name="patient_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def phase_on(self, on: date) -> str:
        return episode_phase(episode_started_on=self.episode_started_on, on=on)


class CareTeamMember(models.Model):
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="care_team")
    therapist = models.ForeignKey(User, on_delete=models.CASCADE, related_name="caseload")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("care team member")
        verbose_name_plural = _("care team members")
        constraints = [
            models.UniqueConstraint(fields=["patient", "therapist"], name="care_team_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.therapist} → {self.patient}"


class ProgrammeAssignment(models.Model):
    """One version of a patient's programme. A change writes a new version and keeps this one,
    so every logged session stays explainable by the programme it was done under."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    template = models.ForeignKey(
        "exercises.ProgrammeTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    version = models.PositiveIntegerField(_("version"))
    is_current = models.BooleanField(_("current"), default=True)
    starts_on = models.DateField(_("starts on"))
    note = models.TextField(_("reason for the change"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme assignment")
        verbose_name_plural = _("programme assignments")
        ordering = ["patient", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "version"], name="assignment_patient_version_unique"
            ),
            # Two therapists changing the programme at once cannot leave two current versions.
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(is_current=True),
                name="assignment_one_current_per_patient",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="assignment_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} v{self.version}"


class AssignmentItem(DosageFields):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(
        ProgrammeAssignment, on_delete=models.CASCADE, related_name="items"
    )
    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.PROTECT, related_name="assignment_items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    days_per_week = models.PositiveSmallIntegerField(_("days per week"), default=7)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A caution the therapist overrode for this patient: which ones, why, who and when.
    overridden_cautions = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["assignment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "exercise"], name="assignment_item_exercise_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(days_per_week__gte=1, days_per_week__lte=7),
                name="assignment_item_days_per_week_range",
            ),
            models.CheckConstraint(
                condition=models.Q(override_reason="", overridden_by__isnull=True)
                | (~models.Q(override_reason="") & models.Q(overridden_by__isnull=False)),
                name="assignment_item_override_has_reason_and_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.exercise_id}"


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
