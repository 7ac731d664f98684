"""Reads for the patient's own pages (/app/): today's programme, progress, the check-in's
week-on-week comparison and the reminder settings. Always the signed-in patient's own rows.

Each page is a handful of queries whatever the history's length: check-ins are read as plain
values over the chart's window, sessions as (date, exercise) pairs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exercises.dosage import Dosage, item_dosage
from reminders import selectors as reminder_selectors
from reminders.models import InboxMessage, Kind, ReminderSchedule
from tracker import charts
from tracker.models import (
    AssignmentItem,
    CheckIn,
    Flag,
    FlagSeverity,
    FlagStatus,
    PatientProfile,
    SessionLog,
    User,
)
from tracker.selectors import assignments_for_patient, flags_for_patient, patient_adherence
from tracker.selectors.trends import CalendarDay, WindowMean, window_mean
from tracker.serializers import patient_advice

PROGRESS_RANGES = (30, 90)
INBOX_SHOWN = 20
MEASURES = (
    ("leg_pain", _("Leg pain")),
    ("back_pain", _("Back pain")),
    ("numbness", _("Numbness")),
)
# The pictogram (a <symbol> of tracker/static/tracker/app/pictograms.svg) for each exercise;
# anything else gets its category's, then a generic one.
PICTOGRAMS = {
    "five_point_bridge": "bridge",
    "glute_bridge": "bridge",
    "plank": "plank",
    "superman": "superman",
    "waist_hip_stretch": "stretch",
    "ankle_pump": "ankle",
    "brisk_walk": "walk",
    "wall_stand": "wall",
    "straight_leg_raise": "leg-raise",
    "kegel": "breathe",
    "diaphragmatic_breathing": "breathe",
    "heat_therapy": "heat",
    "stand_up_break": "stand",
}
CATEGORY_PICTOGRAMS = {
    "core_strength": "bridge",
    "stretch": "stretch",
    "aerobic": "walk",
    "mobility": "wall",
    "pelvic_floor": "breathe",
    "activity_break": "stand",
    "self_care": "heat",
}


def is_english(language: str | None = None) -> bool:
    return (language or get_language() or "").lower().startswith("en")


def patient_profile_for(*, user: User) -> PatientProfile | None:
    """The profile behind the patient pages: only an active patient with a patient record."""
    if not (user.is_authenticated and user.is_active and user.is_patient):
        return None
    return PatientProfile.objects.filter(user=user).first()


def patient_is_new(*, patient: User) -> bool:
    """Nothing logged yet: signing in shows the first-run screen (reminders, notifications)."""
    return not (
        CheckIn.objects.filter(patient=patient).exists()
        or SessionLog.objects.filter(patient=patient).exists()
    )


def local_today(profile: PatientProfile, now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now(), timezone=profile.tzinfo)


# --- today ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodayItem:
    item: AssignmentItem
    dosage: Dosage
    name: str
    dosage_text: str
    pictogram: str
    done_today: int  # sessions logged today
    days_this_week: int  # days of this (Monday-first) week with a session, today included
    per_day: int  # sessions a day the dosage asks for (heat: 2-3 times a day -> 2)

    @property
    def is_done(self) -> bool:
        return self.done_today >= self.per_day

    @property
    def is_due(self) -> bool:
        # An item owed on fewer than 7 days a week is due until the week's days are done;
        # one already done today stays on the list so the patient sees the tick.
        return (
            self.item.days_per_week >= 7
            or self.done_today > 0
            or self.days_this_week < self.item.days_per_week
        )


@dataclass(frozen=True)
class StandUp:
    schedule: ReminderSchedule
    next_due_at: datetime | None  # in the patient's time zone
    is_paused: bool


@dataclass
class TodayPage:
    profile: PatientProfile
    today: date
    items: list[TodayItem]  # due today
    rest: list[TodayItem]  # this week's days already done
    stand_up: StandUp | None
    has_reminders: bool  # the first-run screen has been through (a stand-up schedule exists)
    has_checkin_today: bool
    urgent_flags: list[Flag]

    @property
    def done_count(self) -> int:
        return sum(1 for entry in self.items if entry.is_done)

    @property
    def due_count(self) -> int:
        return len(self.items)

    @property
    def percent_done(self) -> int:
        return round(100 * self.done_count / self.due_count) if self.due_count else 0


def current_assignment_items(*, patient: User, today: date) -> list[AssignmentItem]:
    """The items of the programme version in effect today (the newest that has started)."""
    assignment = (
        assignments_for_patient(patient=patient).filter(starts_on__lte=today).order_by("-version")
    ).first()
    return list(assignment.items.all()) if assignment is not None else []


def _today_item(
    item: AssignmentItem, *, today: date, week_start: date, logged: Counter, english: bool
) -> TodayItem:
    dosage = item_dosage(item)
    exercise = item.exercise
    text = (dosage.text_en if english else dosage.text_zh) or dosage.text_zh
    days = {on for (on, exercise_id) in logged if exercise_id == exercise.pk and on >= week_start}
    return TodayItem(
        item=item,
        dosage=dosage,
        name=exercise.localized("name"),
        dosage_text=text,
        pictogram=PICTOGRAMS.get(exercise.key)
        or CATEGORY_PICTOGRAMS.get(exercise.category, "stand"),
        done_today=logged[(today, exercise.pk)],
        days_this_week=len(days),
        per_day=max(dosage.times_per_day or 1, 1),
    )


def stand_up_schedule(*, patient: User) -> ReminderSchedule | None:
    return ReminderSchedule.objects.filter(user=patient, kind=Kind.STAND_UP, key="").first()


def patient_today(*, profile: PatientProfile, now: datetime | None = None) -> TodayPage:
    patient = profile.user
    now = now or timezone.now()
    today = local_today(profile, now)
    week_start = today - timedelta(days=today.weekday())
    items = current_assignment_items(patient=patient, today=today)
    logged = Counter(
        SessionLog.objects.filter(
            patient=patient, performed_on__gte=week_start, performed_on__lte=today
        ).values_list("performed_on", "exercise_id")
    )
    english = is_english()
    entries = [
        _today_item(item, today=today, week_start=week_start, logged=logged, english=english)
        for item in items
    ]
    schedule = stand_up_schedule(patient=patient)
    stand_up = None
    if schedule is not None:
        stand_up = StandUp(
            schedule=schedule,
            next_due_at=schedule.next_due_at.astimezone(profile.tzinfo)
            if schedule.next_due_at
            else None,
            is_paused=bool(schedule.paused_until and schedule.paused_until > now),
        )
    return TodayPage(
        profile=profile,
        today=today,
        items=[entry for entry in entries if entry.is_due],
        rest=[entry for entry in entries if not entry.is_due],
        stand_up=stand_up,
        has_reminders=schedule is not None,
        has_checkin_today=CheckIn.objects.filter(patient=patient, date=today).exists(),
        urgent_flags=list(
            Flag.objects.filter(
                patient=patient,
                severity=FlagSeverity.URGENT,
                status__in=(FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED),
            )
        ),
    )


def assignment_item_for(*, patient: User, item_id) -> AssignmentItem | None:
    return (
        AssignmentItem.objects.filter(public_id=item_id, assignment__patient=patient)
        .select_related("exercise")
        .first()
    )


# --- check-in ------------------------------------------------------------------------------------


def checkin_for(*, patient: User, on: date) -> CheckIn | None:
    return CheckIn.objects.filter(patient=patient, date=on).first()


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


def _score_rows(patient: User, start: date, end: date) -> list[dict]:
    return list(
        CheckIn.objects.filter(patient=patient, date__gte=start, date__lte=end)
        .order_by("date")
        .values("date", *CheckIn.SCORE_FIELDS)
    )


def week_comparison(*, profile: PatientProfile, now: datetime | None = None) -> list[Comparison]:
    """This week (the last 7 days) against last week (the 7 days before), per score."""
    today = local_today(profile, now)
    rows = _score_rows(profile.user, today - timedelta(days=13), today)
    this_week = (today - timedelta(days=6), today)
    last_week = (today - timedelta(days=13), today - timedelta(days=7))
    return [
        Comparison(
            key, label, window_mean(rows, key, *this_week), window_mean(rows, key, *last_week)
        )
        for key, label in MEASURES
    ]


# --- progress ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdviceEntry:
    flag: Flag
    advice: str

    @property
    def is_seen(self) -> bool:
        return self.flag.status == FlagStatus.ACKNOWLEDGED


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
    adherence: dict
    advice: list[AdviceEntry]


def _calendar(adherence: dict, today: date) -> list[list[CalendarDay | None]]:
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
    first_rows = list(
        CheckIn.objects.filter(patient=patient, date__lte=today)
        .order_by("date")
        .values("date", *CheckIn.SCORE_FIELDS)[:7]
    )
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
                label,
                window_mean(recent, key, *last_7),
                window_mean(first_rows, key, *first_week),
            )
            for key, label in MEASURES
        ]
    drawn = [
        (
            key,
            label,
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
    unresolved = flags_for_patient(user=patient, patient=patient).exclude(
        status=FlagStatus.RESOLVED
    )
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
        advice=[AdviceEntry(flag, patient_advice(flag, language=language)) for flag in unresolved],
    )


# --- reminders -----------------------------------------------------------------------------------


@dataclass
class RemindersPage:
    stand_up: ReminderSchedule | None
    checkin: ReminderSchedule | None
    inbox: list[InboxMessage]
    unread_count: int
    is_paused: bool


def checkin_schedule(*, patient: User) -> ReminderSchedule | None:
    return ReminderSchedule.objects.filter(user=patient, kind=Kind.CHECKIN, key="").first()


def patient_reminders(*, patient: User, now: datetime | None = None) -> RemindersPage:
    now = now or timezone.now()
    stand_up = stand_up_schedule(patient=patient)
    return RemindersPage(
        stand_up=stand_up,
        checkin=checkin_schedule(patient=patient),
        inbox=list(reminder_selectors.inbox_for_user(user=patient)[:INBOX_SHOWN]),
        unread_count=reminder_selectors.inbox_unread_count(user=patient),
        is_paused=bool(stand_up and stand_up.paused_until and stand_up.paused_until > now),
    )
