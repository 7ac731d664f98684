"""What tracker calls: activity, check-ins, programmes, settings."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from reminders import services
from reminders.models import Delivery, ReminderSchedule, Status
from tests.reminders.factories import CheckInScheduleFactory, StandUpScheduleFactory

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


def test_a_logged_session_pushes_the_next_stand_up_back(patient):
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW + timedelta(minutes=5))

    services.activity_recorded(user=patient, at=NOW)

    schedule.refresh_from_db()
    assert schedule.next_due_at == NOW + timedelta(minutes=35)


def test_an_old_session_logged_late_does_not_pull_the_reminder_earlier(patient):
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW + timedelta(minutes=30))

    services.activity_recorded(user=patient, at=NOW - timedelta(hours=1))

    schedule.refresh_from_db()
    assert schedule.next_due_at == NOW + timedelta(minutes=30)


def test_checkin_recorded_also_skips_a_reminder_written_but_not_yet_sent(
    patient, django_capture_on_commit_callbacks
):
    schedule = CheckInScheduleFactory(user=patient, next_due_at=NOW)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks():
        services.reminders_dispatch()

    services.checkin_recorded(user=patient, on=date(2026, 6, 1))

    [row] = Delivery.objects.filter(schedule=schedule)
    assert row.status == Status.SKIPPED


def test_upsert_creates_defaults_and_refuses_an_interval_outside_30_to_40(patient):
    with time_machine.travel(NOW, tick=False):
        schedule = services.reminder_schedule_upsert(
            user=patient, kind="stand_up", timezone="Asia/Shanghai"
        )
    assert schedule.interval_minutes == 35
    assert schedule.next_due_at == NOW + timedelta(minutes=35)

    with translation.override("en"), pytest.raises(ValidationError, match="between 30 and 40"):
        services.reminder_schedule_upsert(user=patient, kind="stand_up", interval_minutes=90)
    schedule.refresh_from_db()
    assert schedule.interval_minutes == 35


def test_the_database_refuses_a_stand_up_interval_outside_30_to_40(patient):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StandUpScheduleFactory(user=patient, interval_minutes=20)


def test_syncing_a_programme_keeps_one_reminder_per_exercise(patient):
    item = services.ExerciseReminder(
        key="five-point-bridge",
        name_zh="五点支撑",
        name_en="Five-point bridge",
        dosage_zh="保持 10 秒，做 10 组",
        dosage_en="hold 10 s, 10 sets",
        times_of_day=("09:00", "18:00"),
    )
    walk = services.ExerciseReminder(
        key="walk",
        name_zh="步行",
        name_en="Walk",
        dosage_zh="",
        dosage_en="",
        times_of_day=("16:00",),
    )
    with time_machine.travel(NOW, tick=False):
        services.reminder_schedules_sync_exercises(user=patient, exercises=[item, walk])
        services.reminder_schedules_sync_exercises(user=patient, exercises=[item])

    schedules = {s.key: s for s in ReminderSchedule.objects.filter(user=patient, kind="exercise")}
    assert set(schedules) == {"five-point-bridge", "walk"}
    assert schedules["five-point-bridge"].is_enabled
    assert schedules["five-point-bridge"].next_due_at == datetime(2026, 6, 1, 10, tzinfo=UTC)
    assert not schedules["walk"].is_enabled and schedules["walk"].next_due_at is None


def test_moving_to_another_time_zone_moves_the_reminders(patient):
    with time_machine.travel(NOW, tick=False):
        services.reminder_schedule_upsert(
            user=patient, kind="checkin", times_of_day=["20:00"], timezone="Asia/Shanghai"
        )
        services.reminder_user_settings_set(user=patient, timezone_name="Europe/Berlin")

    schedule = ReminderSchedule.objects.get(user=patient, kind="checkin")
    assert schedule.next_due_at == datetime(2026, 6, 1, 18, tzinfo=UTC)  # 20:00 CEST


def test_a_snooze_that_would_land_in_quiet_hours_waits_for_them_to_end(patient):
    from datetime import time

    schedule = StandUpScheduleFactory(
        user=patient, quiet_from=time(12), quiet_until=time(13), next_due_at=NOW
    )
    with time_machine.travel(datetime(2026, 6, 1, 3, 55, tzinfo=UTC), tick=False):  # 11:55
        schedule = services.reminder_snooze(schedule=schedule)

    assert schedule.next_due_at == datetime(2026, 6, 1, 5, 35, tzinfo=UTC)  # 13:35
