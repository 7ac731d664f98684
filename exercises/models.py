from django.conf import settings
from django.db import models
from django.db.models import Value
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reminders.languages import language_suffix


class Phase(models.TextChoices):
    # A3: acute = first 1-2 weeks of a pain episode; recovery starts once pain has eased
    # for 2 weeks; core training continues 1-3 months after pain is gone (maintenance).
    ACUTE = "acute", _("Acute phase")
    RECOVERY = "recovery", _("Recovery phase")
    MAINTENANCE = "maintenance", _("Maintenance")


class Population(models.TextChoices):
    GENERAL = "general", _("Everyone")
    DESK_WORKER = "desk_worker", _("Desk workers")
    PREGNANCY = "pregnancy", _("Pregnancy")
    POSTPARTUM = "postpartum", _("Postpartum")
    ELDERLY = "elderly", _("Older adults")
    CIRCULATION = "circulation", _("Circulation problems")


class Category(models.TextChoices):
    CORE_STRENGTH = "core_strength", _("Core strengthening")
    STRETCH = "stretch", _("Stretching")
    AEROBIC = "aerobic", _("Aerobic")
    MOBILITY = "mobility", _("Mobility and posture")
    PELVIC_FLOOR = "pelvic_floor", _("Pelvic floor and breathing")
    ACTIVITY_BREAK = "activity_break", _("Activity break")
    SELF_CARE = "self_care", _("Self-care")
    MODALITY = "modality", _("Therapist-delivered treatment")


class Contraindication(models.TextChoices):
    """What an exercise must not be given with, unless a therapist overrides it (CLINICAL.md §2)."""

    # A1, A3: prone back extension loads the lumbar spine heavily.
    LUMBAR_INSTABILITY = "lumbar_instability", _("Lumbar instability")
    # A3: in the acute phase, no massage, no traction and no core loading.
    ACUTE_PHASE = "acute_phase", _("Acute phase")


class BilingualMixin:
    """Pick the `<name>_zh` or `<name>_en` column for the active language."""

    def localized(self, field: str) -> str:
        language = (get_language() or "zh-hans").lower()
        suffix = language_suffix(language)
        return getattr(self, f"{field}_{suffix}") or getattr(self, f"{field}_zh")


class DosageFields(models.Model):
    """Structured dosage; a blank value means 'not part of this dosage'."""

    sets = models.PositiveSmallIntegerField(_("sets"), null=True, blank=True)
    reps = models.PositiveSmallIntegerField(_("repetitions"), null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(_("hold (seconds)"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    times_per_day = models.PositiveSmallIntegerField(_("times per day"), null=True, blank=True)

    class Meta:
        abstract = True


class CautionOverride(models.Model):
    """A caution a therapist overrode for an item (CLINICAL.md §2): which ones, why, who, when.

    Shared by programme template items and patients' programme items.
    """

    overridden_cautions = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


# For each concrete item's Meta.constraints: an override is a reason and a therapist together,
# or neither.
OVERRIDE_HAS_REASON_AND_AUTHOR = models.Q(override_reason="", overridden_by__isnull=True) | (
    ~models.Q(override_reason="") & models.Q(overridden_by__isnull=False)
)


class Exercise(BilingualMixin, DosageFields):
    key = models.SlugField(_("key"), max_length=64, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    instructions_zh = models.TextField(_("instructions (Chinese)"))
    instructions_en = models.TextField(_("instructions (English)"))
    dosage_zh = models.CharField(_("dosage in words (Chinese)"), max_length=200, blank=True)
    dosage_en = models.CharField(_("dosage in words (English)"), max_length=200, blank=True)
    caution_zh = models.TextField(_("caution (Chinese)"), blank=True)
    caution_en = models.TextField(_("caution (English)"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    interval_minutes = models.PositiveSmallIntegerField(
        _("interval (minutes)"),
        null=True,
        blank=True,
        help_text=_("For repeated breaks: minutes of sitting between two of them."),
    )
    contraindications = models.JSONField(_("contraindications"), default=list, blank=True)
    sources = models.JSONField(_("source articles"), default=list)
    # CLINICAL.md §1a: the dose is the product's conservative first dose, not the articles'.
    # Therapists are shown this; patients see the dose alone.
    is_starting_dose = models.BooleanField(
        _("starting dose (not from the articles)"), default=False, db_default=False
    )
    # The patient's how-to, from the catalogue file (exercises.guides reads it): pictures with
    # captions, steps with their picture and timing, what to feel, when to stop.
    # db_default as well: rows written by code that predates the column (migration 0003's frozen
    # catalogue) get an empty guide rather than a NOT NULL error.
    guide = models.JSONField(
        _("guide"), default=dict, db_default=Value({}, models.JSONField()), blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} ({self.name_zh} / {self.name_en})"

    # The four lists below read the prefetched child rows (selectors prefetch "phases" and
    # "populations") and keep the choices' order, whatever order the rows were created in.
    @property
    def phase_codes(self) -> list[str]:
        return sorted((row.phase for row in self.phases.all()), key=list(Phase.values).index)

    @property
    def population_codes(self) -> list[str]:
        order = list(Population.values)
        return sorted((row.population for row in self.populations.all()), key=order.index)

    @property
    def phase_labels(self) -> list[str]:
        return [str(Phase(code).label) for code in self.phase_codes]

    @property
    def population_labels(self) -> list[str]:
        return [str(Population(code).label) for code in self.population_codes]


class ExercisePhase(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(max_length=20, choices=Phase.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "phase"], name="exercise_phase_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise.key}: {self.phase}"


class ExercisePopulation(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="populations")
    population = models.CharField(max_length=20, choices=Population.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "population"], name="exercise_population_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise.key}: {self.population}"


class ProgrammeTemplate(BilingualMixin, models.Model):
    key = models.SlugField(_("key"), max_length=64, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    population = models.CharField(
        _("population"), max_length=20, choices=Population.choices, default=Population.GENERAL
    )
    # Conditions the programme is written for (e.g. lumbar_instability); cautions are checked
    # against them when items are added.
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    sources = models.JSONField(_("source articles"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme template")
        verbose_name_plural = _("programme templates")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} ({self.name_en})"


class ProgrammeTemplateItem(BilingualMixin, DosageFields, CautionOverride):
    """One exercise in a template: dosage (blank = exercise default), how often, how long."""

    template = models.ForeignKey(ProgrammeTemplate, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="template_items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    days_per_week = models.PositiveSmallIntegerField(_("days per week"), default=7)
    duration_weeks = models.PositiveSmallIntegerField(
        _("for how many weeks"), null=True, blank=True, help_text=_("Blank: ongoing.")
    )
    note_zh = models.CharField(_("note (Chinese)"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("programme template item")
        verbose_name_plural = _("programme template items")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "exercise"], name="template_item_exercise_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(days_per_week__gte=1, days_per_week__lte=7),
                name="template_item_days_per_week_range",
            ),
            models.CheckConstraint(
                condition=OVERRIDE_HAS_REASON_AND_AUTHOR,
                name="template_item_override_has_reason_and_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.key}: {self.exercise.key}"
