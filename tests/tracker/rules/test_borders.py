"""Each threshold, window and baseline size of CLINICAL.md §4 (tracker/rules/thresholds.py),
pinned by cases that sit exactly at the border and just beyond it.

Every case is chosen so that moving the constant by one either way changes the answer: windows
have check-ins only at their first and last date (and one just outside), baselines mix values so
that the first 2, 3 and 4 check-ins give different means. bench/rules_mutations.py checks that
no ±1 change of a constant survives these tests.
"""

from datetime import date, timedelta

import pytest

from tracker import rules
from tracker.rules import Day, Facts, History

T0 = date(2026, 3, 1)


def day(n: int, back=2, leg=2, numb=0, **answers) -> Day:
    areas = frozenset(answers.pop("areas", ()))
    return Day(
        on=T0 + timedelta(days=n),
        back_pain=back,
        leg_pain=leg,
        numbness=numb,
        numbness_areas=areas,
        **answers,
    )


def at(n: int) -> date:
    return T0 + timedelta(days=n)


def run(rule, days, n, facts=None):
    return rule(History(days), at(n), facts or Facts())


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


# --- persistent_pain: >= 4, more than 14 days, no 2-point fall of the 3-day mean ------------


@pytest.mark.parametrize(
    ("pain", "span", "fires"),
    [
        (4, 15, True),  # pain exactly 4, 15 days
        (3, 15, False),  # 3 is under the level
        (4, 14, False),  # exactly 14 days is not more than 14
        (6, 16, True),
    ],
)
def test_persistent_pain_level_and_span(pain, span, fires):
    days = [day(n, back=pain, leg=1) for n in range(span + 1)]
    assert (run(rules.persistent_pain, days, span) is not None) is fires


def test_persistent_pain_run_starts_after_the_last_day_under_4():
    days = [day(0, back=5), day(1, back=3)] + [day(n, back=5) for n in range(2, 17)]
    assert run(rules.persistent_pain, days, 16) is None  # 16 - 2 = 14 days
    days.append(day(17, back=5))
    assert run(rules.persistent_pain, days, 17).evidence["since"] == at(2).isoformat()


def test_persistent_pain_first_mean_is_the_runs_first_3_days():
    # Days 0-3: 8, 8, 4, 8, then 5. First day 8, first 2 days 8, first 3 days 6.67, first 4
    # days 7; now 5. Only the first 3-day mean (6.67) is less than 2 above 5.
    pains = [8, 8, 4, 8] + [5] * 13
    days = [day(n, back=p, leg=0) for n, p in enumerate(pains)]
    finding = run(rules.persistent_pain, days, 16)
    assert finding is not None
    assert finding.evidence["first_3_day_mean"] == 6.67
    assert finding.evidence["pain_3_day_mean"] == 5


@pytest.mark.parametrize(
    ("first", "last", "fires"),
    [
        ([7, 7, 7], [5, 5, 5], False),  # exactly 2 better
        ([7, 7, 7], [6, 6, 6], True),  # only 1 better
        ([7, 7, 7], [6, 5, 5], True),  # 1.67 better
        ([8, 8, 8], [4, 4, 4], False),
        ([6, 6, 6], [4, 4, 5], True),
    ],
)
def test_persistent_pain_2_point_improvement(first, last, fires):
    pains = first + [first[-1]] * 10 + last
    days = [day(n, back=p, leg=0) for n, p in enumerate(pains)]
    t = len(pains) - 1
    assert (run(rules.persistent_pain, days, t) is not None) is fires


def test_persistent_pain_current_mean_is_the_last_3_days():
    # Last four days 9, 4, 4, 4 after 6s: the 3-day mean (4) is 2 better than the first (6);
    # over 4 days it would be 5.25, over 2 days 4.
    pains = [6] * 13 + [9, 4, 4, 4]
    days = [day(n, back=p, leg=0) for n, p in enumerate(pains)]
    assert run(rules.persistent_pain, days, 16) is None
    pains = [6] * 13 + [4, 9, 4, 4]  # over 3 days 5.67: not 2 better; over 2 days it would be
    days = [day(n, back=p, leg=0) for n, p in enumerate(pains)]
    assert run(rules.persistent_pain, days, 16) is not None


# --- pregnancy_persistent: numbness for more than 14 days -----------------------------------


@pytest.mark.parametrize(("span", "fires"), [(14, False), (15, True), (13, False), (20, True)])
def test_pregnancy_numbness_more_than_14_days(span, fires):
    days = [day(n, numb=1) for n in range(span + 1)]
    finding = run(rules.pregnancy_persistent, days, span, Facts(is_pregnant=True))
    assert (finding is not None) is fires


# --- conservative_failure: > 90 days, leg pain not 30 % better ------------------------------


def _programme(first, last, t=95):
    days = [day(n, leg=v) for n, v in enumerate(first)]
    days += [day(t - len(last) + 1 + i, leg=v) for i, v in enumerate(last)]
    return days


