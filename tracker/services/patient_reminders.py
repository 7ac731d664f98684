"""What tracker tells reminders about a patient: their schedules, programme and time zone.

CLINICAL.md §5: a stand-up reminder every 30-40 minutes of active hours (default 35), the
exercise reminders at the times the programme's dosage implies, and a daily check-in.
"""

from exercises.dosage import item_dosage
from reminders.services import (
    ExerciseReminder,
    reminder_schedule_upsert,
    reminder_schedules_sync_exercises,
    reminder_user_settings_set,
)
from tracker.models import AssignmentItem, PatientProfile, ProgrammeAssignment

# Times of day for "n times a day" (heat 2-3x/day, A3; ankle pumps and walking daily, A0),
# spread over waking hours.
TIMES_FOR_DAILY_COUNT = {
    1: ["10:00"],
    2: ["10:00", "17:00"],
    3: ["09:00", "14:00", "19:00"],
}
# The stand-up break is its own schedule (interval, not times of day).
NOT_AN_EXERCISE_REMINDER = {"stand_up_break"}


def patient_reminders_set_up(*, profile: PatientProfile) -> None:
    """A new patient gets a stand-up reminder and a daily check-in reminder in their own time
    zone and language; both can be changed or switched off on the reminders page."""
    common = {"timezone": profile.timezone, "language": profile.language}
    reminder_schedule_upsert(user=profile.user, kind="stand_up", **common)
    reminder_schedule_upsert(user=profile.user, kind="checkin", **common)


def _exercise_reminder(item: AssignmentItem) -> ExerciseReminder:
    dosage = item_dosage(item)
    per_day = min(max(dosage.times_per_day or 1, 1), max(TIMES_FOR_DAILY_COUNT))
    return ExerciseReminder(
        key=item.exercise.key,
        name_zh=item.exercise.name_zh,
        name_en=item.exercise.name_en,
        dosage_zh=dosage.text_zh,
        dosage_en=dosage.text_en,
        times_of_day=tuple(TIMES_FOR_DAILY_COUNT[per_day]),
    )


def programme_reminders_sync(*, profile: PatientProfile, assignment: ProgrammeAssignment) -> None:
    """The exercise reminders follow the current programme version."""
    items = assignment.items.select_related("exercise").exclude(
        exercise__key__in=NOT_AN_EXERCISE_REMINDER
    )
    reminder_schedules_sync_exercises(
        user=profile.user,
        exercises=[_exercise_reminder(item) for item in items],
        timezone_name=profile.timezone,
        language=profile.language,
    )


def patient_reminders_follow_profile(*, profile: PatientProfile) -> None:
    reminder_user_settings_set(
        user=profile.user, timezone_name=profile.timezone, language=profile.language
    )
