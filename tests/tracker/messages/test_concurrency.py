"""Messages sent at the same moment on real PostgreSQL: one per Idempotency-Key (the page and the
service worker sending one queued message together), every unkeyed one stored, one pending
notification per therapist and channel however many arrive together, never a 500."""

from collections import Counter

import pytest

from reminders.models import Delivery
from tests.tracker.apis.test_concurrency import _api_post, _at_once
from tracker.models import Message

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_one_key_sent_ten_times_at_once_stores_one_message(patient):
    url = f"/api/v1/patients/{patient.public_id}/messages/"

    codes = _at_once(10, lambda i: _api_post(patient, url, {"body": "queued"}, key="same-key"))

    assert set(codes) <= {200, 201}, codes
    assert Message.objects.filter(body="queued").count() == 1


def test_ten_different_messages_at_once_are_all_stored_and_make_one_notification(
    patient, therapist
):
    url = f"/api/v1/patients/{patient.public_id}/messages/"

    codes = _at_once(10, lambda i: _api_post(patient, url, {"body": f"message {i}"}))

    assert Counter(codes) == {201: 10}, codes
    assert Message.objects.filter(side="patient").count() == 10
    assert Counter(Delivery.objects.filter(user=therapist).values_list("channel", flat=True)) == {
        "email": 1,
        "push": 1,
    }
