"""Forms of the programme builder page (tracker/views/programme_builder.py).

The page is one form: the programme's own fields, one row of fields per item (prefixed by the
item's exercise key) and the catalogue's search, so every button (add, remove, search, preview,
save) keeps what the therapist typed, with or without JavaScript.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from exercises.models import Category, Phase
from tracker.models.patients import MAX_ITEM_WEEKS
from tracker.services.assignments import DOSAGE_FIELDS

# The API's bounds (tracker/serializers/programmes.py AssignmentChangeSerializer).
DOSE_LIMITS = {
    "sets": 1000,
    "reps": 10000,
    "hold_seconds": 3600,
    "minutes": 24 * 60,
    "times_per_day": 48,
}
DOSE_LABELS = {
    "sets": _("Sets"),
    "reps": _("Repetitions"),
    "hold_seconds": _("Hold (seconds)"),
    "minutes": _("Minutes"),
    "times_per_day": _("Times a day"),
}
ROW_PREFIX = "i"


def row_prefix(key: str) -> str:
    return f"{ROW_PREFIX}-{key}"


def _number(name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=DOSE_LABELS[name],
        required=False,
        min_value=0,
        max_value=DOSE_LIMITS[name],
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "dose"}),
    )


class ProgrammeItemForm(forms.Form):
    exercise = forms.SlugField(max_length=64, widget=forms.HiddenInput)
    sets = _number("sets")
    reps = _number("reps")
    hold_seconds = _number("hold_seconds")
    minutes = _number("minutes")
    times_per_day = _number("times_per_day")
    days_per_week = forms.IntegerField(
        label=_("Days a week"),
        min_value=1,
        max_value=7,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "dose"}),
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        help_text=_("Blank: with the programme."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    duration_weeks = forms.IntegerField(
        label=_("For how many weeks"),
        required=False,
        min_value=1,
        max_value=MAX_ITEM_WEEKS,
        help_text=_("Blank: ongoing."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "dose"}),
    )
    note = forms.CharField(label=_("Note for the patient"), max_length=300, required=False)
    override_reason = forms.CharField(
        label=_("Why give it anyway (recorded with your name)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def item(self) -> dict[str, Any]:
        """The row as programme_save takes it."""
        data = self.cleaned_data
        return {
            "exercise": data["exercise"],
            **{name: data[name] for name in DOSAGE_FIELDS},
            "days_per_week": data["days_per_week"],
            "starts_on": data["starts_on"],
            "duration_weeks": data["duration_weeks"],
            "note": data["note"].strip(),
            "override_reason": data["override_reason"].strip(),
        }


class ProgrammeHeaderForm(forms.Form):
    # Where the draft came from: a template's key, or "current" (the patient's programme), or
    # blank (from nothing).
    base = forms.CharField(max_length=80, required=False, widget=forms.HiddenInput)
    starts_on = forms.DateField(
        label=_("Programme starts on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Reason for the change (for the care team)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the catalogue"), max_length=100, required=False)
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("Any phase")), *Phase.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category")), *Category.choices]
    )
