"""What the progress report (a PDF for a surgeon or GP) says about one patient and a date range.

The therapist page's own pieces (charts, flag entries, programme versions) read over the
report's range, so the report and the page tell the same story.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from exercises.dosage import item_dosage
from reminders.languages import is_english
from tracker import charts, rules
from tracker.models import (
    SEVERITY_RANK,
    CareTeamMember,
    CheckIn,
    Condition,
    Flag,
    FlagRule,
    FlagStatus,
    PatientProfile,
    ProgrammeAssignment,
    SessionLog,
    User,
)
from tracker.selectors import assignments_for_patient
from tracker.selectors.patient_page import (
    MEASURES,
    FlagEntry,
    ProgrammeVersion,
    _flag_entry,
    evidence_dates,
    symptom_charts,
)
from tracker.selectors.psfs import psfs_summary
from tracker.selectors.trends import window_mean

# The longest range one report covers: a year of daily check-ins still draws legibly.
REPORT_MAX_DAYS = 366
REPORT_DEFAULT_DAYS = 90
# CLINICAL.md §6: the articles' titles, shown instead of their file names.
ARTICLE_TITLES = {
    rules.A0: ("小腿麻木是怎么回事", "What causes calf numbness?"),
    rules.A1: (
        "腰脱压迫神经导致的腿疼",
        "Leg pain when a herniated lumbar disc presses on a nerve",
    ),
    rules.A2: (
        "腰突患者必看！腿麻不是好转，是神经在“求救”",
        "Leg numbness in disc herniation is not improvement: the nerve is calling for help",
    ),
    rules.A3: (
        "小腿痉挛伴腰臀痛？警惕坐骨神经受压的报警信号",
        "Calf cramps with low back and buttock pain: warning signs of sciatic nerve compression",
    ),
}


def article_title(source: str, language: str) -> str:
    zh, en = ARTICLE_TITLES.get(source, (source, source))
    return en if is_english(language) else zh


@dataclass(frozen=True)
class ReportFlag:
    entry: FlagEntry
    evidence_in_range: tuple[date, ...]
    sources: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass(frozen=True)
class MeasureSummary:
    key: str
    label: str
    first: float | None  # the first 7 days with a check-in in the range
    last: float | None  # the last 7 days of the range

    @property
    def change(self) -> float | None:
        if self.first is None or self.last is None:
            return None
        return round(self.last - self.first, 1)


@dataclass
class ProgressReport:
    profile: PatientProfile
    start: date
    end: date
    language: str
    therapists: list[User]
    conditions: list[str]
    charts: list[tuple[str, str, charts.Chart]]
    measures: list[MeasureSummary]
    checkin_count: int
    versions: list[ProgrammeVersion]
    adherence: dict[str, Any]
    flags: list[ReportFlag]
    referral: ReportFlag | None
    extra: dict[str, Any] = field(default_factory=dict[str, Any])  # further sections (PSFS) by key

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _adherence(
    *, patient: User, versions: list[ProgrammeAssignment], start: date, end: date
) -> dict[str, Any]:
    """Prescribed against done over the range, counted as patient_adherence does per day: each
    item in effect owes days_per_week / 7 of a session a day; done is distinct prescribed
    exercises logged that day."""
    pairs = set(
        SessionLog.objects.filter(
            patient=patient, performed_on__gte=start, performed_on__lte=end
        ).values_list("performed_on", "exercise_id")
    )
    checkin_days = set(
        CheckIn.objects.filter(patient=patient, date__gte=start, date__lte=end).values_list(
            "date", flat=True
        )
    )
    ordered = sorted(versions, key=lambda v: -v.version)
    prescribed = 0.0
    done = 0
    day = start
    while day <= end:
        version = next((v for v in ordered if v.starts_on <= day), None)
        items = list(version.items.all()) if version is not None else []
        prescribed += sum(item.days_per_week for item in items) / 7
        done += sum(1 for item in items if (day, item.exercise_id) in pairs)
        day += timedelta(days=1)
    session_days = {on for on, _exercise in pairs}
    return {
        "prescribed": round(prescribed, 1),
        "done": done,
        "ratio": round(min(done / prescribed, 1.0), 2) if prescribed else None,
        "days_with_data": len(session_days | checkin_days),
        "checkin_days": len(checkin_days),
        "session_days": len(session_days),
    }


def progress_report(
    *, profile: PatientProfile, start: date, end: date, language: str
) -> ProgressReport:
    """`profile` comes from patient_get (visible to whoever asks). Labels baked into the charts
    (flag lanes) and summaries are in `language`, whatever the reader's own."""
    with translation.override(language):
        return _progress_report(profile=profile, start=start, end=end, language=language)


