"""Scoring of the Patient-Specific Functional Scale (CLINICAL.md §3a). Pure: no database.

The score of a rating date is the mean of the activities rated that day. Intake is the first
rating date; each later date is compared with it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# CLINICAL.md §3a: a change of 2 points or more in the PSFS mean from intake is the minimal
# important change (Stratford et al., Physiotherapy Canada 1995; Horn et al. 2012 for low back
# pain): at or past it the change is marked as improvement or worsening.
PSFS_MINIMAL_IMPORTANT_CHANGE = 2.0
# CLINICAL.md §3a: re-rated every two weeks.
PSFS_RERATE_DAYS = 14

IMPROVED, WORSENED, NO_CHANGE = "improved", "worsened", "no_change"


@dataclass(frozen=True)
class PsfsScore:
    on: date
    mean: float
    rated: int  # how many activities were rated that day


def psfs_scores(ratings: Iterable[tuple[date, int]]) -> list[PsfsScore]:
    """(rated_on, score) pairs of one patient -> the mean per date, oldest first."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for on, score in ratings:
        by_day[on].append(score)
    return [
        PsfsScore(on, round(sum(values) / len(values), 1), len(values))
        for on, values in sorted(by_day.items())
    ]


def psfs_change(intake: float, latest: float) -> tuple[float, str]:
    """The change from intake and its reading: higher is better on the PSFS (10 = as before)."""
    change = round(latest - intake, 1)
    if change >= PSFS_MINIMAL_IMPORTANT_CHANGE:
        return change, IMPROVED
    if change <= -PSFS_MINIMAL_IMPORTANT_CHANGE:
        return change, WORSENED
    return change, NO_CHANGE


def psfs_is_due(*, last_rated_on: date | None, today: date) -> bool:
    """Due at first use (activities named, never rated) and two weeks after the last rating."""
    return last_rated_on is None or (today - last_rated_on).days >= PSFS_RERATE_DAYS
