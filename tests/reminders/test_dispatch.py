"""The dispatcher turns due schedules into outbox rows, once each, and advances them."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection, connections

from reminders import services
from reminders.models import Delivery, DigestItem, InboxMessage, ReminderSchedule, Status
from tests.factories import TherapistFactory
from tests.reminders.factories import (
    CheckInScheduleFactory,
    ExerciseScheduleFactory,
    StandUpScheduleFactory,
)

# Monday 2026-06-01 10:00 in Shanghai.
NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def dispatch(capture, now=NOW):
    with time_machine.travel(now, tick=False), capture() as callbacks:
        result = services.reminders_dispatch()
    return result, callbacks


def test_a_due_stand_up_becomes_one_outbox_row_per_channel_and_moves_on(
    patient, django_capture_on_commit_callbacks
):
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW - timedelta(seconds=5))

    result, callbacks = dispatch(django_capture_on_commit_callbacks)

    [row] = Delivery.objects.filter(schedule=schedule)
    assert (row.channel, row.status) == ("push", Status.PENDING)
    assert row.due_at == NOW - timedelta(seconds=5)
    # The send task is enqueued only after the transaction commits, one per outbox row.
    assert len(callbacks) == 1 == result.deliveries
    # The inbox copy is written at once, in the same transaction.
    assert InboxMessage.objects.filter(user=patient, schedule=schedule).count() == 1
    schedule.refresh_from_db()
    assert schedule.next_due_at == NOW - timedelta(seconds=5) + timedelta(minutes=35)


def test_nothing_is_written_for_a_schedule_not_yet_due_or_switched_off(
    patient, django_capture_on_commit_callbacks
):
    StandUpScheduleFactory(user=patient, next_due_at=NOW + timedelta(seconds=1))
    ExerciseScheduleFactory(user=patient, next_due_at=NOW - timedelta(minutes=1), is_enabled=False)

    result, callbacks = dispatch(django_capture_on_commit_callbacks)

    assert result.deliveries == 0
    assert not callbacks
    assert not Delivery.objects.exists()


def test_a_replayed_dispatch_of_the_same_due_time_inserts_nothing(
    patient, django_capture_on_commit_callbacks
):
    due = NOW - timedelta(seconds=5)
    schedule = StandUpScheduleFactory(user=patient, next_due_at=due)
    dispatch(django_capture_on_commit_callbacks)
    # As if a second dispatcher had read the row before the first advanced it.
    ReminderSchedule.objects.filter(pk=schedule.pk).update(next_due_at=due)

    result, callbacks = dispatch(django_capture_on_commit_callbacks)

    assert Delivery.objects.filter(schedule=schedule).count() == 1
    assert InboxMessage.objects.filter(schedule=schedule).count() == 1
    assert result.deliveries == 0
    assert not callbacks


def test_exercise_reminder_names_the_exercise_and_dosage_in_the_patients_language(
    patient, django_capture_on_commit_callbacks
):
    ExerciseScheduleFactory(user=patient, next_due_at=NOW, language="zh-hans", key="a")
    ExerciseScheduleFactory(user=patient, next_due_at=NOW, language="en", key="b")

    dispatch(django_capture_on_commit_callbacks)

    bodies = {message.schedule.key: message.body for message in InboxMessage.objects.all()}
    assert bodies == {
        "a": "五点支撑：保持 10 秒，做 10 组",
        "b": "Five-point bridge: hold 10 s, 10 sets",
    }


def test_checkin_reminder_is_skipped_when_todays_checkin_is_in(
    patient, django_capture_on_commit_callbacks
):
    schedule = CheckInScheduleFactory(user=patient, next_due_at=NOW)
    services.checkin_recorded(user=patient, on=date(2026, 6, 1))

    _result, callbacks = dispatch(django_capture_on_commit_callbacks)

    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SKIPPED}
    assert not callbacks
    assert not InboxMessage.objects.exists()
    schedule.refresh_from_db()
    assert schedule.next_due_at > NOW  # tomorrow's still comes


def test_checkin_reminder_is_sent_when_only_yesterdays_checkin_is_in(
    patient, django_capture_on_commit_callbacks
):
    CheckInScheduleFactory(user=patient, next_due_at=NOW)
    services.checkin_recorded(user=patient, on=date(2026, 5, 31))

    dispatch(django_capture_on_commit_callbacks)

    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_a_paused_reminder_writes_nothing_until_the_pause_ends(
    patient, django_capture_on_commit_callbacks
):
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW - timedelta(minutes=1))
    with time_machine.travel(NOW - timedelta(minutes=2), tick=False):
        services.reminder_pause(schedule=schedule)
    schedule.refresh_from_db()

    dispatch(django_capture_on_commit_callbacks)

    assert not Delivery.objects.exists()
    # Paused until local midnight: resumes at 08:35 Shanghai the next morning.
    assert schedule.next_due_at == datetime(2026, 6, 2, 0, 35, tzinfo=UTC)


def test_after_an_outage_old_stand_ups_are_dropped_not_sent_in_a_burst(
    patient, django_capture_on_commit_callbacks
):
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW - timedelta(hours=3))

    result, _callbacks = dispatch(django_capture_on_commit_callbacks)

    assert result.deliveries == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SKIPPED}
    schedule.refresh_from_db()
    assert NOW - timedelta(minutes=15) <= schedule.next_due_at <= NOW + timedelta(minutes=35)


def test_a_therapist_without_a_digest_time_gets_the_default_one(therapist):
    services.digest_item_add(user=therapist, key="flag:9", text="Zhao: no check-in for 3 days")

    schedule = ReminderSchedule.objects.get(user=therapist, kind="therapist_digest")
    assert schedule.times_of_day == ["08:30"] and schedule.next_due_at is not None


def test_therapist_digest_gathers_open_flags_once(db, django_capture_on_commit_callbacks):
    therapist = TherapistFactory(username="digest-ther")
    services.reminder_schedule_upsert(
        user=therapist, kind="therapist_digest", times_of_day=["09:30"], timezone="Asia/Shanghai"
    )
    services.digest_item_add(user=therapist, key="flag:1", text="Wang: leg pain up 3 days")
    services.digest_item_add(user=therapist, key="flag:1", text="Wang: leg pain up 3 days")
    services.digest_item_add(user=therapist, key="flag:2", text="Li: numbness rising")
    ReminderSchedule.objects.filter(user=therapist).update(next_due_at=NOW)

    dispatch(django_capture_on_commit_callbacks)
    ReminderSchedule.objects.filter(user=therapist).update(next_due_at=NOW + timedelta(days=1))
    dispatch(django_capture_on_commit_callbacks, now=NOW + timedelta(days=1))

    [message] = InboxMessage.objects.filter(user=therapist)
    assert message.body.count("•") == 2
    assert Delivery.objects.filter(user=therapist).count() == 2  # e-mail and push, once
    assert not DigestItem.objects.filter(digested_at=None).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_create_no_duplicate_outbox_rows(monkeypatch):
    from reminders.tasks import deliveries_send_task

    enqueued = []
    monkeypatch.setattr(
        deliveries_send_task, "apply_async", lambda args, **options: enqueued.extend(args[0])
    )
    for n in range(300):
        StandUpScheduleFactory(next_due_at=NOW - timedelta(seconds=n), channels=["email", "push"])
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            with time_machine.travel(NOW, tick=False):
                services.reminders_dispatch(batch_size=50)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert Delivery.objects.count() == 300 * 2
    assert InboxMessage.objects.count() == 300
    assert len(enqueued) == len(set(enqueued)) == 600
    assert not ReminderSchedule.objects.filter(next_due_at__lte=NOW).exists()
    assert connection.vendor == "postgresql"


def test_the_inbox_gets_it_even_without_push_or_email(patient, django_capture_on_commit_callbacks):
    StandUpScheduleFactory(user=patient, next_due_at=NOW, channels=[])

    result, callbacks = dispatch(django_capture_on_commit_callbacks)

    assert InboxMessage.objects.filter(user=patient).count() == 1
    assert result.deliveries == 0 and not callbacks
