"""The messages API: scoped, audited, validated, idempotent."""

import pytest

from tracker.models import AuditEvent, Message

URL = "/api/v1/patients/{}/messages/"


def _url(patient, tail=""):
    return URL.format(patient.public_id) + tail


def test_a_question_and_its_answer(api, patient, therapist, now):
    asked = api(patient).post(_url(patient), {"body": "May I walk further?"}, format="json")
    assert asked.status_code == 201, asked.json()
    assert asked.json()["side"] == "patient" and asked.json()["author_name"] == "Pat"

    seen = api(therapist).get(_url(patient)).json()
    assert seen["unread"] == 1 and seen["messages"][0]["is_unread"]
    answered = api(therapist).post(
        _url(patient), {"body": "Yes, by 5 minutes a week."}, format="json"
    )
    assert answered.status_code == 201
    # Answering means having read the question.
    assert api(therapist).get(_url(patient)).json()["unread"] == 0

    mine = api(patient).get(_url(patient)).json()
    assert [m["body"] for m in mine["messages"]] == [
        "May I walk further?",
        "Yes, by 5 minutes a week.",
    ]
    assert mine["unread"] == 1
    assert api(patient).post(_url(patient, "read/")).json()["unread"] == 0
    assert (
        AuditEvent.objects.filter(patient=patient, object_type="message", action="read").count()
        >= 3
    )


def test_an_outsider_gets_404_exactly_like_a_missing_patient(
    api, patient, other_therapist, other_patient, now
):
    api(patient).post(_url(patient), {"body": "private"}, format="json")
    for outsider in (other_therapist, other_patient):
        client = api(outsider)
        theirs = client.get(_url(patient))
        missing = client.get(URL.format("2b1f0c52-8f3e-4f7e-9d7a-0c4b6f1e2a33"))
        assert theirs.status_code == 404
        assert (theirs.status_code, theirs.content) == (missing.status_code, missing.content)
        assert client.post(_url(patient), {"body": "hi"}, format="json").status_code == 404
    assert Message.objects.count() == 1


def test_the_clinic_admin_sees_the_patient_but_not_the_conversation(
    api, patient, clinic_admin, now
):
    assert api(clinic_admin).get(_url(patient)).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x" * 2001}, "body"),
        ({}, "body"),
        (
            {
                "body": "hi",
                "about": {"kind": "checkin", "id": "2b1f0c52-8f3e-4f7e-9d7a-0c4b6f1e2a33"},
            },
            "about",
        ),
        (
            {
                "body": "hi",
                "about": {"kind": "diary", "id": "2b1f0c52-8f3e-4f7e-9d7a-0c4b6f1e2a33"},
            },
            "about",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(api, patient, now, body, field):
    response = api(patient).post(_url(patient), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Message.objects.exists()


def test_the_same_idempotency_key_stores_one_message(api, patient, therapist, now):
    client = api(patient)
    first = client.post(
        _url(patient), {"body": "Sent offline"}, format="json", HTTP_IDEMPOTENCY_KEY="k-9"
    )
    again = client.post(
        _url(patient), {"body": "Sent offline"}, format="json", HTTP_IDEMPOTENCY_KEY="k-9"
    )
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert Message.objects.count() == 1


def test_a_therapist_chooses_the_digest(api, therapist, now):
    assert api(therapist).get("/api/v1/me/message-settings/").json() == {"delivery": "now"}
    changed = api(therapist).put(
        "/api/v1/me/message-settings/", {"delivery": "digest"}, format="json"
    )
    assert changed.json() == {"delivery": "digest"}
    assert (
        api(therapist)
        .put("/api/v1/me/message-settings/", {"delivery": "never"}, format="json")
        .status_code
        == 400
    )


def test_acknowledging_a_flag_with_send_to_patient_sends_the_note(api, patient, therapist, now):
    from django.utils import timezone

    from tracker.models import Flag
    from tracker.services.checkins import checkin_submit

    checkin_submit(
        patient=patient,
        on=timezone.localdate(),
        answers={"back_pain": 3, "leg_pain": 4, "numbness": 2, "bowel_bladder_change": True},
    )
    flag = Flag.objects.get(patient=patient, rule="cauda_equina")
    response = api(therapist).post(
        f"/api/v1/flags/{flag.public_id}/acknowledge/",
        {"note": "I will phone you at 3 pm.", "send_to_patient": True},
        format="json",
    )
    assert response.status_code == 200
    [message] = api(patient).get(_url(patient)).json()["messages"]
    assert message["body"] == "I will phone you at 3 pm." and message["from_flag"] == str(
        flag.public_id
    )
