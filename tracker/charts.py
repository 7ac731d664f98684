"""Geometry for the dashboard's server-rendered SVG charts: sparklines and line charts over days.

Pure: dates and numbers in, coordinates and SVG path strings out; the templates draw them. No
chart library and no JavaScript, so the pages work offline, without a CDN and without scripts.

A series is a list of (date, value) pairs, at most one per date. Days without a value are gaps:
the line is broken where more than `max_gap_days` pass between two values, so a week without
check-ins is not drawn as a smooth trend, and a value with no neighbour is drawn as a dot.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

SCORE_MAX = 10  # the 0-10 Numeric Rating Scale of every check-in score (CLINICAL.md §3)


class Point(NamedTuple):
    # A tuple, not a frozen dataclass: a year's chart makes a thousand of these per request,
    # and a tuple is several times quicker to build.
    x: float
    y: float
    on: date
    value: float


@dataclass(frozen=True)
class Series:
    key: str
    path: str  # "M x,y L x,y ..." with one M per unbroken run; "" when nothing to draw
    dots: tuple[Point, ...]  # values with no neighbour close enough to draw a line to
    points: tuple[Point, ...]

    @property
    def count(self) -> int:
        return len(self.points)

    @property
    def first(self) -> float | None:
        return self.points[0].value if self.points else None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def low(self) -> float | None:
        return min(p.value for p in self.points) if self.points else None

    @property
    def high(self) -> float | None:
        return max(p.value for p in self.points) if self.points else None


@dataclass(frozen=True)
class Marker:
    """Something that happened on a day (a flag's evidence), drawn on the time axis."""

    x: float
    on: date
    severity: str
    labels: tuple[str, ...]
    # The first day of a run of flagged days (or of a more severe run): where it got worse.
    is_onset: bool = True
    band_x: float = 0.0  # left edge of the day's band on the strip under the axis


@dataclass(frozen=True)
class Lane:
    """One flag's evidence days, as a labelled strip under the time axis: a strip per flag, so
    a therapist can tell which flag each band belongs to."""

    label: str
    severity: str
    y: float
    bands: tuple[float, ...]  # left edge of each day with evidence
    days: tuple[date, ...] = ()  # those days, in the same order as `bands`

    def runs(self, day_width: float) -> list[tuple[float, float, date, date]]:
        """Consecutive days as one band each: (x, width, first day, last day). A day's band is
        at least as wide as the step to the next day, so a run covers what its days did."""
        found: list[list] = []
        for x, on in zip(self.bands, self.days, strict=True):
            if found and (on - found[-1][3]).days == 1:
                found[-1][1], found[-1][3] = x, on
            else:
                found.append([x, x, on, on])
        return [
            (x, round(last_x - x + day_width, 1), first, last) for x, last_x, first, last in found
        ]


LANE_HEIGHT = 18  # a 6 px band with its 10 px label above


@dataclass(frozen=True)
class Tick:
    at: float  # x for a date tick, y for a value tick
    on: date | None = None
    value: float | None = None


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    # The plotting area inside the margins (axes labels live outside it).
    left: float
    top: float
    right: float
    bottom: float
    start: date
    end: date
    series: tuple[Series, ...]
    markers: tuple[Marker, ...] = ()
    lanes: tuple[Lane, ...] = ()
    x_ticks: tuple[Tick, ...] = ()
    y_ticks: tuple[Tick, ...] = ()
    by_key: dict[str, Series] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def day_width(self) -> float:
        """One day's width on the time axis, at least 2 so a single day stays visible."""
        return round(max(self.plot_width / max(self.days - 1, 1), 2.0), 1)

    @property
    def plot_height(self) -> float:
        return self.bottom - self.top

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


class _Scale:
    """Dates and values to coordinates. A chart has at most a few hundred distinct days and
    eleven scores against thousands of points on a page, so each day's x, each value's y and
    each (day, value)'s "x,y" text is computed once per scale; scales are shared (_scale)."""

    def __init__(
        self, *, start: date, end: date, box: tuple[float, float, float, float], top_value
    ):
        self.start = start
        self.span = max((end - start).days, 1)
        self.left, self.top, self.right, self.bottom = box
        self.top_value = top_value
        self._xs: dict[date, float] = {}
        self._ys: dict[float, float] = {}
        self._coords: dict[tuple[date, float], tuple[float, float, str]] = {}

    def x(self, on: date) -> float:
        found = self._xs.get(on)
        if found is None:
            days = (on - self.start).days
            found = round(self.left + (self.right - self.left) * days / self.span, 1)
            self._xs[on] = found
        return found

    def y(self, value: float) -> float:
        found = self._ys.get(value)
        if found is None:
            share = min(max(value / self.top_value, 0), 1)
            found = round(self.bottom - (self.bottom - self.top) * share, 1)
            self._ys[value] = found
        return found

    def coords(self, on: date, value: float) -> tuple[float, float, str]:
        """(x, y, "x,y" as drawn in a path)."""
        key = (on, value)
        found = self._coords.get(key)
        if found is None:
            x, y = self.x(on), self.y(value)
            found = self._coords[key] = (x, y, f"{x:g},{y:g}")
        return found


@functools.lru_cache(maxsize=16)
def _scale(
    start: date, end: date, box: tuple[float, float, float, float], top_value: float
) -> _Scale:
    """One scale per window and box, kept between charts: fifty sparklines of a caseload page
    share a window, and so do a patient page's three charts. Its caches only ever hold what
    its (pure) functions of the window compute, so sharing changes no result."""
    return _Scale(start=start, end=end, box=box, top_value=top_value)


def _series(
    key: str, values: Iterable[tuple[date, float]], scale: _Scale, start: date, end: date, gap: int
) -> Series:
    coords = scale.coords
    points: list[Point] = []
    texts: list[str] = []
    for on, value in sorted(values):
        if value is None or not start <= on <= end:
            continue
        x, y, text = coords(on, value)
        points.append(Point(x, y, on, value))
        texts.append(text)
    # Runs of points no more than `gap` days apart, as [first index, last index].
    runs: list[list[int]] = []
    previous = None
    for index, point in enumerate(points):
        day = point.on.toordinal()
        if previous is not None and day - previous <= gap:
            runs[-1][1] = index
        else:
            runs.append([index, index])
        previous = day
    path = " ".join(
        "M" + " L".join(texts[first : last + 1]) for first, last in runs if last > first
    )
    dots = tuple(points[first] for first, last in runs if last == first)
    return Series(key=key, path=path, dots=dots, points=tuple(points))


def sparkline(
    series: Mapping[str, Iterable[tuple[date, float]]],
    *,
    start: date,
    end: date,
    width: int = 120,
    height: int = 32,
    top_value: float = SCORE_MAX,
    max_gap_days: int = 3,
) -> Chart:
    """A small chart with no axes: 1 px of padding so lines at 0 and 10 stay visible."""
    box = (1.0, 2.0, width - 1.0, height - 2.0)
    scale = _scale(start, end, box, top_value)
    drawn = tuple(
        _series(key, values, scale, start, end, max_gap_days) for key, values in series.items()
    )
    return Chart(width, height, *box, start, end, drawn, by_key={s.key: s for s in drawn})


def _date_ticks(start: date, end: date) -> list[date]:
    """Mondays for a month or less, every other Monday up to a quarter, else month starts."""
    days = (end - start).days + 1
    if days <= 120:
        step = 7 if days <= 45 else 14
        first = start + timedelta(days=(7 - start.weekday()) % 7)
        return [first + timedelta(days=n) for n in range(0, (end - first).days + 1, step)]
    ticks, month = [], date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            ticks.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return ticks


@dataclass(frozen=True)
class FlagMarks:
    """Markers and evidence strips of one window and box: what flag_marks computes once for
    charts that share them (the patient page's three symptom charts)."""

    markers: tuple[Marker, ...]
    lanes: tuple[Lane, ...]


def _box(width: int, height: int) -> tuple[float, float, float, float]:
    return (28.0, 8.0, width - 8.0, height - 40.0)


def flag_marks(
    markers: Sequence[tuple[date, str, str]],
    *,
    start: date,
    end: date,
    width: int = 720,
    height: int = 220,
    top_value: float = SCORE_MAX,
    severity_rank: Mapping[str, int] | None = None,
) -> FlagMarks:
    """`markers` are (date, severity, label) triples; several on one day become one marker with
    the most severe severity (by `severity_rank`) and every label, so the axis stays readable;
    each label gets a strip of its days."""
    box = _box(width, height)
    scale = _scale(start, end, box, top_value)
    rank = severity_rank or {}
    inside = [m for m in markers if start <= m[0] <= end]
    by_day: dict[date, tuple[str, list[str]]] = {}
    for on, severity, label in inside:
        worst, labels = by_day.get(on, (severity, []))
        if rank.get(severity, 0) > rank.get(worst, 0):
            worst = severity
        if label not in labels:
            labels.append(label)
        by_day[on] = (worst, labels)
    half_day = max((box[2] - box[0]) / max((end - start).days, 1), 2.0) / 2
    lanes = _lanes(inside, start, end, scale, rank, top=box[3] + 34, half_day=half_day)
    drawn_markers = []
    for on, (severity, labels) in sorted(by_day.items()):
        previous = by_day.get(on - timedelta(days=1))
        is_onset = previous is None or rank.get(previous[0], 0) < rank.get(severity, 0)
        x = scale.x(on)
        drawn_markers.append(
            Marker(x, on, severity, tuple(labels), is_onset, round(x - half_day, 1))
        )
    return FlagMarks(tuple(drawn_markers), lanes)


def line_chart(
    series: Mapping[str, Iterable[tuple[date, float]]],
    *,
    start: date,
    end: date,
    markers: Sequence[tuple[date, str, str]] = (),
    width: int = 720,
    height: int = 220,
    top_value: float = SCORE_MAX,
    max_gap_days: int = 3,
    severity_rank: Mapping[str, int] | None = None,
    marks: FlagMarks | None = None,
) -> Chart:
    """A chart with value gridlines (0, 2, ..., 10), date ticks and markers (flag_marks: pass
    `marks` already computed for the same window and size instead of `markers`)."""
    box = _box(width, height)
    scale = _scale(start, end, box, top_value)
    drawn = tuple(
        _series(key, values, scale, start, end, max_gap_days) for key, values in series.items()
    )
    if marks is None:
        marks = flag_marks(
            markers,
            start=start,
            end=end,
            width=width,
            height=height,
            top_value=top_value,
            severity_rank=severity_rank,
        )
    x_ticks = tuple(Tick(scale.x(on), on=on) for on in _date_ticks(start, end))
    step = 2 if top_value >= 6 else 1
    y_ticks = tuple(
        Tick(scale.y(value), value=value) for value in range(0, int(top_value) + 1, step)
    )
    return Chart(
        width,
        height + LANE_HEIGHT * len(marks.lanes),
        *box,
        start,
        end,
        drawn,
        markers=marks.markers,
        lanes=marks.lanes,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        by_key={s.key: s for s in drawn},
    )


def _lanes(
    markers: Sequence[tuple[date, str, str]],
    start: date,
    end: date,
    scale: _Scale,
    rank: Mapping[str, int],
    *,
    top: float,
    half_day: float,
) -> tuple[Lane, ...]:
    """A lane per flag label, most severe first, each with its days inside the window."""
    days: dict[str, set[date]] = {}
    severities: dict[str, str] = {}
    for on, severity, label in markers:
        if not start <= on <= end:
            continue
        days.setdefault(label, set()).add(on)
        if rank.get(severity, 0) >= rank.get(severities.get(label, ""), -1):
            severities[label] = severity
    ordered = sorted(days, key=lambda label: (-rank.get(severities[label], 0), label))
    lanes = []
    for index, label in enumerate(ordered):
        on_days = tuple(sorted(days[label]))
        lanes.append(
            Lane(
                label=label,
                severity=severities[label],
                y=top + LANE_HEIGHT * index,
                bands=tuple(round(scale.x(on) - half_day, 1) for on in on_days),
                days=on_days,
            )
        )
    return tuple(lanes)
