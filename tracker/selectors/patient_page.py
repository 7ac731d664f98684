"""Reads for the therapist dashboard's patient page: charts, changes, calendar, flags, programme.

About a dozen queries whatever the history's length; a year of check-ins is one query of
plain values (no model instances), and the charts are computed from it in Python.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from exercises.dosage import DOSAGE_FIELDS, Dosage, item_dosage
from tracker import charts
from tracker.models import (
    NUMBNESS_SITES,
    SEVERITY_RANK,
    AssignmentItem,
    CheckIn,
    Flag,
    FlagStatus,
    PatientProfile,
    ProgrammeAssignment,
    User,
)
from tracker.patient_calendar import local_today
from tracker.selectors import flags_visible, patient_adherence
from tracker.selectors.dashboard import flag_labels, label_flag
from tracker.selectors.flag_cards import FlagEntry, evidence_dates, flag_evidence_days
from tracker.selectors.flag_cards import flag_card_entry as _flag_entry
from tracker.selectors.trends import CalendarDay, WindowMean, window_mean

CHART_RANGES = (30, 90, 365)
CHART_HEIGHT = 170
MEASURES = {
    "back_pain": _("Back pain"),
    "leg_pain": _("Leg pain"),
    "numbness": _("Numbness"),
}
SITE_LABELS = {
    "buttock": _("Buttock"),
    "back_of_thigh": _("Back of thigh"),
    "outer_calf": _("Outer calf"),
    "top_of_foot": _("Top of foot"),
    "sole": _("Sole"),
    "toes": _("Toes"),
}
SIDE_LABELS = {"left": _("Left"), "right": _("Right")}


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    last_7: WindowMean
    previous_7: WindowMean
    first_week: WindowMean | None  # None: the first week is (part of) the last 7 days

    @staticmethod
    def _difference(a: WindowMean, b: WindowMean | None) -> float | None:
        if b is None or a.value is None or b.value is None:
            return None
        return round(a.value - b.value, 1)

    @property
    def vs_previous(self) -> float | None:
        return self._difference(self.last_7, self.previous_7)

    @property
    def vs_first_week(self) -> float | None:
        return self._difference(self.last_7, self.first_week)


@dataclass(frozen=True)
class AreaRow:
    side: str
    site: str
    side_label: str
    site_label: str
    cells: tuple[tuple[int, int, int], ...]  # per week: days reported, check-ins, shade 0-4


@dataclass
class PatientPage:
    profile: PatientProfile
    today: date
    range_days: int
    start: date
    charts: list[tuple[str, str, charts.Chart]]  # (key, label, chart)
    checkin_count: int
    changes: list[Change]
    calendar: list[
        tuple[dict[str, Any], list[CalendarDay | None]]
    ]  # (week totals, Monday-first days)
    adherence: dict[str, Any]
    weeks: list[date]
    areas: list[AreaRow]
    flags: list[FlagEntry]
    current: ProgrammeVersion | None
    history: list[ProgrammeVersion] = field(default_factory=list)

    @property
    def has_urgent(self) -> bool:
        return any(e.flag.is_urgent and e.can_resolve for e in self.flags)


@dataclass(frozen=True)
class ProgrammeVersion:
    assignment: ProgrammeAssignment
    rows: list[tuple[AssignmentItem, Dosage]]


def symptom_charts(
    rows: Sequence[dict[str, Any]],
    flags: Iterable[Flag],
    *,
    start: date,
    end: date,
    evidence: Mapping[int, Sequence[date]] | None = None,
) -> list[tuple[str, str, charts.Chart]]:
    """(key, label, chart) for back pain, leg pain and numbness, each with a labelled evidence
    strip per flag: the patient page and the progress report draw the same charts. A withdrawn
    flag is a record of a corrected answer, not evidence of worsening: it draws nothing.
    `evidence`: each flag's evidence dates by its pk, when read already (else flag.evidence)."""
    rule_labels = flag_labels()["rule"]
    markers = [
        (on, flag.severity, label)
        for flag in flags
        if flag.status != FlagStatus.WITHDRAWN
        for label in [rule_labels.get(flag.rule, flag.rule)]
        for on in (evidence[flag.pk] if evidence is not None else evidence_dates(flag.evidence))
        if start <= on <= end
    ]
    # The three charts share their window and size: their markers and strips are worked out once.
    marks = charts.flag_marks(
        markers, start=start, end=end, height=CHART_HEIGHT, severity_rank=SEVERITY_RANK
    )
    return [
        (
            key,
            str(label),
            charts.line_chart(
                {key: [(row["date"], row[key]) for row in rows]},
                start=start,
                end=end,
                height=CHART_HEIGHT,
                marks=marks,
            ),
        )
        for key, label in MEASURES.items()
    ]


