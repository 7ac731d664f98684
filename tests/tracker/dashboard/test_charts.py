from datetime import date, timedelta

from tracker import charts
from tracker.models import SEVERITY_RANK
from tracker.selectors.flag_cards import date_ranges, evidence_dates

START = date(2026, 3, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


def test_a_sparkline_breaks_at_gaps_and_draws_lone_values_as_dots():
    chart = charts.sparkline(
        {"leg_pain": [(day(0), 10), (day(1), 5), (day(2), 0), (day(9), 4), (day(20), 7)]},
        start=START,
        end=day(20),
        width=202,
        height=24,
    )
    leg = chart.by_key["leg_pain"]

    assert leg.path == "M1,2 L11,12 L21,22"  # 0 at the bottom, 10 at the top
    assert [(p.on, p.value) for p in leg.dots] == [(day(9), 4), (day(20), 7)]
    assert (leg.first, leg.latest.value, leg.low, leg.high, leg.count) == (10, 7, 0, 10, 5)


def test_short_gaps_are_joined_and_values_outside_the_window_are_left_out():
    chart = charts.sparkline(
        {"numbness": [(day(-1), 3), (day(0), 3), (day(3), 3), (day(40), 3)]},
        start=START,
        end=day(29),
    )

    assert chart.by_key["numbness"].path.count("M") == 1
    assert chart.by_key["numbness"].count == 2


def test_an_empty_series_draws_nothing():
    chart = charts.sparkline({"leg_pain": []}, start=START, end=day(29))

    assert chart.by_key["leg_pain"].path == ""
    assert chart.by_key["leg_pain"].latest is None


def test_markers_on_one_day_merge_into_the_most_severe_with_every_label():
    chart = charts.line_chart(
        {"leg_pain": [(day(n), 5) for n in range(10)]},
        start=START,
        end=day(9),
        markers=[
            (day(4), "medium", "Night pain"),
            (day(4), "urgent", "Cauda equina"),
            (day(5), "medium", "Night pain"),
            (day(6), "urgent", "Cauda equina"),
            (day(99), "high", "Out of range"),
        ],
        severity_rank=SEVERITY_RANK,
    )

    (first, second, third) = chart.markers
    assert (first.on, first.severity, first.labels) == (
        day(4),
        "urgent",
        ("Night pain", "Cauda equina"),
    )
    assert (first.is_onset, second.is_onset, third.is_onset) == (True, False, True)


def test_date_ticks_are_weekly_for_a_month_and_monthly_for_a_year():
    month = charts.line_chart({}, start=date(2026, 2, 9), end=date(2026, 3, 10))
    year = charts.line_chart({}, start=date(2025, 3, 11), end=date(2026, 3, 10))

    assert [t.on.weekday() for t in month.x_ticks] == [0] * 5
    assert [t.on.day for t in year.x_ticks] == [1] * 12
    assert [t.value for t in year.y_ticks] == [0, 2, 4, 6, 8, 10]


def test_evidence_dates_fold_into_runs():
    evidence = [{"date": "2026-03-01"}, {"date": "2026-03-02"}, {"today": "2026-03-05"}, {}]

    assert date_ranges(evidence_dates(evidence)) == (
        (date(2026, 3, 1), date(2026, 3, 2)),
        (date(2026, 3, 5), date(2026, 3, 5)),
    )
