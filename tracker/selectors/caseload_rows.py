"""The rows of one caseload page (tracker/selectors/dashboard.py pages the patients): each
patient's 30-day sparkline, days with data, 7-day adherence and open flags as chips, their words
in the active language. Three queries for a page, whatever its size."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from exercises.models import ProgrammeTemplate
from tracker import charts
from tracker.models import (
    SEVERITY_RANK,
    CheckIn,
    Flag,
    FlagStatus,
    PatientProfile,
    SessionLog,
)
from tracker.patient_calendar import local_today
from tracker.selectors.adherence import adherence_last_7_by_patient
from tracker.selectors.dashboard import SPARKLINE_DAYS, UNRESOLVED, flag_labels, label_flag


@functools.cache
def _checkins_and_sessions_sql(patients: int) -> str:
    """The page's check-ins (leg pain, numbness) and the days and exercises of its sessions in
    one statement: hand-written, since the ORM's two querysets cost more CPU to build than the
    rows cost to read (issue 16), and one round trip instead of two. Names from the models,
    every value a parameter; plain SQL that PostgreSQL and SQLite both run."""
    ids = ", ".join(["%s"] * patients)
    checkin, session = CheckIn._meta.db_table, SessionLog._meta.db_table
    return f"""
SELECT 0, patient_id, date, leg_pain, numbness FROM {checkin}
WHERE patient_id IN ({ids}) AND date >= %s AND date <= %s
UNION ALL
SELECT DISTINCT 1, patient_id, performed_on, exercise_id, 0 FROM {session}
WHERE patient_id IN ({ids}) AND performed_on >= %s AND performed_on <= %s
"""  # noqa: S608 - table names from the models; values go as parameters


def _checkins_and_sessions(ids: list[int], start: date, end: date) -> list[tuple[Any, ...]]:
    """(0, patient, date, leg pain, numbness) per check-in and (1, patient, date, exercise, 0)
    per exercise and day with a session, from `start` to `end`."""
    params: list[Any] = [*ids, start, end, *ids, start, end]
    with connection.cursor() as cursor:
        cursor.execute(_checkins_and_sessions_sql(len(ids)), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    if connection.vendor == "sqlite":  # SQLite gives the dates of a UNION as text
        return [
            (kind, patient, _as_date(on), value, numbness)
            for kind, patient, on, value, numbness in rows
        ]
    return rows


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True)
class FlagChip:
    """One unresolved flag on a caseload row, its words ready to show (a page has a hundred)."""

    severity: str
    severity_label: str
    rule_label: str
    is_acknowledged: bool
    is_stale: bool
    dates: str  # opened, and its latest evidence or how long since (CLINICAL.md §4a)
    answer_changed_at: str  # "" unless a correction stopped supporting its evidence


def chip_wordings() -> dict[str, str]:
    """flag_chip's wordings in the active language, looked up once for a page of chips."""
    return {
        "stale": _("opened %(opened)s · no new evidence since %(last)s"),
        "opened": _("opened %(opened)s"),
        "latest": _("opened %(opened)s · latest evidence %(last)s"),
        "changed": _("answer changed by the patient at %(at)s"),
    }


def flag_chip(flag: Flag, today: date, wordings: Mapping[str, str] | None = None) -> FlagChip:
    """`flag` (labelled by label_flag) as a chip, in the active language and time zone;
    `wordings` from chip_wordings() (looked up here when not given)."""
    words = wordings if wordings is not None else chip_wordings()
    opened = flag.opened_on.isoformat()
    last = flag.last_evidence_on.isoformat()
    stale = flag.is_stale(today)
    if stale:
        dates = words["stale"]
    elif flag.opened_on == flag.last_evidence_on:
        dates = words["opened"]
    else:
        dates = words["latest"]
    changed = ""
    if flag.answer_changed_at is not None:
        at = timezone.localtime(flag.answer_changed_at).strftime("%Y-%m-%d %H:%M")
        changed = words["changed"] % {"at": at}
    return FlagChip(
        severity=flag.severity,
        severity_label=flag.severity_label,  # type: ignore[attr-defined]  # set by label_flag
        rule_label=flag.rule_label,  # type: ignore[attr-defined]  # set by label_flag
        is_acknowledged=flag.status == FlagStatus.ACKNOWLEDGED,
        is_stale=stale,
        dates=dates % {"opened": opened, "last": last},
        answer_changed_at=changed,
    )


