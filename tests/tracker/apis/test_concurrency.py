"""Concurrent writes for one patient (two phones, a retry with a new key, a double tap) on real
PostgreSQL: one stored check-in per date, the later ones a 200 (or 409 while the first is still
in flight), never a 500; one stored session per Idempotency-Key."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from exercises.models import Exercise
from exercises.services import catalogue_load
from tracker.models import CheckIn, CheckInRevision, SessionLog
from tracker.services.assignments import assignment_change

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CHECKINS = "/api/v1/checkins/"
SESSIONS = "/api/v1/sessions/"
CHECKIN = {"date": "2026-03-10", "back_pain": 3, "leg_pain": 4, "numbness": 2}


@pytest.fixture(autouse=True)
def _catalogue():
    # A transactional test starts from whatever the previous one's flush left.
    if not Exercise.objects.exists():
        catalogue_load()


def _at_once(count: int, send) -> list:
    """Run send(i) in `count` threads released together; each thread's status code."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = send(i)
        except Exception as error:  # reported by the assertion below
            results[i] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _api_post(patient, path, body, key=None):
    client = APIClient()
    client.force_authenticate(patient)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(path, body, format="json", **headers).status_code


@pytest.mark.parametrize(("count", "keyed"), [(10, True), (20, False)])
def test_concurrent_checkins_for_one_date_store_one(patient, now, count, keyed):
    statuses = _at_once(
        count,
        lambda i: _api_post(
            patient, CHECKINS, {**CHECKIN, "note": f"try {i}"}, f"key-{i}" if keyed else None
        ),
    )

    assert set(Counter(statuses)) <= {200, 201, 409}, statuses
    assert statuses.count(201) == 1, statuses
    assert CheckIn.objects.filter(patient=patient).count() == 1
    # Every later answer replaced that date's check-in and kept the values it replaced.
    stored = CheckIn.objects.get(patient=patient)
    assert CheckInRevision.objects.filter(checkin=stored).count() == statuses.count(200)


def test_concurrent_checkin_forms_store_one(patient, now):
    client = Client()
    client.force_login(patient)
    cookies = client.cookies

    def send(i: int) -> int:
        mine = Client()
        mine.cookies = cookies
        form = {"back_pain": "3", "leg_pain": str(i % 11), "numbness": "2"}
        return mine.post("/app/checkin/", form).status_code

    statuses = _at_once(10, send)

    assert set(statuses) <= {302, 409}, statuses
    assert CheckIn.objects.filter(patient=patient).count() == 1


def test_concurrent_session_logs_with_one_key_store_one(patient, therapist, now):
    item = assignment_change(
        patient=patient, therapist=therapist, template_key="circulation"
    ).items.get()
    body = {"item": str(item.public_id), "minutes": 20}

    statuses = _at_once(10, lambda i: _api_post(patient, SESSIONS, body, "same-tap"))

    assert set(statuses) <= {201, 409}, statuses
    assert SessionLog.objects.filter(patient=patient).count() == 1


def test_concurrent_session_logs_without_a_key_each_count(patient, therapist, now):
    # No key: each is a session the patient did (the app always sends one for a retry).
    statuses = _at_once(
        8, lambda i: _api_post(patient, SESSIONS, {"exercise": "plank", "minutes": 1})
    )

    assert statuses == [201] * 8
    assert SessionLog.objects.filter(patient=patient).count() == 8
