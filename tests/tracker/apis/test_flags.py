from datetime import date

import pytest

from tests.tracker.support import TODAY
from tracker.models import Flag
from tracker.services.checkins import checkin_submit

CALM = {"back_pain": 2, "leg_pain": 3, "numbness": 1}
BLADDER = {
    "date": TODAY,
    **CALM,
    "numbness_areas": [],
    "bowel_bladder_change": True,
    "saddle_numbness": False,
}


def flag_for(patient, **answers) -> Flag:
    checkin_submit(patient=patient, on=date.fromisoformat(TODAY), answers={**CALM, **answers})
    return Flag.objects.filter(patient=patient).latest("opened_at")


def test_an_urgent_checkin_answers_with_the_flag_and_emergency_advice(api, patient, now):
    response = api(patient).post("/api/v1/checkins/", BLADDER, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["seek_emergency_care"] is True
    assert "急诊" in body["emergency_advice"]
    (flag,) = body["flags"]
    assert flag["rule"] == "cauda_equina"
    assert flag["seek_emergency_care"] is True
    assert "大小便" in flag["advice"]


def test_the_therapist_lists_flags_by_status_with_evidence_and_sources(
    api, patient, therapist, now
):
    flag_for(patient, stopped_walking=True)
    url = f"/api/v1/patients/{patient.public_id}/flags/"

    open_flags = api(therapist).get(url, {"status": "open"}, HTTP_ACCEPT_LANGUAGE="en").json()
    resolved = api(therapist).get(url, {"status": "resolved"}).json()

    (flag,) = open_flags["results"]
    assert flag["rule"] == "claudication"
    assert flag["severity"] == "high"
    assert flag["evidence"][0]["stopped_walking"] is True
    assert "claudication" in flag["explanation"].lower()
    assert flag["sources"] == ["000_91ad0826311c97d2.txt", "002_0834f866768f61f9.txt"]
    assert resolved["results"] == []


def test_flags_come_most_severe_first(api, patient, therapist, now):
    checkin_submit(patient=patient, on=date(2026, 3, 9), answers={**CALM, "night_pain": True})
    flag_for(patient, saddle_numbness=True, night_pain=True)

    flags = api(therapist).get(f"/api/v1/patients/{patient.public_id}/flags/").json()["results"]

    assert [f["rule"] for f in flags] == ["cauda_equina", "night_pain"]


def test_an_unknown_status_filter_is_a_400(api, patient, therapist):
    response = api(therapist).get(
        f"/api/v1/patients/{patient.public_id}/flags/", {"status": "closed"}
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_the_patient_sees_their_own_flags_as_advice_without_clinical_evidence(api, patient, now):
    flag_for(patient, can_walk_on_toes=False)

    (flag,) = api(patient).get(f"/api/v1/patients/{patient.public_id}/flags/").json()["results"]

    assert flag["rule"] == "motor_deficit"
    assert "evidence" not in flag
    assert "脚尖" in flag["advice"] and "急诊" in flag["advice"]


@pytest.mark.parametrize("who", ["other_therapist", "other_patient", "other_clinic_admin"])
def test_outsiders_get_404_for_the_flag_list(api, patient, who, request, now):
    flag_for(patient, stopped_walking=True)
    outsider = request.getfixturevalue(who)
    response = api(outsider).get(f"/api/v1/patients/{patient.public_id}/flags/")
    assert response.status_code == 404


def test_anonymous_callers_are_asked_to_sign_in(api, patient):
    assert api().get(f"/api/v1/patients/{patient.public_id}/flags/").status_code == 401


def test_the_therapist_acknowledges_then_resolves_with_notes(api, patient, therapist, now):
    flag = flag_for(patient, stopped_walking=True)
    client = api(therapist)

    acknowledged = client.post(
        f"/api/v1/flags/{flag.public_id}/acknowledge/", {"note": "Called, booked"}, format="json"
    ).json()
    resolved = client.post(
        f"/api/v1/flags/{flag.public_id}/resolve/", {"note": "Walks 30 min again"}, format="json"
    ).json()

    assert acknowledged["status"] == "acknowledged"
    assert acknowledged["acknowledged_by"] == therapist.username
    assert acknowledged["acknowledged_note"] == "Called, booked"
    assert resolved["status"] == "resolved"
    assert resolved["resolved_by"] == therapist.username
    assert resolved["resolved_note"] == "Walks 30 min again"


def test_acknowledging_a_resolved_flag_is_a_400_and_changes_nothing(api, patient, therapist, now):
    flag = flag_for(patient, stopped_walking=True)
    api(therapist).post(f"/api/v1/flags/{flag.public_id}/resolve/", {}, format="json")

    response = api(therapist).post(
        f"/api/v1/flags/{flag.public_id}/acknowledge/", {}, format="json"
    )

    assert response.status_code == 400
    flag.refresh_from_db()
    assert flag.status == "resolved" and flag.acknowledged_by is None


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_only_the_care_team_can_act_on_a_flag(api, patient, other_therapist, action, now):
    flag = flag_for(patient, stopped_walking=True)

    outsider = api(other_therapist).post(f"/api/v1/flags/{flag.public_id}/{action}/", {})
    own_patient = api(patient).post(f"/api/v1/flags/{flag.public_id}/{action}/", {})

    assert outsider.status_code == 404
    assert own_patient.status_code == 403
    flag.refresh_from_db()
    assert flag.status == "open"
