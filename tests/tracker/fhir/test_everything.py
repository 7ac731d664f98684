"""GET /api/v1/fhir/Patient/{id}/$everything: scoped, audited, and valid FHIR R4."""

from datetime import date, timedelta

import pytest
from fhir.resources import __fhir_version__, construct_fhir_element
from fhir.resources.bundle import Bundle

from tests.factories import CheckInFactory
from tracker.models import AuditEvent, Flag, FlagEvidence, User
from tracker.services.demo import demo_seed

pytestmark = pytest.mark.django_db


def url(user) -> str:
    return f"/api/v1/fhir/Patient/{user.public_id}/$everything"


def resources(body: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in body["entry"] if e["resource"]["resourceType"] == kind]


def parse_every_resource(body: dict) -> None:
    """Every entry, and the Bundle as a whole, parse as FHIR R4 (4.0.1) models."""
    assert __fhir_version__ == "4.0.1"
    Bundle.parse_obj(body)
    for entry in body["entry"]:
        resource = entry["resource"]
        construct_fhir_element(resource["resourceType"], resource)


def test_demo_patients_bundle_parses_as_r4_with_every_kind_of_resource(api):
    demo_seed()
    patient = User.objects.get(username="demo_patient")
    therapist = User.objects.get(username="demo_therapist")
    response = api(therapist).get(url(patient))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "Bundle" and body["type"] == "searchset"
    parse_every_resource(body)
    kinds = {e["resource"]["resourceType"] for e in body["entry"]}
    assert kinds >= {
        "Patient",
        "Practitioner",
        "CarePlan",
        "Observation",
        "QuestionnaireResponse",
        "Flag",
    }
    (practitioner,) = resources(body, "Practitioner")
    assert practitioner["id"] == str(therapist.public_id)
    plan = next(p for p in resources(body, "CarePlan") if p["status"] == "active")
    assert plan["activity"] and all(a["detail"]["description"] for a in plan["activity"])
    flags = resources(body, "Flag")
    assert len(flags) == Flag.objects.filter(patient=patient).count()
    for flag in flags:
        row = Flag.objects.get(public_id=flag["id"])
        assert flag["period"]["start"] == row.opened_on.isoformat()
        assert flag["status"] == {"open": "active", "acknowledged": "active"}.get(
            row.status, "inactive" if row.status == "resolved" else "entered-in-error"
        )
        assert ("end" in flag["period"]) == (not row.is_unresolved)


