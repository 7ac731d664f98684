"""Progress and the check-in's week-on-week comparison."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from exercises.sources import sources_for_files
from tracker import charts
from tracker.flag_texts import severity_advice
from tracker.models import (
    CheckIn,
    Flag,
    FlagStatus,
    PatientProfile,
    User,
)
from tracker.patient_calendar import local_today
from tracker.selectors import flags_for_patient, patient_adherence
from tracker.selectors.patient_app.common import (
    MEASURES,
)
from tracker.selectors.patient_app.rows import Columns, date_param, fetch, quoted
from tracker.selectors.trends import CalendarDay, WindowMean, window_mean
from tracker.serializers import patient_advice


@dataclass(frozen=True)
class Comparison:
    key: str
    label: str
    now: WindowMean
    before: WindowMean

    @property
    def difference(self) -> float | None:
        if self.now.value is None or self.before.value is None:
            return None
        return round(self.now.value - self.before.value, 1)

    @property
    def trend(self) -> str:
        """better / worse / same for 0-10 scores where lower is better. A change under the
        2-point minimal clinically important difference (CLINICAL.md §3) is 'same'."""
        difference = self.difference
        if difference is None:
            return "unknown"
        if difference <= -2:
            return "better"
        if difference >= 2:
            return "worse"
        return "same"


def _score_rows(patient: User, start: date, end: date) -> list[dict[str, Any]]:
    """{"date", the scores} per check-in from `start` to `end`, oldest first."""
    return _rows(_SCORES_SQL, [patient.pk, date_param(start), date_param(end)])


def _rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return [
        dict(zip(_SCORES.attnames, _SCORES.values(row), strict=True)) for row in fetch(sql, params)
    ]


# Hand-written (rows.py), as the ORM's values() of the date and the scores (names from the
# models, values as parameters): a window of check-ins, and a patient's first seven up to a day.
_SCORES = Columns(CheckIn, "c", ("date", *CheckIn.SCORE_FIELDS))
_SCORES_SQL = (
    f"SELECT {_SCORES.sql} FROM {quoted(CheckIn._meta.db_table)} c WHERE c.patient_id = %s"  # noqa: S608
    ' AND c."date" >= %s AND c."date" <= %s ORDER BY c."date"'
)
_FIRST_SCORES_SQL = (
    f"SELECT {_SCORES.sql} FROM {quoted(CheckIn._meta.db_table)} c WHERE c.patient_id = %s"  # noqa: S608
    ' AND c."date" <= %s ORDER BY c."date" LIMIT 7'
)


def week_comparison(*, profile: PatientProfile, now: datetime | None = None) -> list[Comparison]:
    """This week (the last 7 days) against last week (the 7 days before), per score."""
    today = local_today(profile, now)
    rows = _score_rows(profile.user, today - timedelta(days=13), today)
    this_week = (today - timedelta(days=6), today)
    last_week = (today - timedelta(days=13), today - timedelta(days=7))
    return [
        Comparison(
            key,
            str(label),
            window_mean(rows, key, *this_week),
            window_mean(rows, key, *last_week),
        )
        for key, label in MEASURES
    ]


# --- progress ------------------------------------------------------------------------------------


# CLINICAL.md §4a: the patient's Progress page shows warnings with evidence in the last 14 days;
# older ones fold under "earlier".
ADVICE_RECENT_DAYS = 14


@dataclass(frozen=True)
class AdviceEntry:
    flag: Flag
    advice: str  # what the rule found, in the patient's words
    todo: str  # what to do about it (CLINICAL.md §4a), "" when `advice` says it (urgent)
    sources: list[tuple[str, str]]  # (article title, its page)

    @property
    def is_seen(self) -> bool:
        return self.flag.status == FlagStatus.ACKNOWLEDGED

    @property
    def opened_on(self) -> date:
        """The date of the flag's first evidence (CLINICAL.md §4a), not when the row was written."""
        return self.flag.opened_on


def _own_flags(patient: User) -> QuerySet[Flag]:
    """The patient's flags as they may see them (flags_for_patient), without the care team's
    rows it joins for the therapist's pages (the patient's profile, who acknowledged or resolved
    it): the advice reads none of them, and building and reading those joins was most of the
    query's CPU (issue 16)."""
    return flags_for_patient(user=patient, patient=patient).select_related(None)


