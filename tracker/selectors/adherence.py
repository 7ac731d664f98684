"""Adherence: the one definition used by the `adherence_drop` rule, the caseload, the patient
page, the patient's Progress page and the API.

- Sessions owed on a day come from the programme version **in force on that day**: the newest
  version whose `starts_on` is on or before it. Each of its items owes `days_per_week / 7` of a
  session that day (a 5-days-a-week item owes 5 a week, on days the patient picks). So a
  programme change mid-week does not restart the count: the days before it owe what the earlier
  version prescribed.
- Done on a day: the distinct exercises of that day's version that were logged that day.
- Over a window (the rolling 7 days ending at a date, or one calendar week), each exercise
  counts at most the sessions it owed there, rounded up, so doing one exercise twice does not
  make up for skipping another. Longer spans (the 30-day view) add up their calendar weeks.

Sessions owed are kept in sevenths (integers), so a window's figure is exact and the rule's
"under 50 %" border is exact too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.db import connection

from tracker.models import AssignmentItem, CheckIn, ProgrammeAssignment, SessionLog, User
from tracker.rules.thresholds import ADHERENCE_WINDOW_DAYS

# The patient page, Progress and the API show 30 days of prescribed vs done.
ADHERENCE_VIEW_DAYS = 30


@dataclass(frozen=True)
class Version:
    """One programme version, as adherence sees it."""

    number: int
    starts_on: date
    items: tuple[tuple[int, int], ...]  # (exercise_id, days_per_week)


@dataclass(frozen=True)
class Tally:
    """Sessions done against sessions owed over the dates start..end."""

    start: date
    end: date
    done: int
    owed_sevenths: int

    @property
    def prescribed(self) -> Fraction:
        return Fraction(self.owed_sevenths, 7)

    @property
    def ratio(self) -> float | None:
        if not self.owed_sevenths:
            return None
        return round(min(float(self.done / self.prescribed), 1.0), 2)

    @property
    def percent(self) -> int | None:
        if not self.owed_sevenths:
            return None
        return round(100 * min(float(self.done / self.prescribed), 1.0))


Pairs = set[tuple[date, int]]  # (date, exercise_id) logged


def version_in_force(versions: Sequence[Version], day: date) -> Version | None:
    """The newest version that had started by `day` (versions: newest first)."""
    return next((v for v in versions if v.starts_on <= day), None)


def _dates(start: date, end: date) -> Iterable[date]:
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def tally(versions: Sequence[Version], done: Pairs, *, start: date, end: date) -> Tally:
    """The window's figure: per exercise, days logged while prescribed, at most the sessions it
    owed there rounded up; over the sessions owed."""
    owed: dict[int, int] = defaultdict(int)  # sevenths of a session
    logged: dict[int, int] = defaultdict(int)
    for day in _dates(start, end):
        version = version_in_force(versions, day)
        for exercise_id, days_per_week in version.items if version else ():
            owed[exercise_id] += days_per_week
            if (day, exercise_id) in done:
                logged[exercise_id] += 1
    credited = sum(min(count, -(-owed[ex] // 7)) for ex, count in logged.items())
    return Tally(start=start, end=end, done=credited, owed_sevenths=sum(owed.values()))


def last_7_days(versions: Sequence[Version], done: Pairs, *, end: date) -> Tally:
    return tally(versions, done, start=end - timedelta(days=ADHERENCE_WINDOW_DAYS - 1), end=end)


# --- reads -----------------------------------------------------------------------------------


def adherence_versions(*, patient_ids: Iterable[int]) -> dict[int, list[Version]]:
    """Every programme version of these patients, newest first: one query (a version without
    items still counts: it prescribes nothing from its start)."""
    rows = (
        ProgrammeAssignment.objects.filter(patient_id__in=list(patient_ids))
        .order_by()
        .values_list(
            "patient_id", "version", "starts_on", "items__exercise_id", "items__days_per_week"
        )
    )
    found: dict[int, dict[int, tuple[date, list[tuple[int, int]]]]] = defaultdict(dict)
    for patient_id, number, starts_on, exercise_id, days_per_week in rows:
        _, items = found[patient_id].setdefault(number, (starts_on, []))
        if exercise_id is not None:
            items.append((exercise_id, days_per_week))
    return {
        patient_id: [
            Version(number, starts_on, tuple(items))
            for number, (starts_on, items) in sorted(versions.items(), reverse=True)
        ]
        for patient_id, versions in found.items()
    }


def adherence_done_pairs(*, patient: User, start: date, end: date) -> Pairs:
    return set(
        SessionLog.objects.filter(patient=patient, performed_on__gte=start, performed_on__lte=end)
        .order_by()
        .values_list("performed_on", "exercise_id")
        .distinct()
    )


def adherence_for_rule(*, patient: User, versions: Sequence[Version], t: date) -> dict[str, Any]:
    """The adherence_drop rule's inputs at date t (rules.Facts fields): the last 7 days' figure
    and the sessions done in the 7 days before. `versions`: adherence_versions' for the patient.
    One query."""
    start, end = rule_window(t)
    return adherence_rule_facts(
        versions, adherence_done_pairs(patient=patient, start=start, end=end), t=t
    )


def rule_window(t: date) -> tuple[date, date]:
    """The dates whose sessions the rule reads at t: its 7 days and the 7 before."""
    return t - timedelta(days=2 * ADHERENCE_WINDOW_DAYS - 1), t


def adherence_rule_facts(versions: Sequence[Version], done: Pairs, *, t: date) -> dict[str, Any]:
    """adherence_for_rule's figures from the versions and the (date, exercise) pairs logged
    (any pairs outside rule_window(t) are ignored)."""
    last = last_7_days(versions, done, end=t)
    previous = last_7_days(versions, done, end=t - timedelta(days=ADHERENCE_WINDOW_DAYS))
    return {
        "prescribed_last_7": last.prescribed,
        "done_last_7": last.done,
        "done_previous_7": previous.done,
    }


# The check-in's read of what adherence_for_rule needs, as one statement (issue 16: the two ORM
# queries cost ~1.5 ms of CPU to build): every programme version with its items, and the
# distinct (date, exercise) pairs logged in rule_window(t), t being the patient's newest
# check-in (the date the rule is judged at). Session rows carry a NULL version (typed: a
# DISTINCT branch would make a bare NULL text on PostgreSQL). Only table and
# column names and a constant are interpolated; the patient goes as a parameter.
_A, _I = ProgrammeAssignment._meta.db_table, AssignmentItem._meta.db_table
_S, _C = SessionLog._meta.db_table, CheckIn._meta.db_table
_NEWEST = f"(SELECT MAX(date) FROM {_C} WHERE patient_id = %(patient)s)"  # noqa: S608
_BACK = 2 * ADHERENCE_WINDOW_DAYS - 1
# The window's first date, t - 13: date arithmetic is the one thing the two databases spell
# differently (PostgreSQL: date - integer; SQLite: dates are ISO text, date(x, '-13 days')).
_WINDOW_START = {
    "postgresql": f"{_NEWEST} - {_BACK}",
    "sqlite": f"date({_NEWEST}, '-{_BACK} days')",
}
_RULE_INPUTS_SQL = """
SELECT a.version, a.starts_on, i.exercise_id, i.days_per_week
FROM {a} a LEFT JOIN {i} i ON i.assignment_id = a.id WHERE a.patient_id = %(patient)s
UNION ALL
SELECT DISTINCT CAST(NULL AS integer), s.performed_on, s.exercise_id, CAST(NULL AS integer)
FROM {s} s
WHERE s.patient_id = %(patient)s AND s.performed_on >= {start} AND s.performed_on <= {newest}
"""


def adherence_rule_inputs(*, patient: User) -> tuple[list[Version], Pairs]:
    """The patient's versions (newest first, as adherence_versions) and the pairs logged in
    rule_window of their newest check-in: what adherence_rule_facts needs. One query."""
    sql = _RULE_INPUTS_SQL.format(
        a=_A, i=_I, s=_S, start=_WINDOW_START[connection.vendor], newest=_NEWEST
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"patient": patient.pk})
        rows = cursor.fetchall()
    found: dict[int, tuple[date, list[tuple[int, int]]]] = {}
    done: Pairs = set()
    for number, on, exercise_id, days_per_week in rows:
        if type(on) is str:  # SQLite
            on = date.fromisoformat(on)
        if number is None:
            done.add((on, exercise_id))
            continue
        _, items = found.setdefault(number, (on, []))
        if exercise_id is not None:
            items.append((exercise_id, days_per_week))
    versions = [
        Version(number, starts_on, tuple(items))
        for number, (starts_on, items) in sorted(found.items(), reverse=True)
    ]
    return versions, done


def adherence_last_7_by_patient(
    *, todays: Mapping[int, date], done: Mapping[int, Pairs]
) -> dict[int, Tally]:
    """The caseload's 7-day figures: `done` is each patient's logged (date, exercise) pairs
    covering their last 7 days (the caseload reads them once for the page). One query."""
    versions = adherence_versions(patient_ids=todays)
    return {
        patient_id: last_7_days(
            versions.get(patient_id, []), done.get(patient_id, set()), end=today
        )
        for patient_id, today in todays.items()
    }


def patient_adherence(*, patient: User, today: date) -> dict[str, Any]:
    """Prescribed vs done per day and per ISO week over the last 30 days, the rolling 7 days
    (the caseload's and the rule's figure), and the days with any data (any check-in or
    session: the engagement measure of remote monitoring)."""
    start = today - timedelta(days=ADHERENCE_VIEW_DAYS - 1)
    versions = adherence_versions(patient_ids=[patient.pk]).get(patient.pk, [])
    logged = set(
        SessionLog.objects.filter(patient=patient, performed_on__gte=start, performed_on__lte=today)
        .order_by()
        .values_list("performed_on", "exercise_id")
        .distinct()
    )
    checkin_days = set(
        CheckIn.objects.filter(patient=patient, date__gte=start, date__lte=today).values_list(
            "date", flat=True
        )
    )
    session_days = {on for on, _ in logged}

    days = []
    for day in _dates(start, today):
        version = version_in_force(versions, day)
        items = version.items if version else ()
        days.append(
            {
                "date": day,
                "prescribed": round(sum(dpw for _, dpw in items) / 7, 2),
                "done": sum(1 for exercise_id, _ in items if (day, exercise_id) in logged),
                "has_checkin": day in checkin_days,
                "has_session": day in session_days,
            }
        )
    weeks, tallies = [], []
    monday = start - timedelta(days=start.weekday())
    while monday <= today:
        week = tally(
            versions, logged, start=max(monday, start), end=min(monday + timedelta(days=6), today)
        )
        tallies.append(week)
        weeks.append(
            {
                "week_start": monday,
                "prescribed": round(float(week.prescribed), 1),
                "done": week.done,
                "ratio": week.ratio,
            }
        )
        monday += timedelta(days=7)
    last_7 = last_7_days(versions, logged, end=today)
    total = Tally(
        start=start,
        end=today,
        done=sum(week.done for week in tallies),
        owed_sevenths=sum(week.owed_sevenths for week in tallies),
    )
    return {
        "window_start": start,
        "window_end": today,
        "window_days": ADHERENCE_VIEW_DAYS,
        "days_with_data": len(checkin_days | session_days),
        "prescribed": round(float(total.prescribed), 1),
        "done": total.done,
        "ratio": total.ratio,
        "last_7": {
            "start": last_7.start,
            "end": last_7.end,
            "prescribed": round(float(last_7.prescribed), 1),
            "done": last_7.done,
            "ratio": last_7.ratio,
        },
        "days": days,
        "weeks": weeks,
    }
