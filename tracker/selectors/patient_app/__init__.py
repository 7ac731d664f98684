"""Reads for the patient's own pages (/app/): today's programme, progress, the check-in's
week-on-week comparison and the reminder settings. Always the signed-in patient's own rows.

Each page is a handful of queries whatever the history's length: check-ins are read as plain
values over the chart's window, sessions as (date, exercise) pairs.
"""

from reminders.languages import is_english
from tracker.patient_calendar import local_today
from tracker.selectors.patient_app.common import (
    PROGRESS_RANGES,
    patient_is_new,
    patient_profile_for,
)
from tracker.selectors.patient_app.emergency import (
    EmergencyScreen,
    emergency_screen,
    urgent_answers,
)
from tracker.selectors.patient_app.guides import patient_guide_page, patient_guides
from tracker.selectors.patient_app.progress import (
    ADVICE_RECENT_DAYS,
    advice_entry,
    checkin_flags,
    patient_progress,
    week_comparison,
)
from tracker.selectors.patient_app.reminders import (
    Schedules,
    checkin_schedule,
    patient_reminders,
    patient_schedules,
)
from tracker.selectors.patient_app.today import (
    assignment_item_for,
    checkin_for,
    current_assignment_items,
    patient_today,
    stand_up_schedule,
)

__all__ = [
    "ADVICE_RECENT_DAYS",
    "PROGRESS_RANGES",
    "EmergencyScreen",
    "Schedules",
    "advice_entry",
    "assignment_item_for",
    "checkin_flags",
    "checkin_for",
    "checkin_schedule",
    "current_assignment_items",
    "emergency_screen",
    "is_english",
    "local_today",
    "patient_guide_page",
    "patient_guides",
    "patient_is_new",
    "patient_profile_for",
    "patient_progress",
    "patient_reminders",
    "patient_schedules",
    "patient_today",
    "stand_up_schedule",
    "urgent_answers",
    "week_comparison",
]
