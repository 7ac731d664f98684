"""Two people accepting one invitation at the same moment (a forwarded e-mail, a double tap):
on real PostgreSQL, exactly one wins and the other is told clearly; never a 500."""

import threading
from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient

from exercises.models import Exercise
from exercises.services import catalogue_load
from tests.factories import TherapistFactory
from tracker.models import Invitation, User
from tracker.services.care_team import care_team_add, care_team_remove
from tracker.services.invitations import patient_invite

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
GOOD_PASSWORD = "Quiet-river-2026"


@pytest.fixture(autouse=True)
def _catalogue():
    if not Exercise.objects.exists():
        catalogue_load()


def _at_once(count: int, send) -> list:
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


def test_concurrent_accepts_one_wins():
    therapist = TherapistFactory(username="ther")
    profile, issued = patient_invite(therapist=therapist, display_name="Wang Fang", language="en")

    def accept(i: int) -> int:
        body = {"token": issued.token, "username": f"fang{i}", "password": GOOD_PASSWORD}
        return APIClient().post("/api/v1/invitations/accept/", body, format="json").status_code

    statuses = _at_once(8, accept)

    assert Counter(statuses) == {200: 1, 410: 7}, statuses
    user = User.objects.get(pk=profile.user_id)
    assert user.has_usable_password() and user.username.startswith("fang")
    assert Invitation.objects.get().accepted_at is not None


def test_two_colleagues_removing_each_other_leave_one():
    therapist = TherapistFactory(username="ther")
    colleague = TherapistFactory(username="colleague", clinic=therapist.clinic)
    profile, _issued = patient_invite(therapist=therapist, display_name="Wang Fang")
    care_team_add(profile=profile, actor=therapist, therapist_id=colleague.public_id)
    pairs = [(therapist, colleague), (colleague, therapist)]

    def remove(i: int) -> str:
        actor, leaving = pairs[i]
        try:
            care_team_remove(profile=profile, actor=actor, therapist_id=leaving.public_id)
        except Exception as error:
            return type(error).__name__
        return "removed"

    results = _at_once(2, remove)

    assert sorted(results) == ["ValidationError", "removed"], results
    assert profile.user.care_team.count() == 1
