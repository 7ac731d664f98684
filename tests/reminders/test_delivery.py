"""Sending one outbox row: claimed with a lease, sent once however often the task runs."""

import json
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from reminders import conf, services
from reminders.models import Delivery, InboxMessage, PushSubscription, Status
from reminders.tasks import deliveries_sweep_task, delivery_send_task
from tests.reminders.factories import (
    ExerciseScheduleFactory,
    PushSubscriptionFactory,
    StandUpScheduleFactory,
    pushed_payload,
)
from tests.reminders.pushstandin import Reply

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def enqueued_ids(callbacks) -> list[int]:
    """The outbox ids handed to send tasks by these on-commit callbacks (one batch each)."""
    return [pk for c in callbacks if hasattr(c, "args") for pk in c.args[0][0]]


def outbox_rows(schedule, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        services.reminders_dispatch()
    return {row.channel: row for row in Delivery.objects.filter(schedule=schedule)}


def test_running_the_send_task_twice_delivers_once(
    patient, push_service, frozen, django_capture_on_commit_callbacks
):
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW)
    rows = outbox_rows(schedule, django_capture_on_commit_callbacks)

    assert delivery_send_task(rows["push"].pk) == "sent"
    assert delivery_send_task(rows["push"].pk) == "busy"

    assert len(push_service.received_on("phone")) == 1
    assert InboxMessage.objects.filter(user=patient).count() == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SENT}


def test_the_push_carries_ttl_urgency_topic_and_an_encrypted_body(
    patient, push_service, frozen, django_capture_on_commit_callbacks
):
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW)
    rows = outbox_rows(schedule, django_capture_on_commit_callbacks)

    delivery_send_task(rows["push"].pk)

    [request] = push_service.received_on("phone")
    assert request.headers["ttl"] == "900"  # 15 minutes: a stale stand-up is useless
    assert request.headers["urgency"] == "normal"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["authorization"].startswith("vapid t=")
    assert "起身" not in request.body.decode("latin-1")  # encrypted, not plain text
    assert pushed_payload(request)["title"] == "起身活动一下"  # what the phone decrypts


def test_every_push_of_a_delivery_carries_its_id_as_tag_and_topic(
    patient, push_service, frozen, django_capture_on_commit_callbacks
):
    # A worker that dies after the push service took the message sends it again: both copies
    # must name the same notification, so the phone shows one.
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    first = StandUpScheduleFactory(user=patient, next_due_at=NOW)
    second = ExerciseScheduleFactory(user=patient, next_due_at=NOW)
    pushes = [
        outbox_rows(schedule, django_capture_on_commit_callbacks)["push"]
        for schedule in (first, second)
    ]
    for push in pushes:
        delivery_send_task(push.pk)
        # The first sender died before it could record anything:
        Delivery.objects.filter(pk=push.pk).update(status=Status.PENDING, push_done=[])
        delivery_send_task(push.pk)

    received = push_service.received_on("phone")
    assert len(received) == 4
    tags = [pushed_payload(request)["tag"] for request in received]
    topics = [request.headers["topic"] for request in received]
    ids = [str(push.public_id) for push in pushes]
    assert tags == [ids[0], ids[0], ids[1], ids[1]]
    assert topics[0] == topics[1] != topics[2] == topics[3]
    # RFC 8030 §5.4: at most 32 characters of the URL-safe base64 alphabet.
    assert all(len(topic) <= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", topic) for topic in topics)
    # The inbox has the reminder once, however often it was pushed.
    assert InboxMessage.objects.filter(user=patient).count() == 2


def test_a_daily_reminder_lives_for_hours(
    patient, push_service, frozen, django_capture_on_commit_callbacks
):
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    schedule = ExerciseScheduleFactory(user=patient, next_due_at=NOW)
    rows = outbox_rows(schedule, django_capture_on_commit_callbacks)

    delivery_send_task(rows["push"].pk)

    assert int(push_service.received_on("phone")[0].headers["ttl"]) >= 3 * 3600


def test_every_subscription_of_the_patient_gets_it_and_a_gone_one_is_switched_off(
    patient, push_service, frozen, django_capture_on_commit_callbacks
):
    phone = PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    tablet = PushSubscriptionFactory(
        user=patient, endpoint=push_service.endpoint("tablet", Reply(410))
    )
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW)
    rows = outbox_rows(schedule, django_capture_on_commit_callbacks)

    assert delivery_send_task(rows["push"].pk) == "sent"

    phone.refresh_from_db()
    tablet.refresh_from_db()
    assert phone.is_active and phone.last_success_at is not None
    assert not tablet.is_active
    # The next reminder does not even try the gone one.
    push_service.received.clear()
    ReminderSchedule = type(schedule)
    ReminderSchedule.objects.filter(pk=schedule.pk).update(next_due_at=NOW)
    Delivery.objects.all().delete()
    rows = outbox_rows(schedule, django_capture_on_commit_callbacks)
    delivery_send_task(rows["push"].pk)
    assert [r.path for r in push_service.received] == ["/push/phone"]


