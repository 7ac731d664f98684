from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reminders import conf
from reminders.models import Delivery, Kind, ReminderSchedule, Status
from reminders.schedule_values import MAX_PAUSE_DAYS, STAND_UP_DEFAULT_MINUTES
from reminders.scheduling import (
    Rules,
    is_active_instant,
    is_quiet_instant,
    next_occurrence,
    parse_times,
    resolve_wall_time,
)
from reminders.users import User

# Fields a caller may set on a schedule (the rest is bookkeeping).
SETTABLE_FIELDS = {
    "is_enabled",
    "timezone",
    "language",
    "active_from",
    "active_until",
    "weekdays",
    "quiet_from",
    "quiet_until",
    "interval_minutes",
    "times_of_day",
    "channels",
    "paused_until",
    "label_zh",
    "label_en",
    "detail_zh",
    "detail_en",
    "url",
}
# Changing any other settable field moves the next reminder.
TEXT_FIELDS = {"language", "channels", "label_zh", "label_en", "detail_zh", "detail_en", "url"}
TIMING_FIELDS = SETTABLE_FIELDS - TEXT_FIELDS
# The daily check-in reminder's time, unless the person chose another (CLINICAL.md §5).
CHECKIN_DEFAULT_TIME = "20:00"
# The stand-up's channels and quiet hours are the person's "how and when I may be disturbed":
# the daily check-in reminder follows them, whether they were changed on the page or the API.
FOLLOWS_STAND_UP = ("channels", "quiet_from", "quiet_until")


def reminder_schedule_defaults(*, kind: str) -> ReminderSchedule:
    """A new schedule of `kind` as it starts (unsaved): the one place its defaults are written,
    for new schedules and for the settings page before a person has one."""
    schedule = ReminderSchedule(kind=kind)
    if kind == Kind.STAND_UP:
        schedule.interval_minutes = STAND_UP_DEFAULT_MINUTES
        schedule.times_of_day = []
    if kind in (Kind.CHECKIN, Kind.EXERCISE, Kind.THERAPIST_DIGEST):
        schedule.channels = ["email", "push"]
    if kind == Kind.CHECKIN:
        schedule.times_of_day = [CHECKIN_DEFAULT_TIME]
    return schedule


def _checkin_follows_stand_up(stand_up: ReminderSchedule) -> None:
    if stand_up.kind != Kind.STAND_UP:
        return
    checkin = ReminderSchedule.objects.filter(user_id=stand_up.user_id, kind=Kind.CHECKIN).first()
    if checkin is not None:
        reminder_schedule_update(
            schedule=checkin,
            data={name: getattr(stand_up, name) for name in FOLLOWS_STAND_UP},
        )


@dataclass(frozen=True)
class ExerciseReminder:
    """One exercise of a programme, as tracker describes it: texts already in both languages."""

    key: str
    name_zh: str
    name_en: str
    dosage_zh: str
    dosage_en: str
    times_of_day: tuple[str, ...]


def schedule_rules(schedule: ReminderSchedule) -> Rules:
    return Rules(
        timezone=schedule.timezone,
        active_from=schedule.active_from,
        active_until=schedule.active_until,
        weekdays=frozenset(schedule.weekdays),
        quiet_from=schedule.quiet_from,
        quiet_until=schedule.quiet_until,
        interval_minutes=schedule.interval_minutes if schedule.kind == Kind.STAND_UP else None,
        times_of_day=parse_times(schedule.times_of_day) if schedule.kind != Kind.STAND_UP else (),
    )


def schedule_next_due(schedule: ReminderSchedule, *, after: datetime) -> datetime | None:
    """The next reminder after `after`, never before the end of a pause."""
    if not schedule.is_enabled:
        return None
    rules = schedule_rules(schedule)
    if schedule.paused_until and schedule.paused_until > after:
        after = schedule.paused_until
    return next_occurrence(rules, after=after)


