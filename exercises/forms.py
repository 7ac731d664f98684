from django import forms
from django.utils.translation import gettext_lazy as _

from exercises.models import Category, Phase, Population

_ANY = [("", _("Any"))]


class ExerciseFilterForm(forms.Form):
    """The catalogue page's filters: a plain GET form, so it works without JavaScript."""

    phase = forms.ChoiceField(label=_("Phase"), choices=_ANY + Phase.choices, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=_ANY + Category.choices, required=False
    )
    population = forms.ChoiceField(
        label=_("Who it is for"), choices=_ANY + Population.choices, required=False
    )