def test_404_or_410_for_the_only_subscription_skips_push_but_the_inbox_has_it(
    patient, push_service, frozen, django_capture_on_commit_callbacks
):
    gone = PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("old", Reply(404)))
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW)
    rows = outbox_rows(schedule, django_capture_on_commit_callbacks)

    assert delivery_send_task(rows["push"].pk) == "skipped"

    assert not PushSubscription.objects.get(pk=gone.pk).is_active
    assert InboxMessage.objects.filter(user=patient).count() == 1


def test_429_honours_retry_after_and_the_sweeper_waits_for_it(
    patient, push_service, frozen, django_capture_on_commit_callbacks
):
    PushSubscriptionFactory(
        user=patient,
        endpoint=push_service.endpoint("busy", Reply(429, {"Retry-After": "120"}), Reply(201)),
    )
    schedule = ExerciseScheduleFactory(user=patient, next_due_at=NOW)
    rows = outbox_rows(schedule, django_capture_on_commit_callbacks)
    push = rows["push"]

    assert delivery_send_task(push.pk) == "retry"
    push.refresh_from_db()
    assert push.status == Status.PENDING
    assert push.locked_until == NOW + timedelta(seconds=120)
    # Before Retry-After has passed: no new attempt, and the sweeper leaves it alone.
    assert delivery_send_task(push.pk) == "busy"
    with django_capture_on_commit_callbacks() as callbacks:
        deliveries_sweep_task()
    assert push.pk not in enqueued_ids(callbacks)
    assert len(push_service.received_on("busy")) == 1

    frozen.shift(timedelta(seconds=121))
    with django_capture_on_commit_callbacks() as callbacks:
        swept = services.deliveries_sweep()
    assert push.pk in swept
    assert delivery_send_task(push.pk) == "sent"
    assert len(push_service.received_on("busy")) == 2


def test_5xx_retries_with_growing_backoff_then_gives_up(
    patient, push_service, frozen, django_capture_on_commit_callbacks, settings
):
    settings.REMINDERS_MAX_ATTEMPTS = 3
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("down", Reply(503)))
    schedule = ExerciseScheduleFactory(user=patient, next_due_at=NOW)
    push = outbox_rows(schedule, django_capture_on_commit_callbacks)["push"]

    waits, at = [], NOW
    for _ in range(3):
        outcome = delivery_send_task(push.pk)
        push.refresh_from_db()
        if outcome == "retry":
            waits.append(push.locked_until - at)
            at = push.locked_until
            frozen.move_to(at)
    assert waits == [timedelta(seconds=30), timedelta(seconds=60)]
    assert push.status == Status.FAILED
    assert "503" in push.last_error
    assert len(push_service.received_on("down")) == 3


def test_a_hanging_push_service_costs_a_bounded_time(
    patient, push_service, django_capture_on_commit_callbacks, settings
):
    settings.REMINDERS_PUSH_TIMEOUT_SECONDS = 0.5
    PushSubscriptionFactory(
        user=patient, endpoint=push_service.endpoint("hang", Reply(hang_seconds=30))
    )
    schedule = StandUpScheduleFactory(user=patient, next_due_at=datetime.now(UTC))
    push = outbox_rows(schedule, django_capture_on_commit_callbacks)["push"]

    started = time.monotonic()
    outcome = delivery_send_task(push.pk)
    elapsed = time.monotonic() - started

    assert outcome == "retry"
    assert elapsed < 3
    push.refresh_from_db()
    assert "Timeout" in push.last_error or "timed out" in push.last_error


