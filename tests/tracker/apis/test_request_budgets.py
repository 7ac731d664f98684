"""Issue 16: what a patient's everyday requests cost in SQL statements, for a patient with a
programme and flags that have gathered evidence for a long time. The budgets count every
statement the request sends (SAVEPOINT/RELEASE included: in a test they stand where BEGIN and
COMMIT are in production), and the check-in's must not grow with the length of the history.

A check-in of today (CHECKIN_TODAY_QUERIES): token, lock + that date's check-in, insert (which
gives way to a check-in committed meanwhile), audit, flags, programme with the sessions,
history, flag update with the evidence upsert (one statement on PostgreSQL), idempotency
record, and the transaction's two; the reminder skip and
digest items run in a task enqueued on commit (tracker/services/side_work.py), not in the
request. A token last renewed over a minute ago adds its renewal (TOKEN_RENEWAL) on SQLite; on
PostgreSQL the token's read renews it in the same statement (tracker/auth_backends.py)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from tests.factories import CheckInFactory
from tracker.models import Flag, FlagEvidence, PatientProfile
from tracker.services.assignments import assignment_change
from tracker.services.flags import flags_evaluate_for_checkin

# SQLite has no data-modifying CTEs: the flag update and the evidence upsert are two statements
# there, one on PostgreSQL (tracker/services/flag_writes.py).
CHECKIN_TODAY_QUERIES = 11 if connection.vendor == "postgresql" else 12
SESSION_LOG_QUERIES = 8
TOKEN_RENEWAL = 1
TODAY = date(2026, 3, 10)
# Pain that never eases and night pain every night: persistent_pain and night_pain keep firing.
SORE = {"back_pain": 6, "leg_pain": 6, "numbness": 2, "night_pain": True}


def _with_history(patient, therapist, days: int):
    assignment = assignment_change(
        patient=patient, therapist=therapist, template_key="disc_recovery", starts_on=TODAY
    )
    assignment.starts_on = TODAY - timedelta(days=days)
    assignment.save(update_fields=["starts_on"])
    first = TODAY - timedelta(days=days)
    for n in range(days, 0, -1):
        CheckInFactory(patient=patient, date=TODAY - timedelta(days=n), **SORE)
    profile = PatientProfile.objects.get(user=patient)
    flags_evaluate_for_checkin(patient=patient, profile=profile, on=first)
    return assignment


def _token(user) -> str:
    return AuthToken.objects.create(user=user)[1]


def _post(client, token, path, body, key):
    return client.post(
        path,
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        HTTP_AUTHORIZATION=f"Token {token}",
    )


CHECKIN = {
    **SORE,
    "date": TODAY.isoformat(),
    "numbness_areas": [],
    "can_walk_on_heels": True,
    "can_walk_on_toes": True,
    "bowel_bladder_change": False,
    "saddle_numbness": False,
    "calf_cramps": False,
    "stopped_walking": False,
    "walking_minutes": 20,
    "note": "",
}


@pytest.fixture(autouse=True)
def _side_work_as_deployed(settings):
    """The side work is enqueued on commit, as in production (tests/conftest.py runs it inline
    elsewhere); test_side_work_runs_once_committed shows it still happens."""
    settings.SIDE_WORK_INLINE = False


@pytest.mark.parametrize("days", [30, 200])
def test_todays_checkin_stays_within_its_budget_whatever_the_history(
    client, patient, therapist, now, days
):
    _with_history(patient, therapist, days)
    evidence_before = FlagEvidence.objects.filter(flag__patient=patient).count()
    flags = Flag.objects.filter(patient=patient, status="open").count()
    token = _token(patient)

    with CaptureQueriesContext(connection) as queries:
        response = _post(client, token, "/api/v1/checkins/", CHECKIN, f"today-{days}")

    assert response.status_code == 201
    assert {flag["rule"] for flag in response.json()["flags"]} >= {"persistent_pain", "night_pain"}
    assert len(queries) <= CHECKIN_TODAY_QUERIES, [q["sql"][:80] for q in queries]
    # One new evidence row per flag that fired today; the year before is neither read nor written.
    assert FlagEvidence.objects.filter(flag__patient=patient).count() == evidence_before + flags
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert not any('"tracker_flagevidence"' in sql for sql in reads)


def test_todays_checkin_costs_the_same_at_30_and_200_days(
    client, patient, other_patient, therapist, other_therapist, now
):
    _with_history(patient, therapist, 30)
    _with_history(other_patient, other_therapist, 200)
    counts = []
    for user in (patient, other_patient):
        token = _token(user)
        with CaptureQueriesContext(connection) as queries:
            response = _post(client, token, "/api/v1/checkins/", CHECKIN, f"same-{user.pk}")
        assert response.status_code == 201
        counts.append(len(queries))

    assert counts[0] == counts[1] <= CHECKIN_TODAY_QUERIES


def test_a_token_last_used_yesterday_is_renewed_within_the_budget(client, patient, therapist, now):
    _with_history(patient, therapist, 30)
    instance, token = AuthToken.objects.create(user=patient)
    AuthToken.objects.filter(pk=instance.pk).update(expiry=instance.expiry - timedelta(days=1))

    renewal = 0 if connection.vendor == "postgresql" else TOKEN_RENEWAL

    with CaptureQueriesContext(connection) as queries:
        response = _post(client, token, "/api/v1/checkins/", CHECKIN, "renewed")

    assert response.status_code == 201
    assert len(queries) <= CHECKIN_TODAY_QUERIES + renewal, [q["sql"][:80] for q in queries]
    # Idle for a week from now again, as every use promises (settings.API_TOKEN_IDLE_HOURS).
    assert AuthToken.objects.get(pk=instance.pk).expiry == instance.expiry


def test_a_session_log_stays_within_its_budget(client, patient, therapist, now):
    assignment = _with_history(patient, therapist, 30)
    item = assignment.items.first()
    token = _token(patient)

    with CaptureQueriesContext(connection) as queries:
        response = _post(
            client, token, "/api/v1/sessions/", {"item": str(item.public_id), "sets": 2}, "s"
        )

    assert response.status_code == 201
    assert len(queries) <= SESSION_LOG_QUERIES, [q["sql"][:80] for q in queries]


def test_side_work_runs_once_committed(
    client, patient, therapist, now, django_capture_on_commit_callbacks
):
    from reminders.models import DigestItem, ReminderSchedule
    from reminders.services.schedules import reminder_schedule_upsert
    from tracker.celery import app

    _with_history(patient, therapist, 30)
    reminder_schedule_upsert(user=patient, kind="checkin")
    token = _token(patient)
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = _post(client, token, "/api/v1/checkins/", CHECKIN, "side")
    finally:
        app.conf.task_always_eager = False

    assert response.status_code == 201
    assert len(callbacks) == 1
    schedule = ReminderSchedule.objects.get(user=patient, kind="checkin")
    assert schedule.checkin_done_on == TODAY  # today's check-in reminder is skipped
    texts = DigestItem.objects.filter(user=therapist).values_list("text", flat=True)
    assert any(text.startswith("Pat:") for text in texts)  # the flags wait in the digest