def test_pain_scores_carry_loinc_and_body_site_and_numbness_the_products_code(api, patient):
    checkin = CheckInFactory(
        patient=patient, back_pain=3, leg_pain=7, numbness=5, numbness_areas=["left_outer_calf"]
    )
    body = api(patient).get(url(patient)).json()
    parse_every_resource(body)
    observations = {o["id"]: o for o in resources(body, "Observation")}
    leg = observations[f"{checkin.public_id}-leg-pain"]
    assert leg["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    }
    assert leg["bodySite"]["coding"][0]["code"] == "61685007"
    assert leg["valueQuantity"]["value"] == 7
    back = observations[f"{checkin.public_id}-back-pain"]
    assert back["bodySite"]["coding"][0]["code"] == "37822005"
    numbness = observations[f"{checkin.public_id}-numbness"]
    assert numbness["code"]["coding"][0]["system"].endswith("/api/v1/fhir/CodeSystem/rehab-tracker")
    assert numbness["valueQuantity"]["value"] == 5
    (response,) = resources(body, "QuestionnaireResponse")
    assert response["questionnaire"].endswith("/api/v1/fhir/Questionnaire/daily-checkin")
    answers = {item["linkId"]: item["answer"] for item in response["item"]}
    assert answers["leg_pain"] == [{"valueInteger": 7}]
    assert answers["numbness_areas"][0]["valueCoding"]["code"] == "area-left-outer-calf"


def test_every_code_used_from_the_products_system_is_in_the_published_code_system(api, patient):
    CheckInFactory(patient=patient, numbness_areas=["right_toes"], walking_minutes=12)
    body = api(patient).get(url(patient)).json()
    published = api().get("/api/v1/fhir/CodeSystem/rehab-tracker").json()
    construct_fhir_element("CodeSystem", published)
    known = {concept["code"] for concept in published["concept"]}
    used = set()

    def walk(node):
        if isinstance(node, dict):
            if node.get("system") == published["url"]:
                used.add(node["code"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(body)
    assert used and used <= known


def test_questionnaire_is_served_and_parses(api):
    response = api().get("/api/v1/fhir/Questionnaire/daily-checkin")
    assert response.status_code == 200
    questionnaire = construct_fhir_element("Questionnaire", response.json())
    assert {item.linkId for item in questionnaire.item} >= {"back_pain", "leg_pain", "numbness"}


def test_flag_carries_status_and_period(api, patient, therapist, now):
    today = date(2026, 3, 10)
    CheckInFactory(patient=patient, date=today - timedelta(days=1))
    flag = Flag.objects.create(
        patient=patient,
        rule="night_pain",
        severity="medium",
        latest_evidence={"date": "2026-03-08"},
        opened_on=date(2026, 3, 8),
        last_evidence_on=date(2026, 3, 9),
    )
    FlagEvidence.objects.create(flag=flag, on=date(2026, 3, 8), data={"date": "2026-03-08"})
    body = api(therapist).get(url(patient)).json()
    (resource,) = resources(body, "Flag")
    assert resource["status"] == "active"
    assert resource["period"] == {"start": "2026-03-08"}
    assert resource["code"]["coding"][0]["code"] == "flag-night-pain"
    assert resource["id"] == str(flag.public_id)


def test_since_keeps_only_later_changes(api, patient, time_machine):
    time_machine.move_to("2026-03-01 04:00:00+00:00", tick=False)
    CheckInFactory(patient=patient, date=date(2026, 3, 1))
    time_machine.move_to("2026-03-05 04:00:00+00:00", tick=False)
    late = CheckInFactory(patient=patient, date=date(2026, 3, 5))
    body = api(patient).get(url(patient), {"_since": "2026-03-03"}).json()
    assert [r["id"] for r in resources(body, "QuestionnaireResponse")] == [str(late.public_id)]
    assert resources(body, "Patient")
    body = api(patient).get(url(patient), {"_since": "2026-03-05T12:00:00+08:00"}).json()
    assert [r["id"] for r in resources(body, "QuestionnaireResponse")] == [str(late.public_id)]
    body = api(patient).get(url(patient), {"_since": "2026-03-05T12:00:01+08:00"}).json()
    assert resources(body, "QuestionnaireResponse") == []


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "2026-03-05T12:00:00"])
def test_bad_since_is_400_with_the_field(api, patient, since):
    response = api(patient).get(url(patient), {"_since": since})
    assert response.status_code == 400
    assert "_since" in response.json()


def test_scoped_outsiders_get_404(api, patient, other_therapist, other_clinic_admin, other_patient):
    for outsider in (other_therapist, other_clinic_admin, other_patient):
        assert api(outsider).get(url(patient)).status_code == 404
    assert api().get(url(patient)).status_code == 401


def test_therapist_patient_and_clinic_admin_may_read_and_each_read_is_audited(
    api, patient, therapist, clinic_admin
):
    for reader in (patient, therapist, clinic_admin):
        assert api(reader).get(url(patient)).status_code == 200
    events = AuditEvent.objects.filter(patient=patient, object_type="fhir_everything")
    assert {(e.actor, e.action) for e in events} == {
        (patient, "export"),
        (therapist, "export"),
        (clinic_admin, "export"),
    }


def test_psfs_means_are_observations_with_each_activity_as_a_component(api, patient):
    from tracker.services.psfs import psfs_activity_add, psfs_rate

    socks = psfs_activity_add(patient=patient, text="穿袜子", by=patient)
    film = psfs_activity_add(patient=patient, text="Sitting through a film", by=patient)
    psfs_rate(patient=patient, scores={socks: 2, film: 5}, on=date(2026, 2, 24), by=patient)
    body = api(patient).get(url(patient)).json()
    parse_every_resource(body)
    (psfs,) = [o for o in resources(body, "Observation") if o["id"].startswith("psfs-")]
    assert psfs["code"]["coding"][0]["code"] == "psfs-mean"
    assert psfs["valueQuantity"]["value"] == 3.5
    assert [c["code"]["text"] for c in psfs["component"]] == ["穿袜子", "Sitting through a film"]


def test_bad_lang_is_400(api, patient):
    response = api(patient).get(url(patient), {"lang": "fr"})
    assert response.status_code == 400
    assert "lang" in response.json()


def test_lang_en_gives_english_texts(api, patient, therapist):
    from tests.tracker.dashboard.support import add_programme

    add_programme(patient, therapist)
    body = api(patient).get(url(patient), {"lang": "en"}).json()
    (plan,) = resources(body, "CarePlan")
    assert "days a week" in plan["activity"][0]["detail"]["description"]


def test_every_practitioner_reference_resolves_inside_the_bundle(
    api, patient, therapist, colleague
):
    from tests.tracker.dashboard.support import add_programme

    add_programme(patient, colleague)  # written by a therapist not on the care team
    body = api(therapist).get(url(patient)).json()
    ids = {f"Practitioner/{p['id']}" for p in resources(body, "Practitioner")}
    (plan,) = resources(body, "CarePlan")
    assert plan["author"]["reference"] in ids
    assert f"Practitioner/{colleague.public_id}" in ids
