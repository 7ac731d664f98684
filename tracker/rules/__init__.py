"""Worsening and red-flag rules of CLINICAL.md section 4, as pure functions.

No database, no settings, no I/O: each rule reads the patient's check-in history (sorted by date,
oldest first, at most one per date) and a few facts about the patient, and says whether it fires
at date `t`. The flag service decides what a firing means for stored flags.

Conventions (CLINICAL.md §4, "Precise reading"):
- windows are calendar dates in the patient's time zone; a mean over a window uses the check-ins
  whose date falls in it, and is undefined (rule does not fire) when the window has none;
- "pain" alone means the higher of back and leg pain;
- a 2-point change on a 0-10 scale is the minimal clinically important difference (§3).

Every threshold and window is a named constant in `thresholds.py`, with its article.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tracker.rules.catalogue import A0, A1, A2, A3, SEVERITY, SEVERITY_RANK, SOURCES, Severity
from tracker.rules.history import Day, Facts, Finding, History, mean
from tracker.rules.programme import adherence_drop, conservative_failure, missing_checkins
from tracker.rules.red_flags import cauda_equina, motor_deficit
from tracker.rules.symptoms import (
    AREA_LEVEL,
    SIDES,
    claudication,
    night_pain,
    numbness_worsening,
    pain_down_numbness_up,
    persistent_pain,
    pregnancy_persistent,
    sudden_worsening,
)
from tracker.rules.thresholds import *  # noqa: F403 - every named threshold, as tracker.rules.X
from tracker.rules.thresholds import LOOKBACK_DAYS, PERSISTENT_PAIN_LEVEL

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


def evaluate(history: History, t: date, facts: Facts) -> list[Finding]:
    """Every check-in rule at date t, over the history up to and including t."""
    return [finding for rule in CHECKIN_RULES if (finding := rule(history, t, facts))]


__all__ = [
    "A0",
    "A1",
    "A2",
    "A3",
    "AREA_LEVEL",
    "CHECKIN_RULES",
    "LOOKBACK_DAYS",
    "PERSISTENT_PAIN_LEVEL",
    "SEVERITY",
    "SEVERITY_RANK",
    "SIDES",
    "SOURCES",
    "Day",
    "Facts",
    "Finding",
    "History",
    "Severity",
    "adherence_drop",
    "cauda_equina",
    "claudication",
    "conservative_failure",
    "evaluate",
    "mean",
    "missing_checkins",
    "motor_deficit",
    "night_pain",
    "numbness_worsening",
    "pain_down_numbness_up",
    "persistent_pain",
    "pregnancy_persistent",
    "sudden_worsening",
]
