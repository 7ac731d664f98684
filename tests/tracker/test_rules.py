"""Every rule of CLINICAL.md §4: a case that fires and cases at its borders that do not."""

import random
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


NO_FACTS = Facts()


def fires(rule, days, n, facts=NO_FACTS):
    return rule(History(days), at(n), facts)


# --- cauda_equina -------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["bowel_bladder_change", "saddle_numbness"])
def test_cauda_equina_fires_on_bladder_trouble_or_saddle_numbness(answer):
    finding = fires(rules.cauda_equina, [day(0, **{answer: True})], 0)
    assert finding.severity == "urgent"
    assert finding.evidence[answer] is True


def test_cauda_equina_is_quiet_without_those_answers():
    assert fires(rules.cauda_equina, [day(0, back=9, leg=9, numb=9)], 0) is None


# --- motor_deficit ------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["can_walk_on_heels", "can_walk_on_toes"])
def test_motor_deficit_fires_when_heel_or_toe_walking_fails(answer):
    finding = fires(rules.motor_deficit, [day(0, **{answer: False})], 0)
    assert finding.severity == "urgent"


def test_motor_deficit_is_quiet_when_both_walks_work():
    assert fires(rules.motor_deficit, [day(0)], 0) is None


# --- pain_down_numbness_up ----------------------------------------------------------------


def two_weeks(prior_leg, recent_leg, prior_numb, recent_numb, back=5):
    return [day(n, back=back, leg=prior_leg, numb=prior_numb) for n in range(7)] + [
        day(n, back=back, leg=recent_leg, numb=recent_numb) for n in range(7, 14)
    ]


def test_pain_down_numbness_up_fires_when_pain_eases_and_numbness_grows():
    finding = fires(rules.pain_down_numbness_up, two_weeks(6, 5, 2, 4), 13)
    assert finding.severity == "high"
    assert finding.evidence["numbness_mean"] == [2, 4]
    assert finding.evidence["leg_pain_mean"] == [6, 5]


def test_pain_down_numbness_up_counts_back_pain_falling_too():
    days = [day(n, back=6, leg=5, numb=1) for n in range(7)] + [
        day(n, back=5, leg=5, numb=3) for n in range(7, 14)
    ]
    assert fires(rules.pain_down_numbness_up, days, 13) is not None


@pytest.mark.parametrize(
    ("recent_legs", "recent_numb"),
    [
        ([6, 5], 4),  # leg pain fell only half a point (6 -> 5.5)
        ([5, 5], 3),  # numbness rose only 1 point
        ([7, 7], 5),  # pain rose: numbness up alone is numbness_worsening's business
    ],
)
def test_pain_down_numbness_up_is_quiet_below_its_thresholds(recent_legs, recent_numb):
    prior = [day(0, back=6, leg=6, numb=2), day(3, back=6, leg=6, numb=2)]
    recent = [day(10 + i, back=6, leg=leg, numb=recent_numb) for i, leg in enumerate(recent_legs)]
    assert fires(rules.pain_down_numbness_up, prior + recent, 11) is None


def test_pain_down_numbness_up_needs_data_in_the_earlier_week():
    days = [day(n, leg=2, numb=6) for n in range(7, 14)]
    assert fires(rules.pain_down_numbness_up, days, 13) is None


# --- numbness_worsening -------------------------------------------------------------------


def test_numbness_worsening_fires_at_baseline_plus_two():
    days = [day(0, numb=2), day(1, numb=2), day(2, numb=2)] + [day(n, numb=4) for n in range(3, 6)]
    finding = fires(rules.numbness_worsening, days, 5)
    assert finding.severity == "high"
    assert "above_episode_baseline" in finding.evidence["reasons"]
    assert finding.evidence["episode_baseline"] == 2


def test_numbness_worsening_is_quiet_just_under_baseline_plus_two():
    days = [day(0, numb=2), day(1, numb=2), day(2, numb=2)]
    days += [day(3, numb=4), day(4, numb=4), day(5, numb=3)]
    assert fires(rules.numbness_worsening, days, 5) is None


def test_numbness_worsening_compares_with_the_days_before():
    # Baseline high (episode started at 5), then a fall, then a rise of 2 over t-9..t-3.
    days = [day(n, numb=5) for n in range(3)] + [day(n, numb=1) for n in range(3, 10)]
    days += [day(n, numb=3) for n in range(10, 13)]
    finding = fires(rules.numbness_worsening, days, 12)
    assert finding.evidence["reasons"] == ["above_previous_week"]


