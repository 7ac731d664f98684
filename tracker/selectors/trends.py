"""What the therapist's patient page and the patient's Progress page both show: 7-day means
and a calendar of sessions done against prescribed. One definition, so the two never disagree."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

# A mean over a 7-day window needs at least two check-ins: one value is not a trend.
MIN_WINDOW_CHECKINS = 2


@dataclass(frozen=True)
class WindowMean:
    start: date
    end: date
    count: int
    value: float | None  # None: fewer than MIN_WINDOW_CHECKINS check-ins in the window


def window_mean(rows: Sequence[dict[str, Any]], key: str, start: date, end: date) -> WindowMean:
    values = [row[key] for row in rows if start <= row["date"] <= end]
    value = round(sum(values) / len(values), 1) if len(values) >= MIN_WINDOW_CHECKINS else None
    return WindowMean(start, end, len(values), value)


@dataclass(frozen=True)
class CalendarDay:
    on: date
    prescribed: float
    done: int
    has_checkin: bool = False
    is_today: bool = False

    @property
    def status(self) -> str:
        if not self.prescribed:
            return "none"
        if self.done == 0:
            return "missed"
        return "done" if self.done >= self.prescribed else "partial"
