from tracker.models import AuditEvent, PatientProfile, User

PATIENTS = "/api/v1/patients/"
NEW_PATIENT = {
    "username": "zhang.min",
    "password": "Sciatica-Left-2026",
    "display_name": "张敏",
    "timezone": "Asia/Shanghai",
    "language": "zh-hans",
    "is_pregnant": True,
    "conditions": ["sciatica", "lumbar_disc_herniation"],
}


def test_a_therapist_creates_a_patient_who_then_gets_a_token(api, therapist, now):
    response = api(therapist).post(PATIENTS, NEW_PATIENT, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    user = User.objects.get(username="zhang.min")
    assert body["id"] == str(user.public_id)
    assert body["is_pregnant"] is True
    assert body["phase"] == "recovery"
    assert [member["username"] for member in body["care_team"]] == ["ther"]
    token = api().post(
        "/api/v1/auth/token/",
        {"username": "zhang.min", "password": "Sciatica-Left-2026"},
        format="json",
    )
    assert token.status_code == 200
    assert token.json()["token"]


def test_patient_creation_is_idempotent(api, therapist, now):
    client = api(therapist)

    first = client.post(PATIENTS, NEW_PATIENT, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    retry = client.post(PATIENTS, NEW_PATIENT, format="json", HTTP_IDEMPOTENCY_KEY="p-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert PatientProfile.objects.filter(user__username="zhang.min").count() == 1


def test_bad_patient_details_get_a_message_per_field(api, therapist, patient, now):
    response = api(therapist).post(
        PATIENTS,
        {**NEW_PATIENT, "username": "pat", "timezone": "Moon/Base", "conditions": ["gout"]},
        format="json",
    )

    assert response.status_code == 400
    assert {"conditions"} <= set(response.json())
    response = api(therapist).post(
        PATIENTS, {**NEW_PATIENT, "username": "pat", "timezone": "Moon/Base"}, format="json"
    )
    assert set(response.json()) == {"username", "timezone"}


def test_patients_and_clinic_admins_cannot_create_patients(api, patient, clinic_admin, now):
    assert api(patient).post(PATIENTS, NEW_PATIENT, format="json").status_code == 403
    assert api(clinic_admin).post(PATIENTS, NEW_PATIENT, format="json").status_code == 403


def test_lists_show_the_caseload_the_clinic_or_oneself(
    api, patient, other_patient, therapist, other_therapist, clinic_admin, now
):
    def ids(user):
        return [row["id"] for row in api(user).get(PATIENTS).json()["results"]]

    assert ids(therapist) == [str(patient.public_id)]
    assert ids(other_therapist) == [str(other_patient.public_id)]
    assert ids(clinic_admin) == [str(patient.public_id)]
    assert ids(patient) == [str(patient.public_id)]
    assert AuditEvent.objects.filter(actor=clinic_admin, patient=patient, action="read").exists()


def test_someone_elses_patient_is_404_like_a_missing_one(api, patient, other_therapist, now):
    client = api(other_therapist)
    theirs = client.get(f"{PATIENTS}{patient.public_id}/")
    missing = client.get(f"{PATIENTS}00000000-0000-4000-8000-000000000000/")

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_the_patient_and_their_therapist_update_the_profile(api, patient, therapist, now):
    url = f"{PATIENTS}{patient.public_id}/"

    by_patient = api(patient).patch(url, {"language": "en"}, format="json")
    refused = api(patient).patch(url, {"conditions": ["sciatica"]}, format="json")
    by_therapist = api(therapist).patch(
        url, {"conditions": ["sciatica"], "episode_started_on": "2026-03-08"}, format="json"
    )

    assert by_patient.status_code == 200
    assert refused.status_code == 400
    assert "conditions" in refused.json()
    assert by_therapist.json()["phase"] == "acute"
    assert by_therapist.json()["language"] == "en"


def test_clinic_admins_read_but_do_not_change(api, patient, clinic_admin, now):
    url = f"{PATIENTS}{patient.public_id}/"

    assert api(clinic_admin).get(url).status_code == 200
    assert api(clinic_admin).patch(url, {"language": "en"}, format="json").status_code == 403


def test_a_colleague_joins_the_care_team_and_then_sees_the_patient(
    api, patient, therapist, colleague, now
):
    url = f"{PATIENTS}{patient.public_id}/"
    assert api(colleague).get(url).status_code == 404

    added = api(therapist).post(
        f"{url}care-team/", {"therapist": str(colleague.public_id)}, format="json"
    )

    assert added.status_code == 200
    assert api(colleague).get(url).status_code == 200


def test_me_tells_a_patient_their_id(api, patient, therapist, now):
    me = api(patient).get("/api/v1/me/").json()

    assert me["role"] == "patient"
    assert me["patient"]["id"] == str(patient.public_id)
    assert api(therapist).get("/api/v1/me/").json()["patient"] is None
