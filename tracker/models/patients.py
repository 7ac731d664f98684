"""Patients, care teams and programme assignments (issue 3)."""

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from exercises.models import OVERRIDE_HAS_REASON_AND_AUTHOR, CautionOverride, DosageFields, Phase
from reminders.languages import is_english

# Time zones and languages mean the same for a patient as for their reminders; reminders is the
# lower layer, so the definitions live there.
from reminders.models import Language
from reminders.schedule_values import validate_timezone
from tracker.models.accounts import Clinic, User, phone_validator

DEFAULT_TIMEZONE = "Asia/Shanghai"
# A3: the acute phase is the first 1-2 weeks of a pain episode; we use the upper bound.
ACUTE_PHASE_DAYS = 14
# A programme item runs at most two years; longer is a typo (CLINICAL.md §1: core training 1-3
# months after pain is gone).
MAX_ITEM_WEEKS = 104


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
    OLDER_ADULT = "older_adult", _("Older adult")


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
    # So the care team can "contact the patient now" (an urgent flag): shown as a tel: link.
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, default=Sex.UNDISCLOSED)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    is_pregnant = models.BooleanField(_("pregnant"), default=False)
    postpartum_on = models.DateField(_("gave birth on"), null=True, blank=True)
    due_on = models.DateField(_("baby due on"), null=True, blank=True)
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


class AssignmentItem(DosageFields, CautionOverride):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(
        ProgrammeAssignment, on_delete=models.CASCADE, related_name="items"
    )
    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.PROTECT, related_name="assignment_items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    days_per_week = models.PositiveSmallIntegerField(_("days per week"), default=7)
    # `note` is the Chinese of a template's note, or the therapist's own words; `note_en` the
    # English of a template's note (blank for the therapist's own words).
    note = models.CharField(_("note"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    # An item may start later than its programme (a progression planned ahead) and may run for
    # a set number of weeks (the acute template's heat, 0-2 weeks; A3); blank: with the
    # programme, and ongoing.
    starts_on = models.DateField(_("item starts on"), null=True, blank=True)
    duration_weeks = models.PositiveSmallIntegerField(
        _("for how many weeks"), null=True, blank=True, help_text=_("Blank: ongoing.")
    )

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
                condition=OVERRIDE_HAS_REASON_AND_AUTHOR,
                name="assignment_item_override_has_reason_and_author",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_weeks__isnull=True)
                | models.Q(duration_weeks__gte=1, duration_weeks__lte=MAX_ITEM_WEEKS),
                name="assignment_item_duration_weeks_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.exercise_id}"

    def is_active_on(self, day: date, *, programme_starts_on: date) -> bool:
        """Whether this item is owed on `day`: started, and not past its weeks."""
        first = self.starts_on or programme_starts_on
        if day < first:
            return False
        return self.duration_weeks is None or day < first + timedelta(weeks=self.duration_weeks)

    def note_in(self, language: str) -> str:
        """The note in the reader's language: the English if there is one, else the stored note."""
        if is_english(language) and self.note_en:
            return self.note_en
        return self.note
