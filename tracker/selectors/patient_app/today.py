"""Today's programme and stand-up break."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

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
from tracker.selectors.patient_app.rows import Columns, converted, date_param, fetch, quoted

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
    # Hand-written (rows.py): the items of the newest version (ProgrammeAssignment's own order,
    # -version) starting on or before today, each with its exercise's updated_at (the catalogue
    # store's stamp) and its programme's start; none when no version has started.
    rows = fetch(_ITEMS_SQL, [patient.pk, date_param(today)])
    items: list[AssignmentItem] = []
    stamps: dict[int, datetime] = {}
    for row in rows:
        item = _ITEM.instance(row[: len(_ITEM)])
        stamps[item.exercise_id] = converted(_EXERCISE_UPDATED_AT, row[-2])
        item.programme_starts_on = converted(_STARTS_ON, row[-1])  # type: ignore[attr-defined]  # as the ORM's annotation
        items.append(item)
    exercises = catalogue_exercises(stamps)
    for item in items:
        if item.exercise_id in exercises:  # else deleted meanwhile: read as before
            item.exercise = exercises[item.exercise_id]
    return items


_ITEM = Columns(AssignmentItem, "i")
_ASSIGNMENTS = quoted(ProgrammeAssignment._meta.db_table)
_ITEMS_SQL = (
    f"SELECT {_ITEM.sql}, e.updated_at, a.starts_on FROM {quoted(AssignmentItem._meta.db_table)} i"  # noqa: S608 - names from the models; values as parameters
    f" JOIN {_ASSIGNMENTS} a ON a.id = i.assignment_id"
    f" JOIN {quoted(Exercise._meta.db_table)} e ON e.id = i.exercise_id"
    f" WHERE i.assignment_id = (SELECT n.id FROM {_ASSIGNMENTS} n"
    "  WHERE n.patient_id = %s AND n.starts_on <= %s ORDER BY n.version DESC LIMIT 1)"
    " ORDER BY i.position, i.id"
)
_EXERCISE_UPDATED_AT = Exercise._meta.get_field("updated_at")
_STARTS_ON = ProgrammeAssignment._meta.get_field("starts_on")


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
    # Hand-written (rows.py): this week's sessions up to today, newest first.
    for row in fetch(_SESSIONS_SQL, [patient.pk, date_param(week_start), date_param(today)]):
        public_id, item_id, exercise_id, performed_at, on = _SESSION.values(row)
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
    # The patient's one stand-up schedule (unique per user, kind and key), hand-written.
    rows = fetch(_SCHEDULE_SQL, [patient.pk, Kind.STAND_UP.value, ""])
    schedule = _SCHEDULE.instance(rows[0]) if rows else None
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
    # (The days are today and the ones just before it: one range.)
    first_day = min([today, *missed_days])
    checked_in = {
        _CHECKIN_DATE.values(row)[0]
        for row in fetch(_CHECKINS_SQL, [patient.pk, date_param(first_day), date_param(today)])
    }
    # The open or acknowledged urgent flags (Flag's own order), only what urgent_answers reads.
    urgent_flags = [
        _FLAG.instance(row)
        for row in fetch(
            _URGENT_FLAGS_SQL,
            [
                patient.pk,
                FlagSeverity.URGENT.value,
                FlagStatus.OPEN.value,
                FlagStatus.ACKNOWLEDGED.value,
            ],
        )
    ]
    return TodayPage(
        profile=profile,
        today=today,
        items=[entry for entry in entries if entry.is_due],
        rest=[entry for entry in entries if not entry.is_due],
        stand_up=stand_up,
        has_reminders=schedule is not None,
        has_checkin_today=today in checked_in,
        missed_checkins=[day for day in missed_days if day not in checked_in],
        urgent_flags=urgent_flags,
    )


TODAY_SCHEDULE_FIELDS = ("id", "is_enabled", "interval_minutes", "next_due_at", "paused_until")
TODAY_FLAG_FIELDS = ("id", "rule", "severity", "status", "latest_evidence")  # urgent_answers
# In the model's order (Columns reads them so): unpacked in this order above.
_SESSION = Columns(
    SessionLog, "s", ("public_id", "item", "exercise", "performed_at", "performed_on")
)
assert _SESSION.attnames == ["public_id", "item_id", "exercise_id", "performed_at", "performed_on"]
_SCHEDULE = Columns(ReminderSchedule, "r", TODAY_SCHEDULE_FIELDS)
_CHECKIN_DATE = Columns(CheckIn, "c", ("date",))
_FLAG = Columns(Flag, "f", TODAY_FLAG_FIELDS)
# Today's hand-written reads (rows.py): names from the models, values as parameters.
_SESSIONS_SQL = (
    f"SELECT {_SESSION.sql} FROM {quoted(SessionLog._meta.db_table)} s WHERE s.patient_id = %s"  # noqa: S608
    " AND s.performed_on >= %s AND s.performed_on <= %s ORDER BY s.performed_at DESC"
)
_SCHEDULE_SQL = (
    f"SELECT {_SCHEDULE.sql} FROM {quoted(ReminderSchedule._meta.db_table)} r WHERE r.user_id = %s"  # noqa: S608
    ' AND r.kind = %s AND r."key" = %s ORDER BY r.id'
)
_CHECKINS_SQL = (
    f'SELECT c."date" FROM {quoted(CheckIn._meta.db_table)} c WHERE c.patient_id = %s'  # noqa: S608
    ' AND c."date" >= %s AND c."date" <= %s'
)
_URGENT_FLAGS_SQL = (
    f"SELECT {_FLAG.sql} FROM {quoted(Flag._meta.db_table)} f WHERE f.patient_id = %s"  # noqa: S608
    " AND f.severity = %s AND f.status IN (%s, %s)"
    " ORDER BY f.last_evidence_on DESC, f.opened_at DESC"
)
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