def test_a_crashed_senders_row_is_sent_again_after_its_lease_runs_out(
    patient, push_service, frozen, django_capture_on_commit_callbacks
):
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW)
    push = outbox_rows(schedule, django_capture_on_commit_callbacks)["push"]
    # A sender claimed it and died before recording anything.
    Delivery.objects.filter(pk=push.pk).update(locked_until=NOW + timedelta(seconds=45))

    assert delivery_send_task(push.pk) == "busy"  # the broker's redelivery: lease still held
    assert services.deliveries_sweep() == []

    frozen.shift(timedelta(seconds=46))
    assert services.deliveries_sweep() == [push.pk]
    assert delivery_send_task(push.pk) == "sent"
    assert len(push_service.received_on("phone")) == 1


def test_a_lost_message_is_enqueued_again_by_the_sweeper(
    patient, frozen, django_capture_on_commit_callbacks
):
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW)
    push = outbox_rows(schedule, django_capture_on_commit_callbacks)["push"]

    frozen.shift(conf.unpicked_after() - timedelta(seconds=1))
    assert push.pk not in services.deliveries_sweep()  # may still be in the queue
    frozen.shift(timedelta(seconds=2))
    assert push.pk in services.deliveries_sweep()
    assert push.pk not in services.deliveries_sweep()  # not twice in a row


def test_a_stand_up_too_old_to_matter_is_skipped_not_pushed(
    patient, push_service, frozen, django_capture_on_commit_callbacks
):
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("phone"))
    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW)
    push = outbox_rows(schedule, django_capture_on_commit_callbacks)["push"]

    frozen.shift(timedelta(minutes=16))
    assert delivery_send_task(push.pk) == "skipped"
    assert not push_service.received


def test_email_has_text_and_html_in_the_patients_language(
    patient, frozen, django_capture_on_commit_callbacks
):
    patient.email = "pat@example.test"
    patient.save()
    schedule = ExerciseScheduleFactory(user=patient, next_due_at=NOW)
    email = outbox_rows(schedule, django_capture_on_commit_callbacks)["email"]

    assert delivery_send_task(email.pk) == "sent"
    assert delivery_send_task(email.pk) == "busy"

    [message] = mail.outbox
    assert message.to == ["pat@example.test"]
    assert "五点支撑：保持 10 秒，做 10 组" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "五点支撑" in html


def test_email_without_an_address_is_skipped(patient, frozen, django_capture_on_commit_callbacks):
    schedule = ExerciseScheduleFactory(user=patient, next_due_at=NOW)
    email = outbox_rows(schedule, django_capture_on_commit_callbacks)["email"]

    assert delivery_send_task(email.pk) == "skipped"
    assert not mail.outbox


def test_smtp_trouble_is_retried(patient, frozen, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    patient.email = "pat@example.test"
    patient.save()
    schedule = ExerciseScheduleFactory(user=patient, next_due_at=NOW)
    email = outbox_rows(schedule, django_capture_on_commit_callbacks)["email"]

    assert delivery_send_task(email.pk) == "retry"
    email.refresh_from_db()
    assert email.status == Status.PENDING and email.locked_until == NOW + timedelta(seconds=30)


def test_stand_up_push_offers_moved_snooze_and_pause(
    patient, frozen, django_capture_on_commit_callbacks
):
    from reminders.channels.push import payload

    schedule = StandUpScheduleFactory(user=patient, next_due_at=NOW)
    push = outbox_rows(schedule, django_capture_on_commit_callbacks)["push"]

    data = json.loads(payload(push))

    assert [a["action"] for a in data["actions"]] == ["moved", "snooze", "pause"]
    assert str(schedule.public_id) in data["actions"][1]["url"]


def test_urgent_flag_reaches_the_therapist_once_however_often_it_is_called(
    therapist, push_service, django_capture_on_commit_callbacks, eager_tasks
):
    therapist.email = "ther@example.test"
    therapist.save()
    PushSubscriptionFactory(user=therapist, endpoint=push_service.endpoint("desk"))

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.notification_send_now(
                user=therapist,
                key="flag:123",
                title="Urgent: saddle numbness",
                body="Wang reported saddle numbness today.",
                url="/patients/x/",
            )

    assert len(push_service.received_on("desk")) == 1
    assert push_service.received_on("desk")[0].headers["urgency"] == "high"
    assert len(mail.outbox) == 1
    assert InboxMessage.objects.filter(user=therapist).count() == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SENT}
