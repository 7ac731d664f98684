import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from tests.factories import CheckInFactory
from tracker.idempotency import idempotency_records_purge
from tracker.models import AuditEvent, CheckIn, CheckInRevision, IdempotencyRecord, SessionLog

CHECKINS = "/api/v1/checkins/"
SESSIONS = "/api/v1/sessions/"
CHECKIN = {
    "date": "2026-03-10",
    "back_pain": 5,
    "leg_pain": 7,
    "numbness": 4,
    "numbness_areas": ["left_outer_calf", "left_top_of_foot"],
    "can_walk_on_heels": True,
    "can_walk_on_toes": True,
    "bowel_bladder_change": False,
    "saddle_numbness": False,
    "night_pain": True,
    "calf_cramps": False,
    "stopped_walking": True,
    "walking_minutes": 15,
    "note": "坐久了腿麻",
}


def test_a_patient_submits_a_checkin_then_corrects_it(api, patient, now):
    client = api(patient)

    first = client.post(CHECKINS, CHECKIN, format="json")
    again = client.post(CHECKINS, {**CHECKIN, "leg_pain": 6}, format="json")

    assert first.status_code == 201
    assert first.json()["patient"] == str(patient.public_id)
    assert first.json()["numbness_areas"] == ["left_outer_calf", "left_top_of_foot"]
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["leg_pain"] == 6
    assert CheckInRevision.objects.get().answers["leg_pain"] == 7


