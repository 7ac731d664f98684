"""An urgent flag reaches every therapist on the patient's care team by push, e-mail and inbox
at once (issue 10), through the reminders pipeline: the outbox rows are sent by the task the
commit enqueues, pushes go to a local stand-in push service, e-mails to Django's outbox."""

from datetime import date

import pytest
from django.core import mail

from reminders.models import Delivery, DigestItem, InboxMessage
from tests.factories import CareTeamMemberFactory, TherapistFactory
from tests.reminders.factories import PushSubscriptionFactory, pushed_payload
from tracker.services.checkins import checkin_submit

TODAY = date(2026, 3, 10)
CALM = {"back_pain": 2, "leg_pain": 3, "numbness": 1}
URGENT = {**CALM, "saddle_numbness": True}


@pytest.fixture
def submit(django_capture_on_commit_callbacks, eager_tasks):
    """checkin_submit, then what its commit hands to the workers (the sends) runs."""

    def run(patient, on: date, answers: dict) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            checkin_submit(patient=patient, on=on, answers=answers)

    return run


@pytest.fixture
def care_team(patient, therapist, colleague, push_service):
    """The patient's two therapists, each with an e-mail address and desktop push on (the first
    on two browsers), and an outsider with push on who is not on the care team."""
    CareTeamMemberFactory(patient=patient, therapist=colleague)
    outsider = TherapistFactory(username="outsider_t", clinic=therapist.clinic)
    for user, address in ((therapist, "ther@example.test"), (colleague, "col@example.test")):
        user.email = address
        user.save(update_fields=["email"])
    outsider.email = "out@example.test"
    outsider.save(update_fields=["email"])
    endpoints = {
        "ther-desk": therapist,
        "ther-laptop": therapist,
        "col-desk": colleague,
        "out-desk": outsider,
    }
    for name, user in endpoints.items():
        PushSubscriptionFactory(user=user, endpoint=push_service.endpoint(name))
    return therapist, colleague, outsider


def test_an_urgent_checkin_reaches_every_therapist_by_push_email_and_inbox(
    patient, care_team, push_service, submit, now
):
    therapist, colleague, outsider = care_team

    submit(patient, TODAY, URGENT)

    page = f"/therapist/patients/{patient.public_id}/"
    for user, browsers in ((therapist, ["ther-desk", "ther-laptop"]), (colleague, ["col-desk"])):
        [message] = InboxMessage.objects.filter(user=user)
        assert message.title == "紧急 Urgent: Pat" and message.url.endswith(page)
        for browser in browsers:
            [received] = push_service.received_on(browser)
            shown = pushed_payload(received)
            assert shown["title"] == "紧急 Urgent: Pat"
            assert shown["url"].endswith(page)
            assert received.headers["urgency"] == "high"
        [email] = [m for m in mail.outbox if m.to == [user.email]]
        assert email.subject == "紧急 Urgent: Pat"
        assert page in email.body
        assert set(Delivery.objects.filter(user=user).values_list("channel", "status")) == {
            ("push", "sent"),
            ("email", "sent"),
        }
    # Nobody else is told.
    assert not push_service.received_on("out-desk")
    assert not InboxMessage.objects.filter(user=outsider).exists()
    assert not [m for m in mail.outbox if m.to == [outsider.email]]
    assert len(mail.outbox) == 2


def test_the_same_urgent_flag_is_not_sent_twice(patient, care_team, push_service, submit, now):
    therapist, colleague, _ = care_team

    submit(patient, TODAY, URGENT)
    submit(patient, TODAY, {**URGENT, "note": "again"})

    assert len(push_service.received_on("ther-desk")) == 1
    assert len(mail.outbox) == 2
    assert InboxMessage.objects.filter(user__in=[therapist, colleague]).count() == 2


def test_an_urgent_checkin_through_the_api_alerts_the_care_team_too(
    api, patient, care_team, push_service, eager_tasks, django_capture_on_commit_callbacks, now
):
    therapist, colleague, _ = care_team
    body = {**URGENT, "date": TODAY.isoformat(), "can_walk_on_heels": False}

    with django_capture_on_commit_callbacks(execute=True):
        response = api(patient).post("/api/v1/checkins/", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["seek_emergency_care"] is True
    assert push_service.received_on("ther-desk") and push_service.received_on("col-desk")
    assert {m.to[0] for m in mail.outbox} == {therapist.email, colleague.email}


def test_a_therapist_without_push_still_gets_email_and_inbox(
    patient, care_team, push_service, submit, now
):
    _, colleague, _ = care_team
    colleague.push_subscriptions.update(is_active=False)

    submit(patient, TODAY, URGENT)

    assert not push_service.received_on("col-desk")
    assert InboxMessage.objects.filter(user=colleague).exists()
    assert [m for m in mail.outbox if m.to == [colleague.email]]
    assert Delivery.objects.get(user=colleague, channel="push").status == "skipped"


def test_a_flag_that_is_not_urgent_waits_for_the_digest_of_each_therapist(
    patient, care_team, push_service, submit, now
):
    therapist, colleague, _ = care_team

    submit(patient, TODAY.replace(day=9), {**CALM, "night_pain": True})
    submit(patient, TODAY, {**CALM, "night_pain": True})

    assert set(DigestItem.objects.values_list("user__username", flat=True)) == {
        therapist.username,
        colleague.username,
    }
    assert not push_service.received and not mail.outbox
    assert not InboxMessage.objects.exists()