def test_numbness_worsening_fires_when_numbness_spreads_further_down_the_leg():
    baseline = [day(n, numb=3, areas={"left_buttock", "left_back_of_thigh"}) for n in range(3)]
    finding = fires(
        rules.numbness_worsening,
        [*baseline, day(3, numb=3, areas={"left_back_of_thigh", "left_outer_calf"})],
        3,
    )
    assert finding.evidence["new_lower_areas"] == ["left_outer_calf"]


def test_numbness_on_the_same_level_or_the_other_side_is_not_spreading_down():
    baseline = [day(n, numb=3, areas={"left_top_of_foot"}) for n in range(3)]
    same_level = day(3, numb=3, areas={"left_top_of_foot", "left_sole"})
    higher = day(4, numb=3, areas={"left_outer_calf"})
    other_side = day(5, numb=3, areas={"right_toes"})
    days = [*baseline, same_level, higher, other_side]
    for n in (3, 4, 5):
        assert fires(rules.numbness_worsening, days, n) is None


def test_numbness_worsening_baseline_restarts_after_a_resolved_flag():
    days = [day(n, numb=1) for n in range(3)] + [day(n, numb=4) for n in range(3, 9)]
    facts = Facts(numbness_episode_from=at(3))
    assert fires(rules.numbness_worsening, days, 8) is not None
    assert fires(rules.numbness_worsening, days, 8, facts) is None


# --- claudication -------------------------------------------------------------------------


def test_claudication_fires_when_walking_has_to_stop():
    finding = fires(rules.claudication, [day(0, stopped_walking=True)], 0)
    assert finding.evidence["stopped_walking"] is True


def test_claudication_fires_when_walking_tolerance_halves():
    days = [day(n, walking_minutes=20) for n in range(3)] + [day(3, walking_minutes=10)]
    finding = fires(rules.claudication, days, 3)
    assert finding.evidence["baseline_walking_minutes"] == 20


def test_claudication_is_quiet_just_above_half():
    days = [day(n, walking_minutes=20) for n in range(3)] + [day(3, walking_minutes=11)]
    assert fires(rules.claudication, days, 3) is None


# --- sudden_worsening ---------------------------------------------------------------------


def test_sudden_worsening_fires_on_a_three_point_jump():
    finding = fires(rules.sudden_worsening, [day(0, leg=3), day(2, leg=6)], 2)
    assert finding.evidence["leg_pain"] == [3, 6]


def test_sudden_worsening_is_quiet_on_two_points_or_the_first_check_in():
    assert fires(rules.sudden_worsening, [day(0, back=3), day(1, back=5)], 1) is None
    assert fires(rules.sudden_worsening, [day(0, back=9)], 0) is None


# --- night_pain ---------------------------------------------------------------------------


def test_night_pain_fires_on_two_of_the_last_three_nights():
    days = [day(0, night_pain=True), day(1), day(2, night_pain=True)]
    assert fires(rules.night_pain, days, 2).evidence["nights"] == [
        at(0).isoformat(),
        at(2).isoformat(),
    ]


def test_night_pain_is_quiet_on_one_night_or_nights_further_apart():
    assert fires(rules.night_pain, [day(0), day(1), day(2, night_pain=True)], 2) is None
    days = [day(0, night_pain=True), day(1), day(2), day(3, night_pain=True)]
    assert fires(rules.night_pain, days, 3) is None


# --- persistent_pain ----------------------------------------------------------------------


def test_persistent_pain_fires_after_more_than_14_days_at_4_or_more():
    days = [day(n, back=5, leg=3) for n in range(16)]
    finding = fires(rules.persistent_pain, days, 15)
    assert finding.evidence["days"] == 15


def test_persistent_pain_is_quiet_at_exactly_14_days():
    days = [day(n, back=5) for n in range(15)]
    assert fires(rules.persistent_pain, days, 14) is None


def test_persistent_pain_is_quiet_after_a_two_point_improvement():
    days = [day(n, back=7) for n in range(3)] + [day(n, back=5) for n in range(3, 16)]
    assert fires(rules.persistent_pain, days, 15) is None


