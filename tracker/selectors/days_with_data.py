"""Days with data per patient of a clinic, in 30-day periods: who is monitored enough.

A day with data is a date (the patient's own calendar date) with a check-in or an exercise
session. Three queries whatever the clinic's size: the patients, their check-in dates and their
session dates in the window.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.models import CheckIn, PatientProfile, SessionLog, User
from tracker.selectors import patients_visible

PERIOD_DAYS = 30
# For context only (not billing advice): the US remote physiologic monitoring device-supply code
# counts a 30-day period in which data arrived on at least 16 days.
US_RPM_DAYS = 16
MAX_PERIODS = 12
DEFAULT_PERIODS = 3


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class PatientRow:
    profile: PatientProfile
    counts: tuple[int, ...]  # one per period, oldest first

    def reaches(self, days: int = US_RPM_DAYS) -> tuple[bool, ...]:
        return tuple(count >= days for count in self.counts)

    @property
    def cells(self) -> tuple[tuple[int, bool], ...]:
        return tuple(zip(self.counts, self.reaches(), strict=True))


@dataclass(frozen=True)
class DaysWithDataTable:
    periods: tuple[Period, ...]
    rows: tuple[PatientRow, ...]

    @property
    def reached_counts(self) -> tuple[int, ...]:
        """Per period: how many patients had data on 16 days or more."""
        return tuple(
            sum(1 for row in self.rows if row.counts[index] >= US_RPM_DAYS)
            for index in range(len(self.periods))
        )


def clinic_periods(*, end: date, periods: int) -> tuple[Period, ...]:
    """`periods` consecutive 30-day periods ending on `end`, oldest first."""
    return tuple(
        Period(
            end - timedelta(days=PERIOD_DAYS * (n + 1) - 1),
            end - timedelta(days=PERIOD_DAYS * n),
        )
        for n in reversed(range(periods))
    )


def clinic_days_with_data(*, user: User, end: date, periods: int) -> DaysWithDataTable:
    """The clinic admin's clinic (patients_visible scopes it): every patient, one row each."""
    spans = clinic_periods(end=end, periods=periods)
    start = spans[0].start
    profiles = list(patients_visible(user=user))
    ids = [profile.user_id for profile in profiles]
    days: dict[int, set[date]] = defaultdict(set)
    for patient_id, on in CheckIn.objects.filter(
        patient_id__in=ids, date__gte=start, date__lte=end
    ).values_list("patient_id", "date"):
        days[patient_id].add(on)
    for patient_id, on in (
        SessionLog.objects.filter(
            patient_id__in=ids, performed_on__gte=start, performed_on__lte=end
        )
        .values_list("patient_id", "performed_on")
        .distinct()
    ):
        days[patient_id].add(on)
    rows = tuple(
        PatientRow(
            profile,
            tuple(
                sum(1 for on in days[profile.user_id] if span.start <= on <= span.end)
                for span in spans
            ),
        )
        for profile in profiles
    )
    return DaysWithDataTable(periods=spans, rows=rows)
