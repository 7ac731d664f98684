"""Worsening and red-flag rules of CLINICAL.md section 4, as pure functions.

No database, no settings, no I/O: each rule reads the patient's check-in history (sorted by date,
oldest first, at most one per date) and a few facts about the patient, and says whether it fires
at date `t`. The flag service decides what a firing means for stored flags.

Conventions (CLINICAL.md §4, "Precise reading"):
- windows are calendar dates in the patient's time zone; a mean over a window uses the check-ins
  whose date falls in it, and is undefined (rule does not fire) when the window has none;
- "pain" alone means the higher of back and leg pain;
- a 2-point change on a 0-10 scale is the minimal clinically important difference (§3).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class Severity(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_RANK = {Severity.URGENT: 4, Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}

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
# A3: persistent pain is pain of 4 or more on every check-in for more than 14 days.
PERSISTENT_PAIN_LEVEL = 4
# The longest look-back of a windowed rule: pain_down_numbness_up compares t-13..t-7 with
# t-6..t. Rules that look further (baselines, runs) read only a few early rows.
LOOKBACK_DAYS = 13

A0, A1, A2, A3 = (
    "000_91ad0826311c97d2.txt",
    "001_97c5ca15f4c0d3eb.txt",
    "002_0834f866768f61f9.txt",
    "003_550b9b7c9cec398b.txt",
)


@dataclass(frozen=True)
class Day:
    """One daily check-in, as the rules see it."""

    on: date
    back_pain: int
    leg_pain: int
    numbness: int
    numbness_areas: frozenset[str] = frozenset()
    can_walk_on_heels: bool = True
    can_walk_on_toes: bool = True
    bowel_bladder_change: bool = False
    saddle_numbness: bool = False
    night_pain: bool = False
    stopped_walking: bool = False
    walking_minutes: int | None = None

    @property
    def pain(self) -> int:
        return max(self.back_pain, self.leg_pain)


@dataclass(frozen=True)
class Facts:
    """What the rules need to know besides the check-ins."""

    is_pregnant: bool = False
    # First day of the current conservative programme (the first assignment's start date).
    programme_started_on: date | None = None
    # Check-ins before this date belong to an earlier numbness episode: the day after the last
    # resolved numbness_worsening flag was resolved.
    numbness_episode_from: date | None = None
    # Sessions prescribed and done over the 7 days ending at t, and the 7 days before that.
    prescribed_last_7: int = 0
    done_last_7: int = 0
    done_previous_7: int = 0


@dataclass(frozen=True)
class Finding:
    rule: str
    evidence: dict = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.rule]


class History:
    """Check-ins sorted by date with the window look-ups the rules share."""

    def __init__(self, days: Sequence[Day]):
        self.days = sorted(days, key=lambda day: day.on)
        self.dates = [day.on for day in self.days]

    def window(self, start: date, end: date) -> list[Day]:
        lo = bisect.bisect_left(self.dates, start)
        hi = bisect.bisect_right(self.dates, end)
        return self.days[lo:hi]

    def on(self, when: date) -> Day | None:
        index = bisect.bisect_left(self.dates, when)
        if index < len(self.dates) and self.dates[index] == when:
            return self.days[index]
        return None

    def before(self, when: date) -> Day | None:
        index = bisect.bisect_left(self.dates, when)
        return self.days[index - 1] if index > 0 else None

    def first(self, count: int, *, since: date | None = None) -> list[Day]:
        start = bisect.bisect_left(self.dates, since) if since else 0
        return self.days[start : start + count]


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _days_back(t: date, n: int) -> date:
    return t - timedelta(days=n)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- urgent ----------------------------------------------------------------------------------


def cauda_equina(history: History, t: date, facts: Facts) -> Finding | None:
    # A1, A2, A3: new bowel/bladder trouble or saddle numbness may mean cauda equina syndrome:
    # emergency care now.
    day = history.on(t)
    if day is None or not (day.bowel_bladder_change or day.saddle_numbness):
        return None
    return Finding(
        "cauda_equina",
        {
            "date": t.isoformat(),
            "bowel_bladder_change": day.bowel_bladder_change,
            "saddle_numbness": day.saddle_numbness,
        },
    )


def motor_deficit(history: History, t: date, facts: Facts) -> Finding | None:
    # A1, A3: unable to walk on heels (foot drop, L5) or toes (S1) means nerve-root motor loss.
    day = history.on(t)
    if day is None or (day.can_walk_on_heels and day.can_walk_on_toes):
        return None
    return Finding(
        "motor_deficit",
        {
            "date": t.isoformat(),
            "can_walk_on_heels": day.can_walk_on_heels,
            "can_walk_on_toes": day.can_walk_on_toes,
        },
    )


# --- high ------------------------------------------------------------------------------------


def pain_down_numbness_up(history: History, t: date, facts: Facts) -> Finding | None:
    # A2's central warning: pain easing while numbness grows is more nerve compression, not
    # recovery. Last 7 days (t-6..t) against the 7 before (t-13..t-7): pain down >= 1 point
    # while numbness up >= 2 points (the MCID).
    recent = history.window(_days_back(t, 6), t)
    prior = history.window(_days_back(t, 13), _days_back(t, 7))
    if not recent or not prior:
        return None
    numb_recent = mean([d.numbness for d in recent])
    numb_prior = mean([d.numbness for d in prior])
    leg_recent, leg_prior = mean([d.leg_pain for d in recent]), mean([d.leg_pain for d in prior])
    back_recent = mean([d.back_pain for d in recent])
    back_prior = mean([d.back_pain for d in prior])
    pain_fell = leg_recent <= leg_prior - 1 or back_recent <= back_prior - 1
    if not (pain_fell and numb_recent >= numb_prior + 2):
        return None
    return Finding(
        "pain_down_numbness_up",
        {
            "date": t.isoformat(),
            "window": [_days_back(t, 6).isoformat(), t.isoformat()],
            "previous_window": [_days_back(t, 13).isoformat(), _days_back(t, 7).isoformat()],
            "leg_pain_mean": [_round(leg_prior), _round(leg_recent)],
            "back_pain_mean": [_round(back_prior), _round(back_recent)],
            "numbness_mean": [_round(numb_prior), _round(numb_recent)],
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
    three_day = history.window(_days_back(t, 2), t)
    if history.on(t) is None or not three_day:
        return None
    current = mean([d.numbness for d in three_day])
    evidence: dict = {"date": t.isoformat(), "numbness_3_day_mean": _round(current)}
    reasons = []

    baseline_days = history.first(3, since=facts.numbness_episode_from)
    has_baseline = len(baseline_days) == 3 and baseline_days[-1].on < t
    if has_baseline:
        baseline = mean([d.numbness for d in baseline_days])
        evidence["episode_baseline"] = _round(baseline)
        evidence["episode_baseline_dates"] = [d.on.isoformat() for d in baseline_days]
        if current >= baseline + 2:
            reasons.append("above_episode_baseline")

    earlier = history.window(_days_back(t, 9), _days_back(t, 3))
    if earlier:
        earlier_mean = mean([d.numbness for d in earlier])
        evidence["previous_7_day_mean"] = _round(earlier_mean)
        if current >= earlier_mean + 2:
            reasons.append("above_previous_week")

    if has_baseline:
        # "Further down the leg": an area absent from the baseline check-ins that lies lower than
        # every area they had on that side. A side with no baseline numbness has nothing to spread
        # from, so a first area there does not count as spreading down.
        before = _areas_by_side(baseline_days)
        now = _areas_by_side([history.on(t)])
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
    evidence: dict = {"date": t.isoformat()}
    if day.stopped_walking:
        evidence["stopped_walking"] = True
    reported = [d for d in history.days if d.walking_minutes is not None]
    baseline_days = reported[:3]
    if day.walking_minutes is not None and len(baseline_days) == 3 and baseline_days[-1].on < t:
        baseline = mean([d.walking_minutes for d in baseline_days])
        if baseline and day.walking_minutes <= 0.5 * baseline:
            evidence["walking_minutes"] = day.walking_minutes
            evidence["baseline_walking_minutes"] = _round(baseline)
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
    if leg_rise < 3 and back_rise < 3:
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


# --- medium ----------------------------------------------------------------------------------


def night_pain(history: History, t: date, facts: Facts) -> Finding | None:
    # A3, A0: night pain that stops sleep on 2 of the last 3 nights.
    nights = [d.on.isoformat() for d in history.window(_days_back(t, 2), t) if d.night_pain]
    if history.on(t) is None or len(nights) < 2:
        return None
    return Finding("night_pain", {"date": t.isoformat(), "nights": nights})


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
    if start is None or (t - start.on).days <= 14:
        return None
    # "The first 3-day mean" is read as the run's own first three days (start..start+2), so days
    # before the run, when pain was below 4, do not lower it.
    first = mean([d.pain for d in history.window(start.on, start.on + timedelta(days=2))])
    current = mean([d.pain for d in history.window(_days_back(t, 2), t)])
    if current <= first - 2:
        return None
    return Finding(
        "persistent_pain",
        {
            "date": t.isoformat(),
            "since": start.on.isoformat(),
            "days": (t - start.on).days,
            "first_3_day_mean": _round(first),
            "pain_3_day_mean": _round(current),
        },
    )


def pregnancy_persistent(history: History, t: date, facts: Facts) -> Finding | None:
    # A0: in pregnancy, numbness lasting more than 2 weeks needs a doctor.
    if not facts.is_pregnant:
        return None
    start = _run_start(history, t, lambda d: d.numbness > 0)
    if start is None or (t - start.on).days <= 14:
        return None
    return Finding(
        "pregnancy_persistent",
        {"date": t.isoformat(), "numbness_since": start.on.isoformat()},
    )


def conservative_failure(history: History, t: date, facts: Facts) -> Finding | None:
    # A1, A3: after 3 months of conservative care without real improvement (leg pain not 30 %
    # better), refer for surgical assessment.
    started = facts.programme_started_on
    if started is None or (t - started).days <= 90 or history.on(t) is None:
        return None
    baseline_days = history.first(3, since=started)
    baseline = mean([d.leg_pain for d in baseline_days])
    current = mean([d.leg_pain for d in history.window(_days_back(t, 2), t)])
    if not baseline or current is None or current <= 0.7 * baseline:
        return None
    return Finding(
        "conservative_failure",
        {
            "date": t.isoformat(),
            "programme_started_on": started.isoformat(),
            "leg_pain_baseline": _round(baseline),
            "leg_pain_3_day_mean": _round(current),
        },
    )


# --- low -------------------------------------------------------------------------------------


def adherence_drop(history: History, t: date, facts: Facts) -> Finding | None:
    # A3 (myth 2): core training must go on 1-3 months after pain eases; stopping then is an
    # adherence problem, not recovery.
    if facts.prescribed_last_7 <= 0:
        return None
    share = facts.done_last_7 / facts.prescribed_last_7
    stopped_after_easing = False
    if facts.done_last_7 == 0 and facts.done_previous_7 > 0:
        recent = mean([d.pain for d in history.window(_days_back(t, 6), t)])
        prior = mean([d.pain for d in history.window(_days_back(t, 13), _days_back(t, 7))])
        stopped_after_easing = recent is not None and prior is not None and recent <= prior - 2
    if share >= 0.5 and not stopped_after_easing:
        return None
    return Finding(
        "adherence_drop",
        {
            "date": t.isoformat(),
            "prescribed_last_7_days": facts.prescribed_last_7,
            "done_last_7_days": facts.done_last_7,
            "stopped_after_pain_eased": stopped_after_easing,
        },
    )


def missing_checkins(history: History, today: date) -> Finding | None:
    # No article: a patient who stops reporting cannot be watched. Three days without a check-in.
    if not history.days:
        return None
    latest = history.days[-1].on
    gap = (today - latest).days
    if gap < 3:
        return None
    return Finding(
        "missing_checkins",
        {"today": today.isoformat(), "last_checkin": latest.isoformat(), "days": gap},
    )


# Rules evaluated for a check-in date, in the order of CLINICAL.md §4.
CHECKIN_RULES: tuple[Callable[[History, date, Facts], Finding | None], ...] = (
    cauda_equina,
    motor_deficit,
    pain_down_numbness_up,
    numbness_worsening,
    claudication,
    sudden_worsening,
    night_pain,
    persistent_pain,
    pregnancy_persistent,
    conservative_failure,
    adherence_drop,
)

SOURCES = {
    "cauda_equina": (A1, A2, A3),
    "motor_deficit": (A1, A3),
    "pain_down_numbness_up": (A2,),
    "numbness_worsening": (A0, A2),
    "claudication": (A0, A2),
    "sudden_worsening": (A3,),
    "night_pain": (A3, A0),
    "persistent_pain": (A3,),
    "pregnancy_persistent": (A0,),
    "conservative_failure": (A1, A3),
    "adherence_drop": (A3,),
    "missing_checkins": (),
}

SEVERITY = {
    "cauda_equina": Severity.URGENT,
    "motor_deficit": Severity.URGENT,
    "pain_down_numbness_up": Severity.HIGH,
    "numbness_worsening": Severity.HIGH,
    "claudication": Severity.HIGH,
    "sudden_worsening": Severity.HIGH,
    "night_pain": Severity.MEDIUM,
    "persistent_pain": Severity.MEDIUM,
    "pregnancy_persistent": Severity.MEDIUM,
    "conservative_failure": Severity.MEDIUM,
    "adherence_drop": Severity.LOW,
    "missing_checkins": Severity.LOW,
}


def evaluate(history: History, t: date, facts: Facts) -> list[Finding]:
    """Every check-in rule at date t, over the history up to and including t."""
    return [finding for rule in CHECKIN_RULES if (finding := rule(history, t, facts))]