def test_persistent_pain_run_breaks_on_a_day_under_4():
    days = [day(n, back=5) for n in range(16)]
    days[5] = day(5, back=3, leg=3)
    assert fires(rules.persistent_pain, days, 15) is None


# --- pregnancy_persistent -----------------------------------------------------------------


def test_pregnancy_persistent_fires_after_two_weeks_of_numbness_in_pregnancy():
    days = [day(n, numb=2) for n in range(16)]
    assert fires(rules.pregnancy_persistent, days, 15, Facts(is_pregnant=True)) is not None


def test_pregnancy_persistent_is_quiet_when_not_pregnant_or_at_14_days():
    days = [day(n, numb=2) for n in range(16)]
    assert fires(rules.pregnancy_persistent, days, 15, Facts(is_pregnant=False)) is None
    assert fires(rules.pregnancy_persistent, days, 14, Facts(is_pregnant=True)) is None


# --- conservative_failure -----------------------------------------------------------------


def test_conservative_failure_fires_after_90_days_without_30_percent_better_leg_pain():
    days = [day(n, leg=6) for n in range(3)] + [day(n, leg=5) for n in range(89, 92)]
    finding = fires(rules.conservative_failure, days, 91, Facts(programme_started_on=at(0)))
    assert finding.evidence["leg_pain_baseline"] == 6


def test_conservative_failure_is_quiet_at_90_days_or_when_30_percent_better():
    days = [day(n, leg=10) for n in range(3)] + [day(n, leg=7) for n in range(88, 92)]
    facts = Facts(programme_started_on=at(0))
    assert fires(rules.conservative_failure, days, 90, facts) is None  # not yet past 90 days
    assert fires(rules.conservative_failure, days, 91, facts) is None  # 7 = 70 % of 10


# --- adherence_drop -----------------------------------------------------------------------


def test_adherence_drop_fires_under_half_the_prescribed_sessions():
    facts = Facts(prescribed_last_7=14, done_last_7=6)
    assert fires(rules.adherence_drop, [day(0)], 0, facts).severity == "low"


def test_adherence_drop_is_quiet_at_half_or_with_nothing_prescribed():
    half = Facts(prescribed_last_7=14, done_last_7=7)
    assert fires(rules.adherence_drop, [day(0)], 0, half) is None
    assert fires(rules.adherence_drop, [day(0)], 0, Facts()) is None


def test_adherence_drop_fires_when_sessions_stop_once_pain_eases():
    days = [day(n, back=6) for n in range(7)] + [day(n, back=3) for n in range(7, 14)]
    facts = Facts(prescribed_last_7=7, done_last_7=0, done_previous_7=7)
    finding = fires(rules.adherence_drop, days, 13, facts)
    assert finding.evidence["stopped_after_pain_eased"] is True


# --- missing_checkins ---------------------------------------------------------------------


def test_missing_checkins_fires_after_three_days_without_one():
    finding = rules.missing_checkins(History([day(0)]), at(3))
    assert finding.evidence["days"] == 3


def test_missing_checkins_is_quiet_at_two_days_or_with_no_history():
    assert rules.missing_checkins(History([day(0)]), at(2)) is None
    assert rules.missing_checkins(History([]), at(10)) is None


# --- the whole set ------------------------------------------------------------------------


def test_every_rule_of_clinical_md_has_a_severity_and_sources():
    ids = {
        "cauda_equina",
        "motor_deficit",
        "pain_down_numbness_up",
        "numbness_worsening",
        "claudication",
        "sudden_worsening",
        "night_pain",
        "persistent_pain",
        "pregnancy_persistent",
        "conservative_failure",
        "adherence_drop",
        "missing_checkins",
    }
    assert set(rules.SEVERITY) == ids == set(rules.SOURCES)


def test_findings_depend_on_the_data_not_the_order_it_is_given():
    rng = random.Random(7)
    days = [
        day(n, back=rng.randint(0, 9), leg=rng.randint(0, 9), numb=min(9, n // 3))
        for n in range(30)
    ]
    shuffled = days[:]
    rng.shuffle(shuffled)
    facts = Facts(is_pregnant=True)
    for n in range(30):
        assert rules.evaluate(History(days), at(n), facts) == rules.evaluate(
            History(shuffled), at(n), facts
        )
