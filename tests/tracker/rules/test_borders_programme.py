"""Borders of the programme and duration rules of CLINICAL.md §4 (persistent pain, pregnancy,
conservative care, adherence, missing check-ins); see test_borders.py for the symptom rules."""

import pytest

from tests.tracker.rules.support import at, day, run
from tracker import rules
from tracker.rules import Facts, History

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
