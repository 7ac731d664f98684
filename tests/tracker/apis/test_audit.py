AUDIT = "/api/v1/audit-events/"


def test_clinic_admins_read_their_clinics_audit_trail(
    api, patient, other_patient, therapist, clinic_admin, other_clinic_admin, now
):
    api(therapist).get(f"/api/v1/patients/{patient.public_id}/")
    api(patient).post(
        "/api/v1/checkins/",
        {"date": "2026-03-10", "back_pain": 1, "leg_pain": 1, "numbness": 1},
        format="json",
    )
    api(other_patient).get(f"/api/v1/patients/{other_patient.public_id}/")

    events = api(clinic_admin).get(AUDIT).json()["results"]
    theirs = api(other_clinic_admin).get(AUDIT).json()["results"]

    assert {(e["actor"], e["action"], e["object_type"]) for e in events} == {
        ("ther", "read", "patient"),
        ("pat", "create", "checkin"),
    }
    assert {e["patient"] for e in events} == {str(patient.public_id)}
    assert {e["patient"] for e in theirs} == {str(other_patient.public_id)}


def test_the_audit_trail_filters_by_patient_and_action(api, patient, therapist, clinic_admin, now):
    api(therapist).get(f"/api/v1/patients/{patient.public_id}/")

    found = api(clinic_admin).get(f"{AUDIT}?patient={patient.public_id}&action=read")
    none = api(clinic_admin).get(f"{AUDIT}?action=erase")

    assert found.json()["count"] == 1
    assert none.json()["count"] == 0


def test_therapists_and_patients_cannot_read_the_audit_trail(api, patient, therapist):
    assert api(therapist).get(AUDIT).status_code == 403
    assert api(patient).get(AUDIT).status_code == 403