@pytest.mark.parametrize(
    ("first", "last", "fires"),
    [
        ([10, 10, 10], [7, 7, 7], False),  # exactly 30 % better
        ([10, 10, 10], [7, 7, 8], True),  # 26.7 % better
        ([10, 10, 11], [7, 7, 8], True),  # 7.33 is 71 % of 10.33: 29 % better
        ([10, 10, 10], [6, 7, 7], False),
        ([5, 5, 5], [4, 4, 4], True),
        # Baseline of the first 3 (8), not the first 2 (10) or 4 (8.5): 5.67 is 71 % of it.
        ([10, 10, 4, 10], [5, 6, 6], True),
    ],
)
def test_conservative_failure_30_percent_border(first, last, fires):
    facts = Facts(programme_started_on=at(0))
    assert (
        run(rules.conservative_failure, _programme(first, last), 95, facts) is not None
    ) is fires


@pytest.mark.parametrize(("t", "fires"), [(90, False), (91, True), (89, False)])
def test_conservative_failure_more_than_90_days(t, fires):
    days = _programme([6, 6, 6], [6, 6, 6], t=t)
    facts = Facts(programme_started_on=at(0))
    assert (run(rules.conservative_failure, days, t, facts) is not None) is fires


def test_conservative_failure_current_mean_is_the_last_3_days():
    # Baseline 10. Last four days 2, 10, 6, 6: the 3-day mean 7.33 is not 30 % better; over 2
    # days (6) or 4 days (6) it would be.
    days = _programme([10, 10, 10], [2, 10, 6, 6])
    facts = Facts(programme_started_on=at(0))
    assert run(rules.conservative_failure, days, 95, facts).evidence["leg_pain_3_day_mean"] == 7.33


# --- adherence_drop: under 50 % of the last 7 days, or stopped once pain eased by 2 ---------


@pytest.mark.parametrize(
    ("prescribed", "done", "fires"),
    [
        (14, 7, False),  # exactly half
        (14, 6, True),
        (100, 49, True),
        (100, 50, False),
        (100, 51, False),
        (7, 3, True),
        (7, 4, False),
        (0, 0, False),  # nothing prescribed
    ],
)
def test_adherence_drop_half_border(prescribed, done, fires):
    facts = Facts(prescribed_last_7=prescribed, done_last_7=done)
    finding = run(rules.adherence_drop, [day(0)], 0, facts)
    assert (finding is not None) is fires
    if fires:
        assert finding.evidence["clause"] == "below_half"
        assert finding.evidence["stopped_after_pain_eased"] is False


@pytest.mark.parametrize(
    ("prior", "recent", "clause"),
    [
        (6, 4, "stopped_after_pain_eased"),  # eased by exactly 2
        (6, 5, "below_half"),  # eased by 1 only
        (6, 3, "stopped_after_pain_eased"),
        (5, 5, "below_half"),
    ],
)
def test_adherence_drop_stopped_once_pain_eased_needs_a_2_point_fall(prior, recent, clause):
    days = [day(n, back=prior) for n in range(7)] + [day(n, back=recent) for n in range(7, 14)]
    facts = Facts(prescribed_last_7=7, done_last_7=0, done_previous_7=5)
    finding = run(rules.adherence_drop, days, 13, facts)
    assert finding.evidence["clause"] == clause
    assert finding.evidence["stopped_after_pain_eased"] is (clause == "stopped_after_pain_eased")
    assert finding.evidence["pain_mean"] == [prior, recent]


@pytest.mark.parametrize(
    ("days", "clause"),
    [
        # Pain at t-13 and t-6 only: the two weeks are t-13..t-7 and t-6..t.
        ([day(0, back=6), day(7, back=4)], "stopped_after_pain_eased"),
        # t-7 belongs to the earlier week (6 there too), t-6 to the last.
        ([day(0, back=6), day(6, back=6), day(7, back=4)], "stopped_after_pain_eased"),
        # Pain only at t-14 and t: no earlier week to compare with.
        ([day(-1, back=6), day(13, back=4)], "below_half"),
    ],
)
def test_adherence_drop_pain_weeks_are_7_days(days, clause):
    facts = Facts(prescribed_last_7=7, done_last_7=0, done_previous_7=3)
    assert run(rules.adherence_drop, days, 13, facts).evidence["clause"] == clause


def test_adherence_drop_stopped_needs_sessions_the_week_before():
    days = [day(n, back=6) for n in range(7)] + [day(n, back=3) for n in range(7, 14)]
    facts = Facts(prescribed_last_7=7, done_last_7=0, done_previous_7=0)
    assert run(rules.adherence_drop, days, 13, facts).evidence["clause"] == "below_half"


# --- missing_checkins: 3 days ---------------------------------------------------------------


@pytest.mark.parametrize(("gap", "fires"), [(2, False), (3, True), (4, True), (1, False)])
def test_missing_checkins_after_3_days(gap, fires):
    finding = rules.missing_checkins(History([day(0)]), at(gap))
    assert (finding is not None) is fires