@dataclass
class CaseloadRow:
    profile: PatientProfile
    programme: ProgrammeTemplate | None
    sparkline: charts.Chart
    flags: list[Flag]
    today: date  # the patient's, for "no new evidence since"
    days_with_data: int
    done_last_7: int
    prescribed_last_7: int  # sessions owed, rounded for display
    adherence_percent: int | None  # from the exact figures (tracker/selectors/adherence.py)
    chips: list[FlagChip] = field(default_factory=list)  # the flags, as shown
    programme_name: str = ""  # in the active language

    @property
    def last_checkin_on(self) -> date | None:
        return self.profile.last_checkin_on  # type: ignore[attr-defined, no-any-return]  # annotated by caseload_patients

    @property
    def worst_severity(self) -> str | None:
        return self.flags[0].severity if self.flags else None

    @property
    def has_urgent(self) -> bool:
        return any(flag.is_urgent for flag in self.flags)


def caseload_rows(
    *,
    profiles: Sequence[PatientProfile],
    templates: Mapping[int, ProgrammeTemplate],
    now: datetime | None = None,
) -> list[CaseloadRow]:
    """The rows of one caseload page (from caseload_patients): three queries, whatever the size.

    Adherence is tracker/selectors/adherence.py's 7-day figure, across programme versions.
    """
    if not profiles:
        return []
    ids = [profile.user_id for profile in profiles]
    todays = {profile.user_id: local_today(profile, now) for profile in profiles}
    window_start = min(todays.values()) - timedelta(days=SPARKLINE_DAYS - 1)
    window_end = max(todays.values())

    checkins: dict[int, list[tuple[date, int, int]]] = defaultdict(list)
    session_days: dict[int, set[date]] = defaultdict(set)
    done_pairs: dict[int, set[tuple[date, int]]] = defaultdict(set)
    for is_session, patient_id, on, value, numbness in _checkins_and_sessions(
        ids, window_start, window_end
    ):
        if is_session:  # value: the exercise
            session_days[patient_id].add(on)
            done_pairs[patient_id].add((on, value))
        else:  # value: leg pain
            checkins[patient_id].append((on, value, numbness))

    # The one definition of adherence: each day owes what the version in force that day
    # prescribes, so a programme change inside the 7 days does not restart the count.
    adherence = adherence_last_7_by_patient(todays=todays, done=done_pairs)

    # Most severe first, then the latest evidence, then by rule: sorted here (a CASE in SQL costs
    # more to build than a page's hundred flags cost to sort).
    flags: dict[int, list[Flag]] = defaultdict(list)
    labels = flag_labels()
    for flag in sorted(
        Flag.objects.filter(patient_id__in=ids, status__in=UNRESOLVED).only(
            "public_id",
            "patient_id",
            "rule",
            "severity",
            "status",
            "opened_on",
            "last_evidence_on",
            "answer_changed_at",
        ),
        key=lambda flag: (
            -SEVERITY_RANK.get(flag.severity, 0),
            -flag.last_evidence_on.toordinal(),
            flag.rule,
        ),
    ):
        flags[flag.patient_id].append(label_flag(flag, labels))

    wordings = chip_wordings()
    rows = []
    for profile in profiles:
        patient_id, today = profile.user_id, todays[profile.user_id]
        start = today - timedelta(days=SPARKLINE_DAYS - 1)
        own = [row for row in checkins[patient_id] if start <= row[0] <= today]
        last_7 = adherence[patient_id]
        data_days = {row[0] for row in own} | {
            on for on in session_days[patient_id] if start <= on <= today
        }
        programme = templates.get(profile.programme_template_id)  # type: ignore[attr-defined]  # annotated by caseload_patients
        rows.append(
            CaseloadRow(
                profile=profile,
                programme=programme,
                sparkline=charts.sparkline(
                    {
                        "leg_pain": [(on, leg) for on, leg, _ in own],
                        "numbness": [(on, numb) for on, _, numb in own],
                    },
                    start=start,
                    end=today,
                ),
                flags=flags[patient_id],
                today=today,
                days_with_data=len(data_days),
                done_last_7=last_7.done,
                prescribed_last_7=round(last_7.prescribed),
                adherence_percent=last_7.percent,
                chips=[flag_chip(flag, today, wordings) for flag in flags[patient_id]],
                programme_name=programme.localized("name") if programme is not None else "",
            )
        )
    return rows