def _progress_report(
    *, profile: PatientProfile, start: date, end: date, language: str
) -> ProgressReport:
    patient = profile.user
    fields = ("date", *CheckIn.SCORE_FIELDS)
    rows = list(
        CheckIn.objects.filter(patient=patient, date__gte=start, date__lte=end)
        .order_by("date")
        .values(*fields)
    )
    flags = [
        flag
        for flag in Flag.objects.filter(patient=patient, opened_on__lte=end)
        .prefetch_related("evidence_rows")
        .exclude(status=FlagStatus.WITHDRAWN)
        .select_related("acknowledged_by", "resolved_by")
        .order_by("opened_on")
        if flag.last_evidence_on >= start or flag.is_unresolved
    ]
    flags.sort(key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.opened_on))
    drawn = symptom_charts(rows, flags, start=start, end=end)
    # The first week with data in the range: a range that opens before the first check-in
    # still compares the patient's first week with their last.
    first_on = rows[0]["date"] if rows else start
    first_week = (first_on, first_on + timedelta(days=6))
    last_week = (end - timedelta(days=6), end)
    measures = [
        MeasureSummary(
            key,
            str(label),
            window_mean(rows, key, *first_week).value,
            window_mean(rows, key, *last_week).value,
        )
        for key, label in MEASURES.items()
    ]
    versions = list(assignments_for_patient(patient=patient).order_by("version"))
    in_range = [
        version
        for index, version in enumerate(versions)
        if version.starts_on <= end
        and (index + 1 == len(versions) or versions[index + 1].starts_on > start)
    ]
    report_flags = []
    for flag in flags:
        entry = _flag_entry(flag, language=language, today=end)
        evidence = tuple(on for on in evidence_dates(flag.evidence) if start <= on <= end)
        report_flags.append(
            ReportFlag(
                entry,
                evidence,
                tuple(flag.sources),
                tuple(article_title(source, language) for source in flag.sources),
            )
        )
    # CLINICAL.md §4 conservative_failure: the report then reads as a referral summary.
    referral = next(
        (f for f in report_flags if f.entry.flag.rule == FlagRule.CONSERVATIVE_FAILURE), None
    )
    labels = dict(Condition.choices)
    psfs = psfs_summary(patient=patient, today=end)
    extra = (
        {"psfs": psfs, "psfs_chart": psfs.chart(start=start, end=end)} if psfs.activities else {}
    )
    return ProgressReport(
        profile=profile,
        start=start,
        end=end,
        language=language,
        therapists=[
            member.therapist
            for member in CareTeamMember.objects.filter(patient=patient)
            .select_related("therapist")
            .order_by("added_at")
        ],
        conditions=[str(labels.get(key, key)) for key in profile.conditions],
        charts=drawn,
        measures=measures,
        checkin_count=len(rows),
        versions=[
            ProgrammeVersion(v, [(item, item_dosage(item)) for item in v.items.all()])
            for v in in_range
        ],
        adherence=_adherence(patient=patient, versions=versions, start=start, end=end),
        flags=report_flags,
        referral=referral,
        extra=extra,
    )


CAVEAT = _(
    "This report summarises what the patient recorded in an exercise app. It is not a diagnosis "
    "and not a basis for treatment; the patient has been told to see a doctor if they feel unwell "
    "or their symptoms get worse."
)
