"""The patient page's flag cards are drawn in Python (issue 16): exactly the markup that
tracker/dashboard/_flag.html draws, for flags in every state, in both languages."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tests.tracker.dashboard.support import TODAY, add_flag, days_ago, set_evidence
from tracker.models import Flag
from tracker.selectors.flag_answers import flag_answers
from tracker.selectors.patient_page import patient_page
from tracker.services.checkins import checkin_submit
from tracker.templatetags.flag_card import flag_card
from tracker.views.dashboard import NOTE_MAX_LENGTH

CALM = {"back_pain": 2, "leg_pain": 3, "numbness": 1}
CSRF = '<input type="hidden" name="csrfmiddlewaretoken" value="tok">'


def _flags_in_every_state(patient, therapist):
    add_flag(patient, "night_pain")  # open
    add_flag(patient, "cauda_equina", on=days_ago(9))  # urgent, stale
    add_flag(
        patient,
        "claudication",
        status="acknowledged",
        acknowledged_at=timezone.now(),
        acknowledged_by=therapist,
        acknowledged_note='Call <her> & "see"',
    )
    add_flag(
        patient,
        "persistent_pain",
        status="resolved",
        resolved_by=therapist,
        resolved_note="Better",
        acknowledged_at=timezone.now() - timedelta(days=1),
    )
    long = add_flag(patient, "numbness_worsening")
    set_evidence(long, [{"date": days_ago(n).isoformat()} for n in range(0, 40, 3)])
    # A correction: changed evidence on an open flag, and a flag withdrawn before anyone saw it.
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "saddle_numbness": True})
    checkin_submit(patient=patient, on=TODAY, answers=CALM)
    checkin_submit(patient=patient, on=days_ago(1), answers={**CALM, "leg_pain": 2})
    checkin_submit(patient=patient, on=days_ago(1), answers={**CALM, "leg_pain": 7})
    checkin_submit(patient=patient, on=days_ago(1), answers={**CALM, "leg_pain": 3})


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("can_act", [True, False])
def test_the_cards_draw_what_the_template_draws(therapist, patient, now, language, can_act):
    _flags_in_every_state(patient, therapist)
    profile = patient.patient_profile
    with translation.override(language), timezone.override(profile.tzinfo):
        page = patient_page(user=therapist, profile=profile, range_days=90, language=language)
        answers = flag_answers(patient=patient, flags=[entry.flag for entry in page.flags])
        entries = page.flags
        assert any(e.changes for e in entries) and any(e.flag.withdrawn_at for e in entries)
        assert any(e.is_stale for e in entries) and any(e.evidence_all for e in entries)
        assert any(answers.get(e.flag.pk) for e in entries)
        for entry in page.flags:
            old = render_to_string(
                "tracker/dashboard/_flag.html",
                {
                    "entry": entry,
                    "answers": answers.get(entry.flag.pk),
                    "can_act": can_act,
                    "p": page,
                    "note_max_length": NOTE_MAX_LENGTH,
                    "csrf_token": "tok",
                },
            )
            new = flag_card(
                entry,
                answers.get(entry.flag.pk),
                can_act=can_act,
                csrf=CSRF,
                range_days=page.range_days,
                max_length=NOTE_MAX_LENGTH,
            )
            assert new == old
    states = set(Flag.objects.filter(patient=patient).values_list("status", flat=True))
    assert {"open", "acknowledged", "resolved"} <= states
    assert Flag.objects.filter(patient=patient, withdrawn_at__isnull=False).exists()