def _calendar(
    adherence: dict[str, Any],
) -> list[tuple[dict[str, Any], list[CalendarDay | None]]]:
    """patient_adherence's days as Monday-first weeks, each with that week's totals."""
    cells = [
        CalendarDay(d["date"], d["prescribed"], d["done"], has_checkin=d["has_checkin"])
        for d in adherence["days"]
    ]
    if not cells:
        return []
    padded: list[CalendarDay | None] = [None] * cells[0].on.weekday() + cells
    padded += [None] * (-len(padded) % 7)
    weeks = [padded[i : i + 7] for i in range(0, len(padded), 7)]
    return list(zip(adherence["weeks"], weeks, strict=True))


def _numbness_areas(
    rows: Sequence[dict[str, Any]], start: date, end: date
) -> tuple[list[date], list[AreaRow]]:
    first_monday = start - timedelta(days=start.weekday())
    weeks = [
        first_monday + timedelta(days=7 * n) for n in range((end - first_monday).days // 7 + 1)
    ]
    checkins = [0] * len(weeks)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(weeks))
    for row in rows:
        week = (row["date"] - first_monday).days // 7
        checkins[week] += 1
        for area in row["numbness_areas"] or ():
            counts[area][week] += 1
    areas = []
    for side, side_label in SIDE_LABELS.items():
        for site in NUMBNESS_SITES:
            reported = counts.get(f"{side}_{site}", [0] * len(weeks))
            cells = tuple(
                (n, total, math.ceil(4 * n / total) if total else 0)
                for n, total in zip(reported, checkins, strict=True)
            )
            areas.append(AreaRow(side, site, str(side_label), str(SITE_LABELS[site]), cells))
    return weeks, areas


def patient_page(
    *,
    user: User,
    profile: PatientProfile,
    range_days: int,
    language: str,
    now: datetime | None = None,
) -> PatientPage:
    """Everything the patient page shows; `profile` comes from patient_get (so it is visible)."""
    patient = profile.user
    today = local_today(profile, now)
    start = today - timedelta(days=range_days - 1)
    rows, first_rows = _range_and_first_rows(patient, start=start, today=today)
    flags = _flags(user=user, patient=patient)
    evidence = flag_evidence_days(patient=patient, flags=flags)

    last_7 = (today - timedelta(days=6), today)
    previous_7 = (today - timedelta(days=13), today - timedelta(days=7))
    first_week = None
    if first_rows:
        first_on = first_rows[0]["date"]
        first_week = (first_on, first_on + timedelta(days=6))
    changes = [
        Change(
            key=key,
            label=str(label),
            last_7=window_mean(rows, key, *last_7),
            previous_7=window_mean(rows, key, *previous_7),
            # A first week that overlaps the last 7 days is no baseline to compare with.
            first_week=window_mean(first_rows, key, *first_week)
            if first_week is not None and first_week[1] < last_7[0]
            else None,
        )
        for key, label in MEASURES.items()
    ]

    drawn = symptom_charts(
        rows,
        flags,
        start=start,
        end=today,
        evidence={pk: found.days for pk, found in evidence.items()},
    )

    adherence = patient_adherence(patient=patient, today=today)
    weeks, areas = _numbness_areas(rows, start, today)
    versions = _programme_versions(patient)
    current = next((v for v in versions if v.assignment.is_current), None)
    return PatientPage(
        profile=profile,
        today=today,
        range_days=range_days,
        start=start,
        charts=drawn,
        checkin_count=len(rows),
        changes=changes,
        calendar=_calendar(adherence),
        adherence=adherence,
        weeks=weeks,
        areas=areas,
        # Unresolved first; within each, the most severe, most recent (so fresh before stale
        # within a severity, CLINICAL.md §4a).
        flags=[
            _flag_entry(label_flag(flag, labels), evidence[flag.pk], language=language, today=today)
            for labels in [flag_labels()]
            for flag in sorted(flags, key=lambda flag: not flag.is_unresolved)
        ],
        current=current,
        history=[v for v in versions if v is not current],
    )


