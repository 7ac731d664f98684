import io
import zipfile
from datetime import UTC, datetime

from tests.factories import CheckInFactory
from tracker.models import ProgrammeAssignment
from tracker.services.sessions import session_log_create


def _url(patient, tail):
    return f"/api/v1/patients/{patient.public_id}/{tail}/"


def test_a_therapist_assigns_and_changes_a_programme_both_roles_read_it(
    api, patient, therapist, now
):
    url = _url(patient, "assignments")
    first = api(therapist).post(url, {"template": "desk_worker_prevention"}, format="json")
    second = api(therapist).post(
        url,
        {"changes": [{"exercise": "brisk_walk", "minutes": 20, "days_per_week": 5}]},
        format="json",
    )

    assert first.status_code == second.status_code == 201
    versions = api(patient).get(url).json()["results"]
    assert [(v["version"], v["is_current"]) for v in versions] == [(2, True), (1, False)]
    walk = next(i for i in versions[0]["items"] if i["exercise"] == "brisk_walk")
    assert walk["days_per_week"] == 5


def test_a_caution_needs_an_override_reason_which_is_recorded(api, patient, therapist, now):
    patient.patient_profile.conditions = ["lumbar_instability"]
    patient.patient_profile.save()
    url = _url(patient, "assignments")

    refused = api(therapist).post(url, {"template": "disc_recovery"}, format="json")
    overridden = api(therapist).post(
        url,
        {
            "template": "disc_recovery",
            "changes": [{"exercise": "superman", "override_reason": "Stable on imaging"}],
        },
        format="json",
    )

    assert refused.status_code == 400
    assert "superman" in refused.json()["cautions"][0]
    assert overridden.status_code == 201
    superman = next(i for i in overridden.json()["items"] if i["exercise"] == "superman")
    assert superman["overridden_cautions"] == ["lumbar_instability"]
    assert superman["overridden_by"] == "ther"


def test_patients_cannot_assign_and_outsiders_get_404(api, patient, other_therapist, now):
    url = _url(patient, "assignments")

    assert api(patient).post(url, {"template": "circulation"}, format="json").status_code == 403
    assert (
        api(other_therapist).post(url, {"template": "circulation"}, format="json").status_code
        == 404
    )
    assert not ProgrammeAssignment.objects.exists()


def test_adherence_counts_prescribed_done_and_days_with_data(api, patient, therapist, now):
    api(therapist).post(
        _url(patient, "assignments"),
        {"template": "circulation", "starts_on": "2026-03-02"},  # a Monday
        format="json",
    )
    for day in (2, 3, 4):
        session_log_create(
            patient=patient,
            exercise_key="brisk_walk",
            performed_at=datetime(2026, 3, day, 2, 0, tzinfo=UTC),
        )
    session_log_create(
        patient=patient,
        exercise_key="brisk_walk",
        performed_at=datetime(2026, 3, 4, 9, 0, tzinfo=UTC),  # a second walk that day
    )
    CheckInFactory(patient=patient, date="2026-03-08")
    CheckInFactory(patient=patient, date="2026-03-04")

    data = api(patient).get(_url(patient, "adherence")).json()

    assert data["window_start"] == "2026-02-09" and data["window_end"] == "2026-03-10"
    assert data["days_with_data"] == 4  # 2, 3, 4 and 8 March
    week = next(w for w in data["weeks"] if w["week_start"] == "2026-03-02")
    assert (week["prescribed"], week["done"]) == (7.0, 3)
    day = next(d for d in data["days"] if d["date"] == "2026-03-04")
    assert day == {
        "date": "2026-03-04",
        "prescribed": 1.0,
        "done": 1,
        "has_checkin": True,
        "has_session": True,
    }
    before = next(d for d in data["days"] if d["date"] == "2026-03-01")
    assert before["prescribed"] == 0


def test_a_patient_exports_everything_as_json_and_csv(api, patient, therapist, now):
    api(therapist).post(_url(patient, "assignments"), {"template": "circulation"}, format="json")
    CheckInFactory(patient=patient, date="2026-03-09", note="腿麻")
    client = api(patient)

    as_json = client.get(_url(patient, "export"))
    as_csv = client.get(_url(patient, "export") + "csv/")

    assert as_json.status_code == 200
    data = as_json.json()
    assert data["account"]["id"] == str(patient.public_id)
    assert data["checkins"][0]["note"] == "腿麻"
    assert data["assignments"][0]["items"][0]["exercise"] == "brisk_walk"
    assert as_csv["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(as_csv.content))
    assert "checkins.csv" in archive.namelist()
    assert "腿麻" in archive.read("checkins.csv").decode("utf-8-sig")


def test_a_therapist_exports_one_of_their_patients_but_not_others(
    api, patient, other_patient, therapist, clinic_admin, now
):
    assert api(therapist).get(_url(patient, "export")).status_code == 200
    assert api(therapist).get(_url(other_patient, "export")).status_code == 404
    assert api(clinic_admin).get(_url(patient, "export")).status_code == 403