def test_only_the_scores_and_date_are_required(api, patient, now):
    response = api(patient).post(
        CHECKINS,
        {"date": "2026-03-10", "back_pain": 0, "leg_pain": 0, "numbness": 0},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["walking_minutes"] is None
    assert response.json()["can_walk_on_toes"] is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"back_pain": 11}, "back_pain"),
        ({"leg_pain": -1}, "leg_pain"),
        ({"numbness": "seven"}, "numbness"),
        ({"numbness": "7"}, "numbness"),
        ({"numbness": 2.5}, "numbness"),
        ({"numbness": True}, "numbness"),
        ({"walking_minutes": -1}, "walking_minutes"),
        ({"date": "2026-03-11"}, "date"),
        ({"date": "2025-12-09"}, "date"),
        ({"date": "10/03/2026"}, "date"),
        ({"numbness_areas": ["left_knee"]}, "numbness_areas"),
        ({"numbness_areas": "left_toes"}, "numbness_areas"),
        ({"night_pain": "maybe"}, "night_pain"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_input_is_400_with_a_message_for_the_field_and_changes_nothing(
    api, patient, now, changes, field
):
    CheckInFactory(patient=patient, date="2026-03-09", back_pain=2)

    response = api(patient).post(CHECKINS, {**CHECKIN, **changes}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field]  # a message (per list position for list fields)
    assert CheckIn.objects.count() == 1
    assert not CheckInRevision.objects.exists()


def test_a_missing_score_is_named(api, patient, now):
    body = {k: v for k, v in CHECKIN.items() if k != "leg_pain"}

    response = api(patient).post(CHECKINS, body, format="json")

    assert response.status_code == 400
    assert "leg_pain" in response.json()


def test_malformed_json_is_400(api, patient, now):
    response = api(patient).post(CHECKINS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_a_huge_body_is_refused_not_a_server_error(api, patient, now, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({**CHECKIN, "note": "x" * 20_000})

    response = api(patient).post(CHECKINS, body, content_type="application/json")

    assert response.status_code == 413
    # in the patient's language (Chinese), with the limit
    assert response.json()["detail"] == "请求内容超过 10000 字节。"
    assert not CheckIn.objects.exists()


def test_a_therapist_cannot_submit_a_checkin(api, therapist, now):
    assert api(therapist).post(CHECKINS, CHECKIN, format="json").status_code == 403


def test_checkin_lists_are_scoped(api, patient, other_patient, therapist, other_therapist, now):
    CheckInFactory(patient=patient, date="2026-03-09")
    CheckInFactory(patient=other_patient, date="2026-03-09")

    def ids(user, query=""):
        response = api(user).get(CHECKINS + query)
        assert response.status_code == 200
        return {row["patient"] for row in response.json()["results"]}

    assert ids(patient) == {str(patient.public_id)}
    assert ids(therapist) == {str(patient.public_id)}
    assert ids(other_therapist) == {str(other_patient.public_id)}
    # Filtering by someone else's patient shows nothing rather than their data.
    assert ids(therapist, f"?patient={other_patient.public_id}") == set()
    assert AuditEvent.objects.filter(actor=therapist, patient=patient, action="read").exists()


def test_checkins_filter_by_date(api, patient, now):
    for day in ("2026-03-01", "2026-03-05", "2026-03-09"):
        CheckInFactory(patient=patient, date=day)

    response = api(patient).get(CHECKINS + "?date_from=2026-03-02&date_to=2026-03-08")

    assert [row["date"] for row in response.json()["results"]] == ["2026-03-05"]


# --- Idempotency-Key -------------------------------------------------------------------------


def test_a_retry_with_the_same_key_replays_the_first_response(api, patient, now):
    client = api(patient)

    first = client.post(CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = client.post(CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.count() == 1
    assert not CheckInRevision.objects.exists()
    assert AuditEvent.objects.filter(object_type="checkin").count() == 1


def test_the_same_key_with_a_different_body_is_refused(api, patient, now):
    client = api(patient)
    client.post(CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    reused = client.post(
        CHECKINS, {**CHECKIN, "leg_pain": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert reused.status_code == 422
    assert "Idempotency-Key" in reused.json()["detail"]
    assert CheckIn.objects.get().leg_pain == 7
    assert not CheckInRevision.objects.exists()


def test_keys_belong_to_their_user(api, patient, other_patient, now):
    api(patient).post(CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    theirs = api(other_patient).post(
        CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )

    assert theirs.status_code == 201
    assert theirs.json()["patient"] == str(other_patient.public_id)


def test_a_refused_request_does_not_use_up_its_key(api, patient, now):
    client = api(patient)
    bad = client.post(
        CHECKINS, {**CHECKIN, "back_pain": 11}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    fixed = client.post(CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    assert (bad.status_code, fixed.status_code) == (400, 201)


def test_a_request_that_loses_the_race_for_its_key_rolls_back_and_replays(api, patient, now):
    # What a concurrent twin finds: the first request committed its record while this one ran.
    client = api(patient)
    first = client.post(CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="race")
    IdempotencyRecord.objects.filter(key="race").update(response_body={"stored": "first"})
    CheckIn.objects.all().delete()

    twin = client.post(CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="race")

    assert first.status_code == twin.status_code == 201
    assert twin.json() == {"stored": "first"}
    assert not CheckIn.objects.exists()  # the twin's own insert was rolled back


def test_an_unusable_key_is_400(api, patient, now):
    response = api(patient).post(CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not IdempotencyRecord.objects.exists()


# --- performance ---------------------------------------------------------------------------


# Issue 3 budgets 8 queries for storing a check-in: token lookup, SAVEPOINT, profile lock + that
# day's check-in, revision + update (or one insert: CREATE_QUERIES), audit, idempotency record,
# RELEASE (in production the savepoint pair is the transaction's BEGIN/COMMIT, which PostgreSQL
# does not count). Issue 4 runs the worsening rules in the same request, which reads the
# history, the flags, the programme and the week's sessions (4), and reminders are told today's
# check-in is in (1; in production a task enqueued on commit). Both budgets are asserted, and
# neither grows with the length of the history.
STORE_QUERIES = 8
CREATE_QUERIES = 7
RULES_AND_REMINDER_QUERIES = 5
QUIET = {**CHECKIN, "night_pain": False, "stopped_walking": False}


def _post(client, token, body, key):
    return client.post(
        CHECKINS,
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        HTTP_AUTHORIZATION=f"Token {token}",
    )


def test_a_checkin_post_stays_within_its_query_budget(
    client, patient, now, django_assert_max_num_queries
):
    token = AuthToken.objects.create(user=patient)[1]

    with django_assert_max_num_queries(CREATE_QUERIES + RULES_AND_REMINDER_QUERIES):
        created = _post(client, token, QUIET, "a")
    with django_assert_max_num_queries(STORE_QUERIES + RULES_AND_REMINDER_QUERIES):
        updated = _post(client, token, {**QUIET, "leg_pain": 6}, "b")

    assert (created.status_code, updated.status_code) == (201, 200)
    assert created.json()["flags"] == []


def test_checkin_post_queries_do_not_grow_with_history(client, patient, other_patient, now):
    # A steady patient, so no rule fires and both requests do the same work.
    calm = {"back_pain": 2, "leg_pain": 3, "numbness": 1}
    on = date.fromisoformat(QUIET["date"])
    for days_back in range(1, 366):
        CheckInFactory(patient=patient, date=on - timedelta(days=days_back), **calm)
    CheckInFactory(patient=other_patient, date=on - timedelta(days=1), **calm)

    counts = []
    for user in (patient, other_patient):
        token = AuthToken.objects.create(user=user)[1]
        with CaptureQueriesContext(connection) as queries:
            response = _post(client, token, {**QUIET, **calm}, f"history-{user.pk}")
        assert (response.status_code, response.json()["flags"]) == (201, [])
        counts.append(len(queries))

    assert counts[0] == counts[1] <= CREATE_QUERIES + RULES_AND_REMINDER_QUERIES


# --- sessions ------------------------------------------------------------------------------


def test_a_patient_logs_sessions_and_their_therapist_sees_them(
    api, patient, therapist, other_therapist, now
):
    assignment = api(therapist).post(
        f"/api/v1/patients/{patient.public_id}/assignments/",
        {"template": "circulation"},
        format="json",
    )
    item = assignment.json()["items"][0]

    logged = api(patient).post(
        SESSIONS, {"item": item["id"], "minutes": 20, "pain_during": 3}, format="json"
    )
    free = api(patient).post(SESSIONS, {"exercise": "wall_stand", "minutes": 5}, format="json")

    assert logged.status_code == 201, logged.json()
    assert logged.json()["exercise"] == "brisk_walk"
    assert logged.json()["performed_on"] == "2026-03-10"
    assert free.status_code == 201
    listed = api(therapist).get(SESSIONS).json()["results"]
    assert {row["exercise"] for row in listed} == {"brisk_walk", "wall_stand"}
    assert api(other_therapist).get(SESSIONS).json()["results"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"exercise": "plank", "minutes": -1}, "minutes"),
        ({"exercise": "plank", "sets": "three"}, "sets"),
        ({"exercise": "plank", "pain_during": 11}, "pain_during"),
        ({"exercise": "plank", "performed_at": "2026-03-11T04:00:00Z"}, "performed_at"),
        ({"exercise": "moonwalk"}, "exercise"),
        ({"item": "4b5d3e4e-2f5a-4c1b-9a76-3a1f8e2b9c10"}, "item"),
        ({}, "item"),
    ],
)
def test_bad_sessions_are_400_and_store_nothing(api, patient, now, body, field):
    response = api(patient).post(SESSIONS, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not SessionLog.objects.exists()


def test_a_session_retry_with_the_same_key_logs_once(api, patient, now):
    client = api(patient)
    body = {"exercise": "plank", "minutes": 2}

    first = client.post(SESSIONS, body, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    retry = client.post(SESSIONS, body, format="json", HTTP_IDEMPOTENCY_KEY="s-1")

    assert retry.json()["id"] == first.json()["id"]
    assert SessionLog.objects.count() == 1


def test_old_idempotency_records_are_purged(api, patient, time_machine):
    time_machine.move_to("2026-03-01 04:00:00+00:00", tick=False)
    api(patient).post(
        CHECKINS, {**CHECKIN, "date": "2026-03-01"}, format="json", HTTP_IDEMPOTENCY_KEY="old"
    )
    time_machine.move_to("2026-03-10 04:00:00+00:00", tick=False)
    api(patient).post(CHECKINS, CHECKIN, format="json", HTTP_IDEMPOTENCY_KEY="new")

    assert idempotency_records_purge(older_than=timedelta(days=7)) == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
