"""The check-in and session POSTs build their answers by hand (issue 16: a ModelSerializer cost
~2 ms a request); the serializers stay the OpenAPI schema's. A client must get what the schema
says: field for field, what the serializer would have written for the same rows."""

import json

from rest_framework.renderers import JSONRenderer

from tracker.models import CheckIn, Flag, SessionLog
from tracker.serializers import CheckInSubmittedSerializer, SessionLogSerializer
from tracker.services.assignments import assignment_change

URGENT = {
    "date": "2026-03-10",
    "back_pain": 8,
    "leg_pain": 9,
    "numbness": 6,
    "numbness_areas": ["left_outer_calf", "right_top_of_foot"],
    "saddle_numbness": True,
    "bowel_bladder_change": True,
    "night_pain": True,
    "walking_minutes": 5,
    "note": "很痛",
}


def _as_sent(data) -> object:
    return json.loads(JSONRenderer().render(data))


def test_the_checkin_answer_is_what_its_serializer_writes(api, patient, now):
    response = api(patient).post("/api/v1/checkins/", URGENT, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["seek_emergency_care"] is True and body["flags"]
    checkin = CheckIn.objects.get(public_id=body["id"])
    by_id = {str(flag.public_id): flag for flag in Flag.objects.filter(patient=patient)}
    checkin.flags = [by_id[flag["id"]] for flag in body["flags"]]  # type: ignore[attr-defined]
    checkin.seek_emergency_care = True  # type: ignore[attr-defined]
    checkin.emergency_advice = body["emergency_advice"]  # type: ignore[attr-defined]
    language = patient.patient_profile.language
    expected = CheckInSubmittedSerializer(checkin, context={"patient_language": language}).data
    assert body == _as_sent(expected)


def test_the_session_answer_is_what_its_serializer_writes(api, patient, therapist, now):
    assignment = assignment_change(
        patient=patient, therapist=therapist, template_key="disc_recovery"
    )
    item = assignment.items.first()
    client = api(patient)

    for sent in (
        {"item": str(item.public_id), "sets": 2, "reps": 10, "difficulty": "hard"},
        {"exercise": "wall_stand", "minutes": 5, "pain_during": 3, "note": "ok"},
    ):
        response = client.post("/api/v1/sessions/", sent, format="json")
        assert response.status_code == 201
        session = SessionLog.objects.get(public_id=response.json()["id"])
        assert response.json() == _as_sent(SessionLogSerializer(session).data)
