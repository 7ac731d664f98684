from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exercises.models import (
    Contraindication,
    Exercise,
    ExercisePhase,
    ExercisePopulation,
    ProgrammeTemplate,
    ProgrammeTemplateItem,
)
from exercises.services import caution_guard


class ExercisePhaseInline(admin.TabularInline):
    model = ExercisePhase
    extra = 0


class ExercisePopulationInline(admin.TabularInline):
    model = ExercisePopulation
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["key", "name_zh", "name_en", "category", "updated_at"]
    list_filter = ["category", "phases__phase", "populations__population"]
    search_fields = ["key", "name_zh", "name_en"]
    inlines = [ExercisePhaseInline, ExercisePopulationInline]

    def get_readonly_fields(self, request, obj=None):
        # The key ties the row to exercises/catalogue.yaml; renaming it here would make the
        # next load create a second exercise.
        return ["key", "updated_at"] if obj else ["updated_at"]


class TemplateItemFormSet(forms.BaseInlineFormSet):
    """Runs the caution guard on every item against the template as it is being saved.

    `self.instance` is the template with the parent form's new phase and conditions already
    applied, so changing the template's phase re-checks the items it already holds.
    """

    request_user: Any = None  # set per request by ProgrammeTemplateItemInline.get_formset

    def clean(self):
        super().clean()
        template = self.instance
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):  # type: ignore[attr-defined]  # Django's own, not in the stubs
                continue
            exercise = form.cleaned_data.get("exercise")
            if exercise is None:
                continue
            self._guard(form, template, exercise)

    def _guard(self, form, template, exercise) -> None:
        item = form.instance
        reason = (form.cleaned_data.get("override_reason") or "").strip()
        # An override already on record keeps its author while the reason is unchanged, so
        # another user re-saving the template does not re-sign it.
        on_record = (
            item.pk is not None
            and item.overridden_by_id is not None
            and reason == item.override_reason
            and item.exercise_id == exercise.pk
        )
        author = item.overridden_by if on_record else self.request_user
        try:
            codes = caution_guard(
                exercise=exercise,
                phase=template.phase,
                conditions=template.conditions,
                override_reason=reason,
                overridden_by=author,
            )
            if on_record and not set(codes) <= set(item.overridden_cautions):
                author = self.request_user
                on_record = False
                codes = caution_guard(
                    exercise=exercise,
                    phase=template.phase,
                    conditions=template.conditions,
                    override_reason=reason,
                    overridden_by=author,
                )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            return
        if not codes:
            item.overridden_cautions, item.override_reason = [], ""
            item.overridden_by, item.overridden_at = None, None
        elif not on_record or codes != item.overridden_cautions:
            item.overridden_cautions, item.override_reason = codes, reason
            item.overridden_by, item.overridden_at = author, timezone.now()


class ProgrammeTemplateItemInline(admin.TabularInline):
    model = ProgrammeTemplateItem
    formset = TemplateItemFormSet
    extra = 0
    autocomplete_fields = ["exercise"]
    fields = [
        "position",
        "exercise",
        "sets",
        "reps",
        "hold_seconds",
        "minutes",
        "times_per_day",
        "days_per_week",
        "duration_weeks",
        "note_zh",
        "note_en",
        "override_reason",
        "overridden_cautions",
        "overridden_by",
        "overridden_at",
    ]
    readonly_fields = ["overridden_cautions", "overridden_by", "overridden_at"]

    def get_formset(self, request, obj=None, **kwargs):
        # A fresh formset class per request, so the user never leaks between requests.
        formset = super().get_formset(request, obj, **kwargs)
        assert issubclass(formset, TemplateItemFormSet)  # the `formset` named above
        formset.request_user = request.user
        return formset


class ProgrammeTemplateForm(forms.ModelForm):
    class Meta:
        model = ProgrammeTemplate
        fields = [
            "key",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "phase",
            "population",
            "conditions",
            "sources",
        ]

    def clean_conditions(self):
        conditions = self.cleaned_data["conditions"] or []
        allowed = list(Contraindication.values)
        if not isinstance(conditions, list) or any(code not in allowed for code in conditions):
            raise ValidationError(
                _("Give a list of condition codes from: %(allowed)s."),
                params={"allowed": ", ".join(allowed)},
            )
        return conditions


@admin.register(ProgrammeTemplate)
class ProgrammeTemplateAdmin(admin.ModelAdmin):
    form = ProgrammeTemplateForm
    list_display = ["key", "name_zh", "name_en", "phase", "population", "updated_at"]
    list_filter = ["phase", "population"]
    search_fields = ["key", "name_zh", "name_en"]
    inlines = [ProgrammeTemplateItemInline]
    fieldsets = [
        (None, {"fields": ["key", "name_zh", "name_en", "description_zh", "description_en"]}),
        (
            _("Who and when"),
            {
                "fields": ["phase", "population", "conditions", "sources"],
                "description": _(
                    "Items are checked against the exercises' cautions for this phase and "
                    "these conditions. An item against a caution needs a therapist's reason."
                ),
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["key", "updated_at"] if obj else ["updated_at"]
