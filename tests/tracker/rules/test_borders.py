"""Each threshold, window and baseline size of CLINICAL.md §4 (tracker/rules/thresholds.py),
pinned by cases that sit exactly at the border and just beyond it.

Every case is chosen so that moving the constant by one either way changes the answer: windows
have check-ins only at their first and last date (and one just outside), baselines mix values so
that the first 2, 3 and 4 check-ins give different means. bench/rules_mutations.py checks that
no ±1 change of a constant survives these tests.
"""

import pytest

from tests.tracker.rules.support import at, day, run
from tracker import rules
from tracker.rules import Facts

# --- pain_down_numbness_up: t-6..t against t-13..t-7, pain -1, numbness +2 -------------------


@pytest.mark.parametrize(
    ("days", "fires"),
    [
        # One check-in at each window's edge: t-13 (first day of the earlier week) and t.
        ([day(0, back=5, leg=6, numb=2), day(13, back=5, leg=5, numb=4)], True),
        # The earlier week's last day t-7 against the last week's first day t-6.
        ([day(6, back=5, leg=6, numb=2), day(7, back=5, leg=5, numb=4)], True),
        # t-14 is outside the earlier week: no earlier data, no comparison.
        ([day(-1, back=5, leg=6, numb=2), day(13, back=5, leg=5, numb=4)], False),
        # Two check-ins in the earlier week, one each side of its end: t-13 and t-7.
        (
            [
                day(0, back=5, leg=6, numb=2),
                day(6, back=5, leg=6, numb=2),
                day(8, leg=5, back=5, numb=4),
            ],
            True,
        ),
    ],
)
def test_pain_down_numbness_up_windows_are_exactly_7_and_7_days(days, fires):
    assert (run(rules.pain_down_numbness_up, days, 13) is not None) is fires


def test_pain_down_numbness_up_a_day_moved_across_the_border_changes_the_means():
    # Day t-7 belongs to the earlier week (leg 6 there), day t-6 to the last one (leg 5).
    days = [
        day(0, back=5, leg=4, numb=2),
        day(6, back=5, leg=8, numb=2),
        day(7, back=5, leg=5, numb=4),
    ]
    finding = run(rules.pain_down_numbness_up, days, 13)
    assert finding.evidence["leg_pain_mean"] == [6, 5]
    assert finding.evidence["window"] == [at(7).isoformat(), at(13).isoformat()]
    assert finding.evidence["previous_window"] == [at(0).isoformat(), at(6).isoformat()]


