"""High and medium rules read from the check-ins (CLINICAL.md §4): pain, numbness, walking,
sleep. Every number is a named threshold of tracker/rules/thresholds.py."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from tracker.rules.history import Day, Facts, Finding, History, days_back, mean, mean_of, rounded
from tracker.rules.thresholds import (
    CLAUDICATION_BASELINE_REPORTS,
    CLAUDICATION_FALL_PERCENT,
    NIGHT_PAIN_MIN_NIGHTS,
    NIGHT_PAIN_WINDOW_NIGHTS,
    NUMBNESS_BASELINE_CHECKINS,
    NUMBNESS_PREVIOUS_WINDOW_DAYS,
    NUMBNESS_RISE_POINTS,
    NUMBNESS_WINDOW_DAYS,
    PAIN_DOWN_FALL_POINTS,
    PAIN_DOWN_NUMBNESS_RISE_POINTS,
    PAIN_DOWN_WINDOW_DAYS,
    PERSISTENT_PAIN_DAYS,
    PERSISTENT_PAIN_IMPROVEMENT_POINTS,
    PERSISTENT_PAIN_LEVEL,
    PERSISTENT_PAIN_MEAN_DAYS,
    PREGNANCY_NUMBNESS_DAYS,
    SUDDEN_RISE_POINTS,
)

# Numbness areas from the buttock down the leg (CLINICAL.md §4, numbness_worsening):
# buttock < back of thigh < outer calf < top of foot = sole < toes.
AREA_LEVEL = {
    "buttock": 0,
    "back_of_thigh": 1,
    "outer_calf": 2,
    "top_of_foot": 3,
    "sole": 3,
    "toes": 4,
}
SIDES = ("left", "right")


def pain_down_numbness_up(history: History, t: date, facts: Facts) -> Finding | None:
    # A2's central warning: pain easing while numbness grows is more nerve compression, not
    # recovery. Last 7 days (t-6..t) against the 7 before (t-13..t-7): leg or back pain down
    # >= 1 point while numbness up >= 2 points (the MCID).
    width = PAIN_DOWN_WINDOW_DAYS
    recent = history.last_days(t, width)
    prior = history.window(days_back(t, 2 * width - 1), days_back(t, width))
    if not recent or not prior:
        return None
    means = {
        name: (
            mean_of([getattr(d, name) for d in prior]),
            mean_of([getattr(d, name) for d in recent]),
        )
        for name in ("leg_pain", "back_pain", "numbness")
    }
    pain_fell = [
        name
        for name in ("leg_pain", "back_pain")
        if means[name][1] <= means[name][0] - PAIN_DOWN_FALL_POINTS
    ]
    numb_prior, numb_recent = means["numbness"]
    if not (pain_fell and numb_recent >= numb_prior + PAIN_DOWN_NUMBNESS_RISE_POINTS):
        return None
    return Finding(
        "pain_down_numbness_up",
        {
            "date": t.isoformat(),
            "window": [days_back(t, width - 1).isoformat(), t.isoformat()],
            "previous_window": [
                days_back(t, 2 * width - 1).isoformat(),
                days_back(t, width).isoformat(),
            ],
            "leg_pain_mean": [rounded(v) for v in means["leg_pain"]],
            "back_pain_mean": [rounded(v) for v in means["back_pain"]],
            "numbness_mean": [rounded(v) for v in means["numbness"]],
            # Which pain fell by the threshold: the explanation shows that fall.
            "pain_fell": pain_fell,
        },
    )


def _areas_by_side(days: Sequence[Day]) -> dict[str, set[str]]:
    by_side: dict[str, set[str]] = {side: set() for side in SIDES}
    for day in days:
        for area in day.numbness_areas:
            side, _, name = area.partition("_")
            if side in by_side and name in AREA_LEVEL:
                by_side[side].add(name)
    return by_side


def numbness_worsening(history: History, t: date, facts: Facts) -> Finding | None:
    # A0, A2: numbness that rises or spreads down the leg means the nerve is more compressed.
    window = history.last_days(t, NUMBNESS_WINDOW_DAYS)
    today = history.on(t)
    if today is None or not window:
        return None
    current = mean_of([d.numbness for d in window])
    evidence: dict[str, Any] = {"date": t.isoformat(), "numbness_3_day_mean": rounded(current)}
    reasons = []

    baseline_days = history.first(NUMBNESS_BASELINE_CHECKINS, since=facts.numbness_episode_from)
    has_baseline = len(baseline_days) == NUMBNESS_BASELINE_CHECKINS and baseline_days[-1].on < t
    if has_baseline:
        baseline = mean_of([d.numbness for d in baseline_days])
        evidence["episode_baseline"] = rounded(baseline)
        evidence["episode_baseline_dates"] = [d.on.isoformat() for d in baseline_days]
        if current >= baseline + NUMBNESS_RISE_POINTS:
            reasons.append("above_episode_baseline")

    earlier = history.window(
        days_back(t, NUMBNESS_WINDOW_DAYS + NUMBNESS_PREVIOUS_WINDOW_DAYS - 1),
        days_back(t, NUMBNESS_WINDOW_DAYS),
    )
    if earlier:
        earlier_mean = mean_of([d.numbness for d in earlier])
        evidence["previous_7_day_mean"] = rounded(earlier_mean)
        if current >= earlier_mean + NUMBNESS_RISE_POINTS:
            reasons.append("above_previous_week")

    if has_baseline:
        # "Further down the leg": an area absent from the baseline check-ins that lies lower than
        # every area they had on that side. A side with no baseline numbness has nothing to spread
        # from, so a first area there does not count as spreading down.
        before = _areas_by_side(baseline_days)
        now = _areas_by_side([today])
        spread = sorted(
            f"{side}_{area}"
            for side in SIDES
            if before[side]
            for area in now[side] - before[side]
            if AREA_LEVEL[area] > max(AREA_LEVEL[a] for a in before[side])
        )
        if spread:
            reasons.append("spread_down_the_leg")
            evidence["new_lower_areas"] = spread

    if not reasons:
        return None
    evidence["reasons"] = reasons
    return Finding("numbness_worsening", evidence)


def claudication(history: History, t: date, facts: Facts) -> Finding | None:
    # A0, A2: having to stop walking because of leg symptoms (intermittent claudication) is a
    # sign of worsening compression or poor circulation; so is tolerance falling to half.
    day = history.on(t)
    if day is None:
        return None
    evidence: dict[str, Any] = {"date": t.isoformat()}
    if day.stopped_walking:
        evidence["stopped_walking"] = True
    reported = [d for d in history.days if d.walking_minutes is not None]
    baseline_days = reported[:CLAUDICATION_BASELINE_REPORTS]
    if (
        day.walking_minutes is not None
        and len(baseline_days) == CLAUDICATION_BASELINE_REPORTS
        and baseline_days[-1].on < t
    ):
        baseline = mean_of(
            [d.walking_minutes for d in baseline_days if d.walking_minutes is not None]
        )
        # Fell by >= 50 %: what is left is <= 50 % of the baseline (integer percent, exact).
        if baseline and 100 * day.walking_minutes <= (100 - CLAUDICATION_FALL_PERCENT) * baseline:
            evidence["walking_minutes"] = day.walking_minutes
            evidence["baseline_walking_minutes"] = rounded(baseline)
    if len(evidence) == 1:
        return None
    return Finding("claudication", evidence)


def sudden_worsening(history: History, t: date, facts: Facts) -> Finding | None:
    # A3: a jump of 3 points or more since the previous check-in needs a look.
    day, previous = history.on(t), history.before(t)
    if day is None or previous is None:
        return None
    leg_rise = day.leg_pain - previous.leg_pain
    back_rise = day.back_pain - previous.back_pain
    if leg_rise < SUDDEN_RISE_POINTS and back_rise < SUDDEN_RISE_POINTS:
        return None
    return Finding(
        "sudden_worsening",
        {
            "date": t.isoformat(),
            "previous_date": previous.on.isoformat(),
            "leg_pain": [previous.leg_pain, day.leg_pain],
            "back_pain": [previous.back_pain, day.back_pain],
        },
    )


def night_pain(history: History, t: date, facts: Facts) -> Finding | None:
    # A3, A0: night pain that stops sleep on 2 of the last 3 nights.
    window = history.last_days(t, NIGHT_PAIN_WINDOW_NIGHTS)
    nights = [d.on for d in window if d.night_pain]
    if history.on(t) is None or len(nights) < NIGHT_PAIN_MIN_NIGHTS:
        return None
    return Finding(
        "night_pain",
        {"date": t.isoformat(), "nights": [on.isoformat() for on in nights]},
        basis=tuple(nights),
    )


def _run_start(history: History, t: date, keep: Callable[[Day], bool]) -> Day | None:
    """First check-in of the unbroken run of check-ins ending at t that all satisfy `keep`."""
    index = bisect.bisect_left(history.dates, t)
    if index >= len(history.days) or history.days[index].on != t or not keep(history.days[index]):
        return None
    while index > 0 and keep(history.days[index - 1]):
        index -= 1
    return history.days[index]


def persistent_pain(history: History, t: date, facts: Facts) -> Finding | None:
    # A3: pain >= 4 on every check-in for more than 14 days with no 2-point (MCID) improvement.
    start = _run_start(history, t, lambda d: d.pain >= PERSISTENT_PAIN_LEVEL)
    if start is None or (t - start.on).days <= PERSISTENT_PAIN_DAYS:
        return None
    # "The first 3-day mean" is read as the run's own first three days (start..start+2), so days
    # before the run, when pain was below 4, do not lower it.
    first_days = history.window(start.on, start.on + timedelta(days=PERSISTENT_PAIN_MEAN_DAYS - 1))
    first = mean([d.pain for d in first_days])
    current = mean([d.pain for d in history.last_days(t, PERSISTENT_PAIN_MEAN_DAYS)])
    if first is None or current is None or current <= first - PERSISTENT_PAIN_IMPROVEMENT_POINTS:
        return None
    return Finding(
        "persistent_pain",
        {
            "date": t.isoformat(),
            "since": start.on.isoformat(),
            "days": (t - start.on).days,
            "first_3_day_mean": rounded(first),
            "pain_3_day_mean": rounded(current),
        },
    )


def pregnancy_persistent(history: History, t: date, facts: Facts) -> Finding | None:
    # A0: in pregnancy, numbness lasting more than 2 weeks needs a doctor.
    if not facts.is_pregnant:
        return None
    start = _run_start(history, t, lambda d: d.numbness > 0)
    if start is None or (t - start.on).days <= PREGNANCY_NUMBNESS_DAYS:
        return None
    return Finding(
        "pregnancy_persistent",
        {"date": t.isoformat(), "numbness_since": start.on.isoformat()},
    )