def _local_midnight_after(schedule: ReminderSchedule, now: datetime) -> datetime:
    zone = ZoneInfo(schedule.timezone)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return resolve_wall_time(tomorrow, time(0, 0), zone)


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - SETTABLE_FIELDS
    if unknown:
        raise TypeError(f"not settable: {', '.join(sorted(unknown))}")
    for name in ("active_from", "active_until", "quiet_from", "quiet_until"):
        if isinstance(fields.get(name), str):
            fields[name] = time.fromisoformat(fields[name])
    if "times_of_day" in fields:
        fields["times_of_day"] = [t.strftime("%H:%M") for t in parse_times(fields["times_of_day"])]
    if "weekdays" in fields:
        fields["weekdays"] = sorted(set(fields["weekdays"]))
    if "channels" in fields:
        fields["channels"] = sorted(set(fields["channels"]))
    return fields


@transaction.atomic
def reminder_schedule_upsert(
    *, user: User, kind: str, key: str = "", **fields: Any
) -> ReminderSchedule:
    """Create or change one person's schedule of one kind (and key), then place its next due
    time. Validated like a form: a stand-up interval outside 30-40 is a ValidationError."""
    fields = _normalise(dict(fields))
    schedule = (
        ReminderSchedule.objects.select_for_update().filter(user=user, kind=kind, key=key).first()
    )
    if schedule is None:
        schedule = reminder_schedule_defaults(kind=kind)
        schedule.user, schedule.key = user, key
    if kind == Kind.CHECKIN:
        stand_up = ReminderSchedule.objects.filter(user=user, kind=Kind.STAND_UP).first()
        if stand_up is not None:
            fields = {**{name: getattr(stand_up, name) for name in FOLLOWS_STAND_UP}, **fields}
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.next_due_at = schedule_next_due(schedule, after=timezone.now())
    schedule.full_clean(exclude=["user"])
    schedule.save()
    if set(FOLLOWS_STAND_UP) & set(fields):
        _checkin_follows_stand_up(schedule)
    return schedule


@transaction.atomic
def reminder_schedule_update(
    *, schedule: ReminderSchedule, data: dict[str, Any]
) -> ReminderSchedule:
    """A person changing their own settings. Saving the same values twice changes nothing."""
    data = _normalise(dict(data))
    paused_until = data.get("paused_until")
    if paused_until and paused_until > timezone.now() + timedelta(days=MAX_PAUSE_DAYS):
        raise ValidationError(
            {
                "paused_until": _("A reminder can be paused for at most %(days)d days.")
                % {"days": MAX_PAUSE_DAYS}
            }
        )
    schedule = ReminderSchedule.objects.select_for_update().get(pk=schedule.pk)
    changed = {name for name, value in data.items() if getattr(schedule, name) != value}
    for name in changed:
        setattr(schedule, name, data[name])
    if changed & TIMING_FIELDS:
        schedule.next_due_at = schedule_next_due(schedule, after=timezone.now())
    if changed:
        schedule.full_clean(exclude=["user"])
        schedule.save()
    if changed & set(FOLLOWS_STAND_UP):
        _checkin_follows_stand_up(schedule)
    return schedule


@transaction.atomic
def reminder_schedules_sync_exercises(
    *,
    user: User,
    exercises: Iterable[ExerciseReminder],
    timezone_name: str | None = None,
    language: str | None = None,
) -> list[ReminderSchedule]:
    """Make the exercise reminders match a programme: one schedule per exercise key; the
    exercises no longer in it are switched off (kept, with their history)."""
    extra: dict[str, Any] = {}
    if timezone_name:
        extra["timezone"] = timezone_name
    if language:
        extra["language"] = language
    schedules = []
    keys = []
    for item in exercises:
        keys.append(item.key)
        schedules.append(
            reminder_schedule_upsert(
                user=user,
                kind=Kind.EXERCISE,
                key=item.key,
                is_enabled=True,
                label_zh=item.name_zh,
                label_en=item.name_en,
                detail_zh=item.dosage_zh,
                detail_en=item.dosage_en,
                times_of_day=list(item.times_of_day),
                **extra,
            )
        )
    ReminderSchedule.objects.filter(user=user, kind=Kind.EXERCISE).exclude(key__in=keys).update(
        is_enabled=False, next_due_at=None
    )
    return schedules


