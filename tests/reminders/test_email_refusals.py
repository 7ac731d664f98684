"""E-mail at the SMTP boundary, against a local stand-in server: a temporary refusal (4yz) is
tried again after the back-off, a permanent one (5yz) is not (RFC 5321 §4.2.1)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from reminders import services
from reminders.models import Delivery, Status
from tests.reminders.factories import ExerciseScheduleFactory
from tests.reminders.smtpstandin import SmtpStandIn

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def smtp(settings):
    with SmtpStandIn() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _email_row(patient, django_capture_on_commit_callbacks) -> Delivery:
    patient.email = "pat@example.test"
    patient.save()
    schedule = ExerciseScheduleFactory(user=patient, next_due_at=NOW)
    with django_capture_on_commit_callbacks():
        services.reminders_dispatch()
    return Delivery.objects.get(schedule=schedule, channel="email")


def _sweep_and_send(frozen, email: Delivery) -> str:
    email.refresh_from_db()
    frozen.move_to(email.locked_until + timedelta(seconds=1))
    assert email.pk in services.deliveries_sweep()
    return services.delivery_send(delivery_id=email.pk)


@pytest.mark.parametrize("reply", ["451 4.3.0 try again later", "452 4.2.2 mailbox full"])
def test_a_temporary_refusal_of_the_recipient_is_tried_again_and_then_goes(
    patient, smtp, frozen, django_capture_on_commit_callbacks, reply
):
    smtp.rcpt_replies = [reply]
    email = _email_row(patient, django_capture_on_commit_callbacks)

    assert services.delivery_send(delivery_id=email.pk) == "retry"
    email.refresh_from_db()
    assert email.status == Status.PENDING
    assert email.locked_until == NOW + timedelta(seconds=30)
    assert reply[:3] in email.last_error
    assert not smtp.accepted

    assert _sweep_and_send(frozen, email) == "sent"
    [message] = smtp.accepted
    assert f"X-Reminder-Id: {email.public_id}".encode() in message
    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 2


def test_a_temporary_refusal_at_the_end_of_data_is_tried_again(
    patient, smtp, frozen, django_capture_on_commit_callbacks
):
    smtp.data_replies = ["451 4.7.1 greylisted, come back later"]
    email = _email_row(patient, django_capture_on_commit_callbacks)

    assert services.delivery_send(delivery_id=email.pk) == "retry"
    assert _sweep_and_send(frozen, email) == "sent"
    assert len(smtp.accepted) == 1


@pytest.mark.parametrize(
    ("where", "reply"),
    [("rcpt", "550 5.1.1 no such mailbox"), ("data", "554 5.7.1 message refused")],
)
def test_a_permanent_refusal_fails_and_is_never_sent_again(
    patient, smtp, frozen, django_capture_on_commit_callbacks, where, reply
):
    setattr(smtp, f"{where}_replies", [reply])
    email = _email_row(patient, django_capture_on_commit_callbacks)

    assert services.delivery_send(delivery_id=email.pk) == "failed"

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert reply[:3] in email.last_error
    assert email.locked_until is None
    frozen.shift(timedelta(hours=1))
    assert email.pk not in services.deliveries_sweep()
    assert services.delivery_send(delivery_id=email.pk) == "busy"
    assert not smtp.accepted
    assert smtp.conversations == 1


def test_a_batch_of_e_mails_shares_one_smtp_connection(
    patient, therapist, smtp, frozen, django_capture_on_commit_callbacks
):
    therapist.email = "ther@example.test"
    therapist.save()
    ExerciseScheduleFactory(user=therapist, next_due_at=NOW)
    first = _email_row(patient, django_capture_on_commit_callbacks)
    ids = list(Delivery.objects.filter(channel="email").values_list("pk", flat=True))
    assert first.pk in ids and len(ids) == 2

    outcomes = services.deliveries_send(delivery_ids=ids)

    assert set(outcomes.values()) == {"sent"}
    assert len(smtp.accepted) == 2
    assert smtp.conversations == 1
