"""The check-in's 0-10 scales are rendered in Python (`{% scale_radios %}`, issue 16) to the
markup the template's loop over the radio buttons wrote: both, for a new check-in, an existing
one and one sent back with errors, in both languages."""

import pytest
from django.template import engines
from django.utils import translation

from tracker.forms import CheckInForm

LOOP = (
    '{% for radio in field %}<label class="score" for="{{ radio.id_for_label }}"><input'
    ' type="radio" name="{{ field.html_name }}" value="{{ radio.data.value }}"'
    ' id="{{ radio.id_for_label }}" required{% if radio.data.selected %} checked{% endif %}>'
    "<span>{{ radio.choice_label }}{% if radio.data.value == 0 %}"
    '<span class="visually-hidden"> – {{ low }}</span>{% elif radio.data.value == 10 %}'
    '<span class="visually-hidden"> – {{ high }}</span>{% endif %}</span></label>{% endfor %}'
)
BOTH = "{% load app_pages %}" + LOOP + "@@@{% scale_radios field low high %}"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "form",
    [
        CheckInForm(),
        CheckInForm(initial={"back_pain": 10, "leg_pain": 0, "numbness": 4}),
        CheckInForm({"back_pain": "3", "leg_pain": "11", "numbness": ""}),
    ],
    ids=["new", "existing", "errors"],
)
def test_the_scales_render_as_the_template_did(form, language):
    form.is_bound and form.is_valid()
    with translation.override(language):
        for name in ("back_pain", "leg_pain", "numbness"):
            context = {"field": form[name], "low": "No <pain>", "high": "Worst & more"}
            template, python = engines["django"].from_string(BOTH).render(context).split("@@@")
            assert python == template
            assert python.count('type="radio"') == 11