@transaction.atomic
def reminder_user_settings_set(
    *, user: User, timezone_name: str | None = None, language: str | None = None
) -> None:
    """A person moved to another zone or changed language: every schedule follows."""
    data: dict[str, Any] = {}
    if timezone_name:
        data["timezone"] = timezone_name
    if language:
        data["language"] = language
    for schedule in ReminderSchedule.objects.filter(user=user):
        reminder_schedule_update(schedule=schedule, data=data)


def activity_recorded(*, user: User, at: datetime) -> int:
    """A logged session or an "I moved": every stand-up timer of this person restarts from `at`.
    Only ever pushes the next reminder back; an old session logged late moves nothing."""
    moved = 0
    with transaction.atomic():
        for schedule in ReminderSchedule.objects.select_for_update().filter(
            user=user, kind=Kind.STAND_UP, is_enabled=True
        ):
            restarted = schedule_next_due(schedule, after=at)
            if restarted is None:
                continue
            if schedule.next_due_at is None or restarted > schedule.next_due_at:
                schedule.next_due_at = restarted
                schedule.save(update_fields=["next_due_at", "updated_at"])
                moved += 1
    return moved


def stand_up_moved(*, user: User, now: datetime | None = None) -> int:
    return activity_recorded(user=user, at=now or timezone.now())


def checkin_recorded(*, user: User, on: date) -> None:
    """Today's check-in is in: the check-in reminder for that local date is skipped, including
    one already written but not yet sent."""
    # savepoint=False: called inside the check-in's transaction, on its hot path.
    with transaction.atomic(savepoint=False):
        schedules = list(
            ReminderSchedule.objects.select_for_update().filter(user=user, kind=Kind.CHECKIN)
        )
        for schedule in schedules:
            if schedule.checkin_done_on is None or schedule.checkin_done_on < on:
                schedule.checkin_done_on = on
                schedule.save(update_fields=["checkin_done_on", "updated_at"])
        pending = Delivery.objects.filter(
            schedule__in=schedules, status=Status.PENDING
        ).select_related("schedule")
        skip = [
            row.pk
            for row in pending
            if row.schedule is not None and row.due_at.astimezone(_zone(row.schedule)).date() == on
        ]
        Delivery.objects.filter(pk__in=skip, status=Status.PENDING).update(
            status=Status.SKIPPED, last_error="today's check-in is in", locked_until=None
        )


def _zone(schedule: ReminderSchedule) -> ZoneInfo:
    return ZoneInfo(schedule.timezone)


@transaction.atomic
def reminder_snooze(*, schedule: ReminderSchedule, now: datetime | None = None) -> ReminderSchedule:
    """Remind again in 10 minutes (or at the next allowed time if that is in quiet hours)."""
    now = now or timezone.now()
    schedule = ReminderSchedule.objects.select_for_update().get(pk=schedule.pk)
    candidate = now + conf.SNOOZE
    rules = schedule_rules(schedule)
    if schedule.kind == Kind.STAND_UP:
        allowed = is_active_instant(rules, candidate)
    else:
        allowed = not is_quiet_instant(rules, candidate)
    schedule.next_due_at = candidate if allowed else schedule_next_due(schedule, after=now)
    schedule.paused_until = None
    schedule.save(update_fields=["next_due_at", "paused_until", "updated_at"])
    return schedule


@transaction.atomic
def reminder_pause(*, schedule: ReminderSchedule, now: datetime | None = None) -> ReminderSchedule:
    """No more of this reminder today; it resumes tomorrow (local midnight) as usual."""
    now = now or timezone.now()
    schedule = ReminderSchedule.objects.select_for_update().get(pk=schedule.pk)
    schedule.paused_until = _local_midnight_after(schedule, now)
    schedule.next_due_at = schedule_next_due(schedule, after=now)
    schedule.save(update_fields=["next_due_at", "paused_until", "updated_at"])
    return schedule