_NO_AREAS = ("[]", "null")


def _score_rows(checkins: QuerySet[CheckIn]) -> list[dict[str, Any]]:
    """Date, scores and numbness areas of the check-ins, oldest first, as dicts. The areas come
    as JSON text, parsed only where there are any: most days have none, and the JSON field's
    converter would parse a year of "[]" (issue 16)."""
    rows = checkins.order_by("date").values_list(
        "date", *CheckIn.SCORE_FIELDS, Cast("numbness_areas", TextField())
    )
    names = ("date", *CheckIn.SCORE_FIELDS)
    found = []
    for *values, areas in rows:
        row = dict(zip(names, values, strict=True))
        row["numbness_areas"] = json.loads(areas) if areas and areas not in _NO_AREAS else []
        found.append(row)
    return found


def _range_and_first_rows(
    patient: User, *, start: date, today: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The check-ins from `start` to `today` and the patient's first seven (the first week's
    baseline), oldest first, in one statement: the range's rows plus the seven earliest. The
    seven earliest come first in that set (every other row of it is in the range and later), so
    they are its first seven (issue 16: one statement less to build and run)."""
    upto_today = CheckIn.objects.filter(patient=patient, date__lte=today)
    earliest = upto_today.order_by("date").values("pk")[:7]
    both = _score_rows(upto_today.filter(Q(date__gte=start) | Q(pk__in=earliest)))
    return [row for row in both if row["date"] >= start], both[:7]


def _programme_versions(patient: User) -> list[ProgrammeVersion]:
    """Every programme version, newest first, with its items and what the page shows of their
    exercises: assignments_for_patient's rows without the catalogue's long fields (guide,
    instructions, sources), which the page does not show and which cost a JSON parse each. The
    items are read by the versions' ids and grouped here: prefetch_related's machinery cost
    about as much as its statement (issue 16)."""
    versions = list(
        ProgrammeAssignment.objects.filter(patient=patient)
        .select_related("template", "created_by")
        .defer("template__conditions", "template__sources")
        .order_by("-version")
    )
    items: dict[int, list[AssignmentItem]] = {version.pk: [] for version in versions}
    if versions:
        for item in (
            AssignmentItem.objects.filter(assignment_id__in=list(items))
            .select_related("exercise")
            .only(*_ITEM_FIELDS)
            .order_by("position")
        ):
            items[item.assignment_id].append(item)
    return [
        ProgrammeVersion(version, [(item, item_dosage(item)) for item in items[version.pk]])
        for version in versions
    ]


# What _programme.html and item_dosage read of an item and its exercise.
_ITEM_FIELDS = (
    "assignment",
    "exercise",
    "position",
    "days_per_week",
    "note",
    "overridden_cautions",
    "override_reason",
    *DOSAGE_FIELDS,
    "exercise__name_zh",
    "exercise__name_en",
    "exercise__dosage_zh",
    "exercise__dosage_en",
    "exercise__interval_minutes",
    *(f"exercise__{name}" for name in DOSAGE_FIELDS),
)


def _flags(*, user: User, patient: User) -> list[Flag]:
    """Every flag of the patient as `user` may see them, most severe first, then the most
    recent evidence, then the most recently opened (flags_for_patient's order, sorted here: a
    CASE in SQL costs more to build than a patient's few flags cost to sort)."""
    flags = list(
        flags_visible(user=user)
        .filter(patient=patient)
        .select_related(None)
        .select_related("acknowledged_by", "resolved_by")
    )
    flags.sort(key=lambda flag: flag.opened_at, reverse=True)
    flags.sort(key=lambda flag: flag.last_evidence_on, reverse=True)
    flags.sort(key=lambda flag: SEVERITY_RANK.get(flag.severity, 0), reverse=True)
    return flags
