"""Pieces of the patient's pages rendered in Python (issue 16) to the markup of the templates
they replace: Today's items (tracker/app/_item.html, which the therapist's programme preview
still includes), the guides' list and Progress's charts. Both, for the same rows, in every state
they have, in both languages."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone, translation

from tests.factories import SessionLogFactory
from tests.tracker.app.support import add_checkins, days_ago
from tracker.forms import SessionLogForm
from tracker.models import AssignmentItem, Difficulty
from tracker.selectors.patient_app import (
    patient_guides,
    patient_profile_for,
    patient_progress,
    patient_today,
)
from tracker.views.app.today import _item_rows

BOTH = (
    "{% load app_pages %}{% for entry, values, errors in rows %}"
    '{% include "tracker/app/_item.html" %}{% endfor %}@@@{% today_items rows %}'
)


def _render_both(patient, failed=None, language="en"):
    profile = patient_profile_for(user=patient)
    request = RequestFactory().get("/app/")
    request.user = patient
    with translation.override(language), timezone.override(profile.tzinfo):
        page = patient_today(profile=profile)
        rows = _item_rows(page, failed)
        context = {"rows": rows, "scores": range(11), "difficulties": Difficulty.choices}
        html = engines["django"].from_string(BOTH).render(context, request)
    template, python = html.split("@@@")
    return template, python


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_state_of_an_item_card_renders_as_the_template(patient, programme, language):
    items = list(programme.items.select_related("exercise").order_by("position"))
    # Done today (twice), partly done (a heat pack: twice a day), fewer days a week, a note.
    now = timezone.now()
    for item in items[:1]:
        SessionLogFactory(patient=patient, exercise=item.exercise, item=item, performed_at=now)
        SessionLogFactory(
            patient=patient,
            exercise=item.exercise,
            item=item,
            performed_at=now - timedelta(minutes=5),
        )
    AssignmentItem.objects.filter(pk=items[1].pk).update(
        days_per_week=3, note="Slowly <please>", note_en="Slowly & gently", times_per_day=3
    )
    SessionLogFactory(patient=patient, exercise=items[1].exercise, item=items[1], performed_at=now)
    AssignmentItem.objects.filter(pk=items[2].pk).update(sets=None, reps=None, minutes=None)

    template, python = _render_both(patient, language=language)

    assert python == template
    assert 'data-last-logged="' in python and "(2×)" in python and 'class="errorlist"' not in python

    # The same after a "Done" came back with errors: the posted amounts kept, the errors shown.
    data = QueryDict(mutable=True)
    data.update(
        {
            "item": str(items[3].public_id),
            "sets": "x<",
            "reps": "5",
            "pain_during": "4",
            "difficulty": "hard",
        }
    )
    failed = SessionLogForm(data)
    assert not failed.is_valid()
    template, python = _render_both(patient, failed=failed, language=language)

    assert python == template
    assert 'class="errorlist"' in python and '<option value="4" selected>' in python
    assert '<option value="hard" selected>' in python


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_guides_list_renders_as_its_template(patient, programme, language):
    profile = patient_profile_for(user=patient)
    both = (
        "{% load app_pages %}{% for entry in entries %}"
        '{% include "tracker/app/_guide_link.html" %}{% endfor %}@@@{% guide_links entries %}'
    )
    with translation.override(language):
        mine, others = patient_guides(profile=profile, language=language)
        for entries in (mine, others):
            html = engines["django"].from_string(both).render({"entries": entries})
            template, python = html.split("@@@")
            assert python == template
            assert python.count("<li>") == len(entries) > 0
        assert python.count("?item=") == 0  # the others: not in the programme
        assert "?item=" in engines["django"].from_string(both).render({"entries": mine})


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("days", [0, 1, 40])
def test_progress_charts_render_as_their_template(patient, now, language, days):
    add_checkins(patient, range(days), back_pain=7, leg_pain=3)
    if days > 10:  # a gap: the line breaks, lone days are dots
        patient.checkins.filter(date__in=[days_ago(n) for n in range(2, 39) if n != 20]).delete()
    profile = patient_profile_for(user=patient)
    both = (
        "{% load app_pages %}{% for key, label, chart in charts %}"
        '{% include "tracker/app/_chart.html" %}{% endfor %}@@@'
        "{% for key, label, chart in charts %}{% progress_chart key label chart %}{% endfor %}"
    )
    with translation.override(language), timezone.override(profile.tzinfo):
        for range_days in (30, 90):
            page = patient_progress(profile=profile, range_days=range_days, language=language)
            html = engines["django"].from_string(both).render({"charts": page.charts})
            template, python = html.split("@@@")
            assert python == template
            assert python.count("<figure") == 3
            assert ('class="dot"' in python) == (days > 0)  # the lone day (and a first one)
            assert ('class="line"' in python) == (days > 1)
