"""What the rules read: one check-in a day (Day), facts about the patient (Facts), the sorted
history with its window look-ups (History), and what a rule says when it fires (Finding)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from tracker.rules.catalogue import SEVERITY, Severity


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
    # Sessions prescribed and done over the 7 days ending at t, and done in the 7 days before
    # (tracker.selectors.adherence: the one definition the caseload and the pages use too).
    prescribed_last_7: float = 0
    done_last_7: int = 0
    done_previous_7: int = 0


@dataclass(frozen=True)
class Finding:
    rule: str
    evidence: dict[str, Any] = field(default_factory=dict)
    # The check-in dates whose answers meet the rule, when not just t's (night_pain's nights):
    # after a therapist resolved a flag, a finding that rests only on days up to its last
    # evidence is the evidence already dealt with, not a recurrence.
    basis: tuple[date, ...] = ()

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.rule]

    def rests_only_on_days_until(self, settled: date) -> bool:
        return bool(self.basis) and max(self.basis) <= settled


class History:
    """Check-ins sorted by date with the window look-ups the rules share."""

    def __init__(self, days: Sequence[Day]):
        self.days = sorted(days, key=lambda day: day.on)
        self.dates = [day.on for day in self.days]

    def window(self, start: date, end: date) -> list[Day]:
        lo = bisect.bisect_left(self.dates, start)
        hi = bisect.bisect_right(self.dates, end)
        return self.days[lo:hi]

    def last_days(self, t: date, days: int) -> list[Day]:
        """The check-ins of the `days` calendar dates ending at t (t-days+1..t)."""
        return self.window(days_back(t, days - 1), t)

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


def mean(values: Sequence[int]) -> Fraction | None:
    # Exact: a mean that sits exactly on a threshold (4.2857... = 30/7) compares as equal.
    return Fraction(sum(values), len(values)) if values else None


def mean_of(values: Sequence[int]) -> Fraction:
    """mean() of a window the caller has already found not empty."""
    return Fraction(sum(values), len(values))


def days_back(t: date, n: int) -> date:
    return t - timedelta(days=n)


def rounded(value: float | Fraction | None) -> float | None:
    return None if value is None else round(float(value), 2)
