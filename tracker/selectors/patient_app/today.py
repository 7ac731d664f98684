"""Today's programme and stand-up break."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from django.db.models import F, Subquery
from django.utils import timezone

from exercises.dosage import Dosage, item_dosage
from exercises.guides import GUIDE_PICTURE_DIR
from exercises.models import Exercise
from reminders.languages import is_english
from reminders.models import Kind, ReminderSchedule
from tracker.models import (
    AssignmentItem,
    CheckIn,
    Flag,
    FlagSeverity,
    FlagStatus,
    PatientProfile,
    ProgrammeAssignment,
    SessionLog,
    User,
)
from tracker.patient_calendar import local_today
from tracker.selectors.patient_app.exercises import catalogue_exercises

# anything else gets its category's, then a generic one.
STAND_UP_KEY = "stand_up_break"
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


# One of today's sessions of an item: (its public id, when it was done).
TodaySession = tuple[UUID, datetime]


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
    note: str = ""  # the therapist's or template's note, in the reader's language
    # Today's sessions of this item, newest first: (public id, done at), for "Undo" and for
    # asking before a second "Done" within a minute.
    sessions_today: tuple[TodaySession, ...] = ()
    guide_picture: str = ""  # the guide's first picture (a static path), if it has a guide

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
    # Yesterday and the day before, when they have no check-in (and the patient was here then):
    # the app lets them be entered late.
    missed_checkins: list[date] = field(default_factory=list)

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
    """The items of the programme version in effect today (the newest that has started), in
    order, with their exercise (from the per-process catalogue store) and, as
    `programme_starts_on`, the programme's start: one query while the catalogue stands."""
    newest = (
        ProgrammeAssignment.objects.filter(patient=patient, starts_on__lte=today)
        .order_by("-version")
        .values("pk")[:1]
    )
    items: list[AssignmentItem] = list(
        AssignmentItem.objects.filter(assignment=Subquery(newest))
        .annotate(
            exercise_updated_at=F("exercise__updated_at"),
            programme_starts_on=F("assignment__starts_on"),
        )
        .order_by("position")
    )
    exercises = catalogue_exercises(
        {item.exercise_id: item.exercise_updated_at for item in items}  # type: ignore[attr-defined]  # annotated above
    )
    for item in items:
        if item.exercise_id in exercises:  # else deleted meanwhile: read as before
            item.exercise = exercises[item.exercise_id]
    return items


def _today_item(
    item: AssignmentItem,
    *,
    today: date,
    week_start: date,
    logged: Counter[tuple[date, int]],
    english: bool,
    sessions: dict[int, list[TodaySession]] | None = None,
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
        note=item.note_in("en" if english else "zh-hans"),
        sessions_today=tuple((sessions or {}).get(item.pk, ())),
        guide_picture=_guide_picture(exercise),
    )


def _guide_picture(exercise: Exercise) -> str:
    pictures = (exercise.guide or {}).get("pictures") or []
    return GUIDE_PICTURE_DIR + pictures[0]["file"] if pictures else ""


def stand_up_schedule(*, patient: User) -> ReminderSchedule | None:
    return ReminderSchedule.objects.filter(user=patient, kind=Kind.STAND_UP, key="").first()


def patient_today(*, profile: PatientProfile, now: datetime | None = None) -> TodayPage:
    patient = profile.user
    now = now or timezone.now()
    today = local_today(profile, now)
    week_start = today - timedelta(days=today.weekday())
    # The stand-up break has its own card ("I moved"); it is not also an exercise card. An item
    # planned to start later, or past its weeks, is not owed today.
    items = [
        item
        for item in current_assignment_items(patient=patient, today=today)
        if item.exercise.key != STAND_UP_KEY
        and item.is_active_on(
            today,
            programme_starts_on=item.programme_starts_on,  # type: ignore[attr-defined]  # annotated
        )
    ]
    # This week's sessions, newest first (one query): today's per item, days per exercise.
    sessions: dict[int, list[TodaySession]] = {}
    logged: Counter[tuple[date, int]] = Counter()
    for on, exercise_id, item_id, public_id, performed_at in (
        SessionLog.objects.filter(
            patient=patient, performed_on__gte=week_start, performed_on__lte=today
        )
        .order_by("-performed_at")
        .values_list("performed_on", "exercise_id", "item_id", "public_id", "performed_at")
    ):
        logged[(on, exercise_id)] += 1
        if on == today and item_id is not None:
            sessions.setdefault(item_id, []).append((public_id, performed_at))
    english = is_english()
    entries = [
        _today_item(
            item,
            today=today,
            week_start=week_start,
            logged=logged,
            english=english,
            sessions=sessions,
        )
        for item in items
    ]
    # Only what the card shows (a read-only copy: the ORM's cost grows with the columns).
    schedule = (
        ReminderSchedule.objects.filter(user=patient, kind=Kind.STAND_UP, key="")
        .only(*TODAY_SCHEDULE_FIELDS)
        .first()
    )
    stand_up = None
    if schedule is not None:
        stand_up = StandUp(
            schedule=schedule,
            next_due_at=schedule.next_due_at.astimezone(profile.tzinfo)
            if schedule.next_due_at
            else None,
            is_paused=bool(schedule.paused_until and schedule.paused_until > now),
        )
    # Today's check-in and the days that may be entered late: one query.
    missed_days = _late_checkin_days(profile, today)
    checked_in = set(
        CheckIn.objects.filter(patient=patient, date__in=[today, *missed_days]).values_list(
            "date", flat=True
        )
    )
    return TodayPage(
        profile=profile,
        today=today,
        items=[entry for entry in entries if entry.is_due],
        rest=[entry for entry in entries if not entry.is_due],
        stand_up=stand_up,
        has_reminders=schedule is not None,
        has_checkin_today=today in checked_in,
        missed_checkins=[day for day in missed_days if day not in checked_in],
        urgent_flags=list(
            Flag.objects.filter(
                patient=patient,
                severity=FlagSeverity.URGENT,
                status__in=(FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED),
            ).only(*TODAY_FLAG_FIELDS)
        ),
    )


TODAY_SCHEDULE_FIELDS = ("id", "is_enabled", "interval_minutes", "next_due_at", "paused_until")
TODAY_FLAG_FIELDS = ("id", "rule", "severity", "status", "latest_evidence")  # urgent_answers
MISSED_CHECKIN_DAYS = 2  # views.app.checkin.APP_BACKDATE_DAYS


def _late_checkin_days(profile: PatientProfile, today: date) -> list[date]:
    """Yesterday and the day before, if the patient was here then."""
    joined = local_today(profile, profile.created_at)
    return [
        today - timedelta(days=n)
        for n in range(1, MISSED_CHECKIN_DAYS + 1)
        if today - timedelta(days=n) >= joined
    ]


def assignment_item_for(*, patient: User, item_id: UUID) -> AssignmentItem | None:
    return (
        AssignmentItem.objects.filter(public_id=item_id, assignment__patient=patient)
        .select_related("exercise")
        .first()
    )


# --- check-in ------------------------------------------------------------------------------------


def checkin_for(*, patient: User, on: date) -> CheckIn | None:
    return CheckIn.objects.filter(patient=patient, date=on).first()
