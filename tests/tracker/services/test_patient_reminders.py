"""Tracker keeps reminders in step: a new patient's schedules, the programme, sessions, zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from reminders.models import ReminderSchedule
from tracker.services.assignments import assignment_change
from tracker.services.patients import patient_create, patient_update
from tracker.services.sessions import session_log_create


def new_patient(therapist, **profile):
    return patient_create(
        therapist=therapist,
        username="new.patient",
        password="Lumbar-Spine-2026",
        display_name="新患者",
        **profile,
    )


def test_a_new_patient_gets_stand_up_and_checkin_reminders_in_their_zone(therapist, now):
    profile = new_patient(therapist, timezone="Europe/Berlin", language="en")

    schedules = {s.kind: s for s in ReminderSchedule.objects.filter(user=profile.user)}
    assert set(schedules) == {"stand_up", "checkin"}
    assert schedules["stand_up"].interval_minutes == 35  # between A1's 30 and A3's 40
    assert schedules["checkin"].times_of_day == ["20:00"]
    assert {s.timezone for s in schedules.values()} == {"Europe/Berlin"}
    assert {s.language for s in schedules.values()} == {"en"}
    assert all(s.next_due_at is not None for s in schedules.values())


def test_a_programme_brings_exercise_reminders_naming_exercise_and_dosage(patient, therapist, now):
    assignment_change(patient=patient, therapist=therapist, template_key="disc_recovery")

    exercise = ReminderSchedule.objects.filter(user=patient, kind="exercise", is_enabled=True)
    bridge = exercise.get(key="five_point_bridge")
    assert bridge.label_zh == "五点支撑"
    assert "10 秒" in bridge.detail_zh and "10 组" in bridge.detail_zh
    assert bridge.times_of_day == ["10:00"]


def test_heat_two_to_three_times_a_day_is_reminded_twice(patient, therapist, now):
    assignment_change(patient=patient, therapist=therapist, template_key="acute_sciatica")

    heat = ReminderSchedule.objects.get(user=patient, kind="exercise", key="heat_therapy")
    assert heat.times_of_day == ["10:00", "17:00"]
    # The stand-up break has its own interval schedule, not an exercise reminder.
    assert not ReminderSchedule.objects.filter(user=patient, key="stand_up_break").exists()


def test_changing_the_programme_switches_off_reminders_for_dropped_exercises(
    patient, therapist, now
):
    assignment_change(patient=patient, therapist=therapist, template_key="disc_recovery")
    assignment_change(patient=patient, therapist=therapist, remove=["plank"])

    plank = ReminderSchedule.objects.get(user=patient, kind="exercise", key="plank")
    assert plank.is_enabled is False and plank.next_due_at is None


def test_a_logged_session_pushes_the_next_stand_up_back(therapist, now):
    profile = new_patient(therapist, timezone="Asia/Shanghai")
    stand_up = ReminderSchedule.objects.get(user=profile.user, kind="stand_up")
    stand_up.active_from, stand_up.active_until = datetime.min.time(), datetime.max.time()
    stand_up.next_due_at = timezone.now() + timedelta(minutes=5)
    stand_up.save()

    session_log_create(patient=profile.user, exercise_key="brisk_walk", minutes=20)

    stand_up.refresh_from_db()
    assert stand_up.next_due_at >= timezone.now() + timedelta(minutes=30)


def test_moving_time_zone_moves_every_reminder(therapist, now):
    profile = new_patient(therapist, timezone="Asia/Shanghai")

    patient_update(profile=profile, actor=therapist, timezone="America/New_York")

    schedules = ReminderSchedule.objects.filter(user=profile.user)
    assert {s.timezone for s in schedules} == {"America/New_York"}
    checkin = schedules.get(kind="checkin")
    assert checkin.next_due_at.astimezone(ZoneInfo("America/New_York")).hour == 20
