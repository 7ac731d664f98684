"""When the next reminder is due: pure functions of a schedule's rules and an instant.

No database, no settings. Everything is computed on aware UTC instants; wall-clock times
are resolved in the person's zone with zoneinfo.

DST policy:
- A wall time in the skipped hour (spring forward: 02:30 does not exist) moves to the first
  valid instant after the gap (03:00 new time). Nothing is missed.
- A wall time in the repeated hour (fall back: 01:30 happens twice) is used once, at its first
  occurrence (fold=0); the second 01:30 is never a candidate. Nothing is doubled.
- A stand-up interval is elapsed time (35 real minutes), not wall-clock arithmetic, so it neither
  shrinks nor stretches across a change; its active hours and quiet hours are read on the wall.

Active hours bound the stand-up reminder; times of day are the person's own choice and are
kept as chosen. Quiet hours: never a reminder inside them. A stand-up waits for the next active
stretch and comes one full interval into it; a time-of-day reminder that falls inside them is
moved to the minute quiet hours end (unless that day is switched off).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Far enough to cross any mix of weekdays off; a schedule with no weekday has no next time.
_SEARCH_DAYS = 9


@dataclass(frozen=True)
class Rules:
    timezone: str
    active_from: time = time(8, 0)
    active_until: time = time(21, 0)
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(1, 8)))
    quiet_from: time | None = None
    quiet_until: time | None = None
    interval_minutes: int | None = None
    times_of_day: tuple[time, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def parse_times(values: Iterable[str]) -> tuple[time, ...]:
    return tuple(sorted({time.fromisoformat(value) for value in values}))


def resolve_wall_time(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall time on a local day, with the DST policy above."""
    wall = datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant  # exists (and, if repeated, fold=0 is its first occurrence)
    # In a gap. fold=0 read it with the offset before the change, which lands past the gap by
    # as much as the wall time was into it; the change itself lies between the two readings.
    later = instant
    earlier = wall.replace(fold=1).astimezone(UTC)
    low, high = min(earlier, later), max(earlier, later)
    after_offset = later.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == after_offset:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def _in_window(at: time, start: time, end: time) -> bool:
    """[start, end) on the clock; a window whose end is not after its start crosses midnight."""
    if start < end:
        return start <= at < end
    return at >= start or at < end


def _is_quiet(rules: Rules, at: time) -> bool:
    if rules.quiet_from is None or rules.quiet_until is None:
        return False
    if rules.quiet_from == rules.quiet_until:
        return False
    return _in_window(at, rules.quiet_from, rules.quiet_until)


def is_quiet_instant(rules: Rules, instant: datetime) -> bool:
    wall = instant.astimezone(rules.zone).time().replace(tzinfo=None, fold=0)
    return _is_quiet(rules, wall)


def is_active_instant(rules: Rules, instant: datetime) -> bool:
    """Inside active hours, on a chosen weekday, outside quiet hours (all on the wall clock)."""
    local = instant.astimezone(rules.zone)
    wall = local.time().replace(tzinfo=None, fold=0)
    return (
        local.isoweekday() in rules.weekdays
        and _in_window(wall, rules.active_from, rules.active_until)
        and not _is_quiet(rules, wall)
    )


def _active_stretches(rules: Rules, day: date) -> list[tuple[datetime, datetime]]:
    """The day's active hours minus quiet hours, as UTC instants [start, end)."""
    if day.isoweekday() not in rules.weekdays:
        return []
    pieces = [(rules.active_from, rules.active_until)]
    if rules.quiet_from is not None and rules.quiet_until is not None:
        quiet = (
            [(rules.quiet_from, rules.quiet_until)]
            if rules.quiet_from < rules.quiet_until
            else [(time(0), rules.quiet_until), (rules.quiet_from, time.max)]
        )
        for quiet_start, quiet_end in quiet:
            cut = []
            for start, end in pieces:
                if quiet_end <= start or quiet_start >= end:
                    cut.append((start, end))
                    continue
                if start < quiet_start:
                    cut.append((start, quiet_start))
                if quiet_end < end:
                    cut.append((quiet_end, end))
            pieces = cut
    zone = rules.zone
    return [
        (resolve_wall_time(day, start, zone), resolve_wall_time(day, end, zone))
        for start, end in pieces
    ]


def next_stand_up(rules: Rules, *, after: datetime) -> datetime | None:
    """One interval of elapsed time after `after` if that is an active instant; otherwise one
    full interval into the next active stretch that is long enough."""
    if not rules.interval_minutes:
        return None
    interval = timedelta(minutes=rules.interval_minutes)
    candidate = (after + interval).astimezone(UTC)
    if is_active_instant(rules, candidate):
        return candidate
    zone = rules.zone
    first_day = candidate.astimezone(zone).date() - timedelta(days=1)
    for offset in range(_SEARCH_DAYS):
        for start, end in _active_stretches(rules, first_day + timedelta(days=offset)):
            due = start + interval
            if start >= after and after < due < end and is_active_instant(rules, due):
                return due
    return None


def next_at_times(rules: Rules, *, after: datetime) -> datetime | None:
    """The first chosen time of day after `after` on a chosen weekday, moved out of quiet hours."""
    if not rules.times_of_day:
        return None
    zone = rules.zone
    first_day = after.astimezone(zone).date() - timedelta(days=1)
    candidates = []
    for offset in range(_SEARCH_DAYS):
        day = first_day + timedelta(days=offset)
        if day.isoweekday() not in rules.weekdays:
            continue
        for at in rules.times_of_day:
            if _is_quiet(rules, at):
                assert rules.quiet_from is not None and rules.quiet_until is not None
                moved_day = day
                if rules.quiet_from > rules.quiet_until and at >= rules.quiet_from:
                    moved_day = day + timedelta(days=1)
                if moved_day.isoweekday() not in rules.weekdays:
                    continue
                instant = resolve_wall_time(moved_day, rules.quiet_until, zone)
            else:
                instant = resolve_wall_time(day, at, zone)
            if instant > after:
                candidates.append(instant)
        if candidates and offset >= 2:
            break
    return min(candidates) if candidates else None


def next_occurrence(rules: Rules, *, after: datetime) -> datetime | None:
    if rules.interval_minutes:
        return next_stand_up(rules, after=after)
    return next_at_times(rules, after=after)
