"""Progress: pain and numbness charts (SVG, no script), sessions done against planned, change
since the first week, and what the open flags advise."""

import pytest
from django.utils import timezone

from tests.factories import SessionLogFactory
from tests.tracker.app.support import add_checkins
from tests.tracker.dashboard.support import add_flag


def test_three_charts_readable_without_javascript(app_client, patient, now):
    add_checkins(patient, range(0, 20), leg_pain=4)

    response = app_client(patient).get("/app/progress/")

    page = response.content.decode()
    assert page.count("<svg viewBox=") == 3
    for key in ("leg_pain", "back_pain", "numbness"):
        assert f'data-chart="{key}"' in page
    assert "Last 30 days, 20 check-ins: first 4, latest 4, lowest 4, highest 4." in page
    assert 'class="line" d="M' in page
    assert response.context["page"].range_days == 30


@pytest.mark.parametrize(("query", "days"), [("?range=90", 90), ("?range=7", 30), ("?range=x", 30)])
def test_the_span_is_30_or_90_days(app_client, patient, now, query, days):
    add_checkins(patient, [0, 60])

    response = app_client(patient).get(f"/app/progress/{query}")

    assert response.context["page"].range_days == days
    assert f"Last {days} days" in response.content.decode()


def test_change_since_the_first_week(app_client, patient, now):
    add_checkins(patient, range(40, 47), leg_pain=8, back_pain=6, numbness=1)
    add_checkins(patient, range(0, 7), leg_pain=3, back_pain=6, numbness=4)

    page = app_client(patient).get("/app/progress/?range=90").content.decode()

    assert "Since your first week" in page
    assert "Better by 5.0" in page  # leg pain 8 -> 3
    assert "Worse by 3.0" in page  # numbness 1 -> 4
    assert "About the same" in page


def test_no_first_week_comparison_in_the_first_two_weeks(app_client, patient, now):
    add_checkins(patient, range(0, 5))

    assert (
        "After two weeks of check-ins" in app_client(patient).get("/app/progress/").content.decode()
    )


def test_the_calendar_counts_done_against_planned(app_client, patient, programme):
    item = programme.items.get(exercise__key="plank")
    SessionLogFactory(
        patient=patient, exercise=item.exercise, item=item, performed_at=timezone.now()
    )

    page = app_client(patient).get("/app/progress/").content.decode()

    assert 'class="day-partial today" data-date="2026-03-10" data-done="1"' in page
    assert "<small>1/5</small>" in page
    assert "1 of 5 planned sessions done in the last 30 days." in page


def test_the_open_flags_advice_is_shown_in_the_patients_words(app_client, patient, now):
    add_flag(patient, "night_pain")
    add_flag(patient, "adherence_drop", status="acknowledged")
    add_flag(patient, "claudication", status="resolved")

    page = app_client(patient).get("/app/progress/").content.decode()

    assert "Pain has kept you awake on recent nights." in page
    assert "Core training should go on for 1–3 months" in page
    assert "Your therapist has seen this." in page
    assert "had to stop walking" not in page  # resolved


def test_the_advice_in_chinese(app_client, patient, now):
    add_flag(patient, "night_pain")

    page = app_client(patient, "zh-hans").get("/app/progress/").content.decode()

    assert "最近几晚疼痛影响睡眠" in page


def test_nothing_to_watch_out_for(app_client, patient, now):
    assert (
        "Nothing to watch out for right now."
        in app_client(patient).get("/app/progress/").content.decode()
    )