def advice_entry(flag: Flag, *, language: str, clinic_phone: str = "") -> AdviceEntry:
    todo = (
        ""
        if flag.is_urgent
        else severity_advice(flag.severity, language=language, clinic_phone=clinic_phone)
    )
    sources = [
        (source.title(language), reverse("exercises:source-detail", args=[source.key]))
        for source in sources_for_files(flag.sources)
    ]
    return AdviceEntry(flag, patient_advice(flag, language=language), todo, sources)


@dataclass
class ProgressPage:
    profile: PatientProfile
    today: date
    range_days: int
    start: date
    charts: list[tuple[str, str, charts.Chart]]  # (key, label, chart)
    checkin_count: int
    since_first_week: list[Comparison]  # the first week of check-ins against the last 7 days
    first_checkin_on: date | None
    calendar: list[list[CalendarDay | None]]  # Monday-first weeks
    adherence: dict[str, Any]
    advice: list[AdviceEntry]  # evidence in the last ADVICE_RECENT_DAYS days
    earlier: list[AdviceEntry]  # still open, but no evidence for longer


def _calendar(adherence: dict[str, Any], today: date) -> list[list[CalendarDay | None]]:
    cells = [
        CalendarDay(d["date"], d["prescribed"], d["done"], is_today=d["date"] == today)
        for d in adherence["days"]
    ]
    if not cells:
        return []
    padded: list[CalendarDay | None] = [None] * cells[0].on.weekday() + cells
    padded += [None] * (-len(padded) % 7)
    return [padded[i : i + 7] for i in range(0, len(padded), 7)]


def patient_progress(
    *, profile: PatientProfile, range_days: int, language: str, now: datetime | None = None
) -> ProgressPage:
    patient = profile.user
    today = local_today(profile, now)
    start = today - timedelta(days=range_days - 1)
    rows = _score_rows(patient, start, today)
    first_rows = _rows(_FIRST_SCORES_SQL, [patient.pk, date_param(today)])
    first_on = first_rows[0]["date"] if first_rows else None
    last_7 = (today - timedelta(days=6), today)
    since_first_week = []
    # A first week that overlaps the last 7 days is no baseline to compare with.
    if first_on is not None and first_on + timedelta(days=6) < last_7[0]:
        recent = [row for row in rows if row["date"] >= last_7[0]]
        first_week = (first_on, first_on + timedelta(days=6))
        since_first_week = [
            Comparison(
                key,
                str(label),
                window_mean(recent, key, *last_7),
                window_mean(first_rows, key, *first_week),
            )
            for key, label in MEASURES
        ]
    drawn = [
        (
            key,
            str(label),
            # Drawn at about the phone's width, so its labels read at their real size.
            charts.line_chart(
                {key: [(row["date"], row[key]) for row in rows]},
                start=start,
                end=today,
                width=340,
                height=180,
            ),
        )
        for key, label in MEASURES
    ]
    adherence = patient_adherence(patient=patient, today=today)
    unresolved = _own_flags(patient).exclude(status=FlagStatus.RESOLVED)
    clinic_phone = profile.clinic.phone if profile.clinic is not None else ""
    entries = [
        advice_entry(flag, language=language, clinic_phone=clinic_phone) for flag in unresolved
    ]
    recent_from = today - timedelta(days=ADVICE_RECENT_DAYS - 1)
    return ProgressPage(
        profile=profile,
        today=today,
        range_days=range_days,
        start=start,
        charts=drawn,
        checkin_count=len(rows),
        since_first_week=since_first_week,
        first_checkin_on=first_on,
        calendar=_calendar(adherence, today),
        adherence=adherence,
        advice=[entry for entry in entries if entry.flag.last_evidence_on >= recent_from],
        earlier=[entry for entry in entries if entry.flag.last_evidence_on < recent_from],
    )


# --- reminders -----------------------------------------------------------------------------------


def checkin_flags(
    *, profile: PatientProfile, language: str, now: datetime | None = None
) -> list[AdviceEntry]:
    """The flags today's check-in opened or added evidence to (their latest evidence is today),
    most severe first: what the page after a check-in tells the patient (CLINICAL.md §4a)."""
    patient = profile.user
    today = local_today(profile, now)
    flags = _own_flags(patient).exclude(status=FlagStatus.RESOLVED).filter(last_evidence_on=today)
    clinic_phone = profile.clinic.phone if profile.clinic is not None else ""
    return [advice_entry(flag, language=language, clinic_phone=clinic_phone) for flag in flags]