@pytest.mark.parametrize(
    ("prior_leg", "recent_legs", "prior_numb", "recent_numbs", "fires"),
    [
        (6, [5], 2, [4], True),  # leg pain down exactly 1, numbness up exactly 2
        (6, [6, 5], 2, [4], False),  # leg pain down 0.5
        (6, [6], 2, [4], False),  # leg pain not down at all
        (6, [4], 2, [4], True),  # down 2
        (6, [5], 2, [3], False),  # numbness up only 1
        (6, [5], 2, [3, 4], False),  # numbness up 1.5
        (6, [5], 2, [5], True),  # numbness up 3
        (6, [5], 0, [2], True),
        (9, [8], 7, [9], True),
    ],
)
def test_pain_down_numbness_up_fall_and_rise_borders(
    prior_leg, recent_legs, prior_numb, recent_numbs, fires
):
    # Back pain steady, so only leg pain can fall.
    prior = [day(0, back=5, leg=prior_leg, numb=prior_numb)]
    n = len(recent_legs) * len(recent_numbs)
    recent = [
        day(
            7 + i,
            back=5,
            leg=recent_legs[i % len(recent_legs)],
            numb=recent_numbs[i // len(recent_legs)],
        )
        for i in range(n)
    ]
    finding = run(rules.pain_down_numbness_up, prior + recent, 13)
    assert (finding is not None) is fires


@pytest.mark.parametrize(("back_recent", "fires"), [(5, True), (6, False), (4, True)])
def test_pain_down_numbness_up_back_pain_falling_by_1_counts(back_recent, fires):
    days = [day(0, back=6, leg=5, numb=1), day(10, back=back_recent, leg=5, numb=3)]
    finding = run(rules.pain_down_numbness_up, days, 13)
    assert (finding is not None) is fires
    if fires:
        assert finding.evidence["pain_fell"] == ["back_pain"]


# --- numbness_worsening: 3-day mean >= baseline (first 3) + 2, or >= t-9..t-3 mean + 2 ------


def test_numbness_3_day_window_is_t_minus_2_to_t():
    # Baseline 2; t-2 = 6, t-1 = t = 3: the 3-day mean is 4 (= baseline + 2). Over 2 days it
    # would be 3, over 4 days (with t-3 = 2) 3.5.
    days = [
        day(0, numb=2),
        day(1, numb=2),
        day(2, numb=2),
        day(3, numb=6),
        day(4, numb=3),
        day(5, numb=3),
    ]
    finding = run(rules.numbness_worsening, days, 5)
    assert finding.evidence["numbness_3_day_mean"] == 4
    assert "above_episode_baseline" in finding.evidence["reasons"]


def test_numbness_3_day_window_misses_a_high_day_at_t_minus_3():
    days = [day(0, numb=2), day(1, numb=2), day(2, numb=2), day(3, numb=2)]
    days += [day(4, numb=9), day(5, numb=3), day(6, numb=3), day(7, numb=3)]
    assert run(rules.numbness_worsening, days, 7) is None  # mean of 5..7 is 3


def test_numbness_baseline_is_the_first_3_checkins():
    # First check-ins 3, 3, 0, 4: the first 2 average 3, the first 3 average 2, the first 4
    # 2.5. The 3-day mean of 4 is baseline + 2 for the first 3 only.
    days = [day(0, numb=3), day(1, numb=3), day(2, numb=0), day(3, numb=4)]
    days += [day(n, numb=4) for n in range(4, 11)]
    finding = run(rules.numbness_worsening, days, 10)
    assert finding.evidence["episode_baseline"] == 2
    assert finding.evidence["episode_baseline_dates"] == [
        at(0).isoformat(),
        at(1).isoformat(),
        at(2).isoformat(),
    ]
    assert finding.evidence["reasons"] == ["above_episode_baseline"]


def test_numbness_baseline_needs_3_checkins_before_t():
    # Two earlier check-ins and t itself are not a baseline.
    days = [day(0, numb=0), day(1, numb=0), day(2, numb=9)]
    assert run(rules.numbness_worsening, days, 2, Facts(numbness_episode_from=at(0))) is None


@pytest.mark.parametrize(
    ("current", "fires"),
    [
        ([4, 4, 4], True),
        ([4, 4, 3], False),
        ([3, 3, 3], False),
        ([5, 4, 3], True),
        ([3, 4, 5], True),
    ],
)
def test_numbness_rise_of_2_over_the_baseline(current, fires):
    days = [day(n, numb=2) for n in range(3)] + [day(3 + i, numb=v) for i, v in enumerate(current)]
    # Episode from day 0; the days before the window are all baseline (mean 2, so the
    # previous-week clause says the same).
    assert (run(rules.numbness_worsening, days, 5) is not None) is fires


def _previous_week_days(extra):
    # Baseline high (first 3 at 9) so only the previous-week clause can fire.
    return [day(n, numb=9) for n in range(-30, -27)] + extra


@pytest.mark.parametrize(
    ("earlier", "fires"),
    [
        ([(1, 1)], True),  # t-9, first day of the earlier 7: mean 1, 3 >= 1 + 2
        ([(7, 1)], True),  # t-3, last day of it
        ([(0, 1)], False),  # t-10 is outside: no earlier mean
        ([(0, 3), (1, 1)], True),  # t-10 does not count: mean is 1, not 2
        ([(7, 1), (8, 5)], True),  # t-2 belongs to the 3-day window, not the earlier 7
        ([(1, 2)], False),  # mean 2: 3 < 4
    ],
)
def test_numbness_previous_window_is_t_minus_9_to_t_minus_3(earlier, fires):
    # t = 10; the 3-day window t-2..t has numbness 3 (or 5, 3, 3 when day 8 is given).
    days = {n: day(n, numb=v) for n, v in earlier}
    for n in (8, 9, 10):
        days.setdefault(n, day(n, numb=3))
    history = _previous_week_days(list(days.values()))
    facts = Facts(numbness_episode_from=at(-1))  # episode too short for a baseline
    finding = run(rules.numbness_worsening, history, 10, facts)
    assert (finding is not None) is fires
    if fires:
        assert finding.evidence["reasons"] == ["above_previous_week"]


# --- claudication: first 3 walking reports, tolerance fallen by 50 % ------------------------


@pytest.mark.parametrize(
    ("reports", "today", "fires"),
    [
        ([20, 20, 20], 10, True),  # exactly half
        ([20, 20, 20], 11, False),
        ([100, 100, 100], 50, True),
        ([100, 100, 100], 51, False),  # just above half
        ([20, 20, 21], 10, True),  # 10 <= 10.17
        ([19, 20, 20], 10, False),  # 10 > 9.83
        ([10, 10, 40], 10, True),  # baseline of the first 3 is 20 (the first 2: 10)
        ([10, 10, 40, 0], 10, True),  # a 4th report does not enter the baseline (20, not 15)
        ([10, 10], 5, False),  # 2 reports are no baseline
    ],
)
def test_claudication_baseline_is_the_first_3_reports_and_half_of_it(reports, today, fires):
    days = [day(n, walking_minutes=m) for n, m in enumerate(reports)]
    days.append(day(len(reports), walking_minutes=today))
    finding = run(rules.claudication, days, len(reports))
    assert (finding is not None) is fires
    if fires:
        assert finding.evidence["walking_minutes"] == today


def test_claudication_baseline_skips_checkins_without_minutes():
    days = [day(0), day(1, walking_minutes=30), day(2), day(3, walking_minutes=30)]
    days += [day(4, walking_minutes=30), day(5, walking_minutes=15)]
    assert run(rules.claudication, days, 5).evidence["baseline_walking_minutes"] == 30


# --- sudden_worsening: +3 from the previous check-in ----------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "fires"),
    [
        ({"leg": 3}, {"leg": 6}, True),
        ({"leg": 3}, {"leg": 5}, False),
        ({"back": 0}, {"back": 3}, True),
        ({"back": 6}, {"back": 8}, False),
        ({"leg": 7, "back": 1}, {"leg": 10, "back": 1}, True),
        ({"leg": 5, "back": 5}, {"leg": 7, "back": 7}, False),
    ],
)
def test_sudden_worsening_needs_3_points(before, after, fires):
    days = [day(0, **before), day(4, **after)]
    assert (run(rules.sudden_worsening, days, 4) is not None) is fires


# --- night_pain: 2 of the last 3 nights -----------------------------------------------------


@pytest.mark.parametrize(
    ("nights", "fires"),
    [
        ({8, 10}, True),  # t-2 and t
        ({9, 10}, True),  # t-1 and t
        ({7, 10}, False),  # t-3 is outside
        ({10}, False),  # one night
        ({7, 8}, False),  # t has no night pain but t-2 does: one night in the window
        ({8, 9}, True),
        ({7, 8, 9, 10}, True),
    ],
)
def test_night_pain_window_and_count(nights, fires):
    days = [day(n, night_pain=n in nights) for n in range(5, 11)]
    assert (run(rules.night_pain, days, 10) is not None) is fires
