import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from exercises.models import Exercise, ProgrammeTemplate
from exercises.services import template_item_add

EXERCISE_FIELDS = {
    "key",
    "name_zh",
    "name_en",
    "name",
    "category",
    "phases",
    "populations",
    "dosage",
    "instructions_zh",
    "instructions_en",
    "caution_zh",
    "caution_en",
    "contraindications",
    "sources",
}


@pytest.fixture
def api(db):
    return APIClient()


def _keys(response) -> set[str]:
    return {row["key"] for row in response.json()["results"]}


def _has_id(value) -> bool:
    if isinstance(value, dict):
        return "id" in value or "pk" in value or any(_has_id(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_id(v) for v in value)
    return False


def test_anyone_can_list_the_catalogue(api):
    response = api.get(reverse("exercises-api:exercise-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 15
    assert len(body["results"]) == 15
    assert set(body["results"][0]) == EXERCISE_FIELDS
    assert not _has_id(body)


def test_an_exercise_in_the_list_carries_dosage_cautions_and_sources(api):
    rows = {row["key"]: row for row in api.get("/api/v1/exercises/").json()["results"]}
    bridge = rows["five_point_bridge"]
    assert bridge["dosage"] == {
        "sets": 10,
        "reps": None,
        "hold_seconds": 10,
        "minutes": None,
        "times_per_day": None,
        "interval_minutes": None,
        "text_zh": "每次保持 10 秒，做 10 组",
        "text_en": "Hold 10 s, 10 sets",
    }
    assert bridge["phases"] == ["recovery", "maintenance"]
    assert bridge["contraindications"] == ["acute_phase"]
    assert bridge["sources"] == ["000_91ad0826311c97d2.txt", "001_97c5ca15f4c0d3eb.txt"]
    assert rows["stand_up_break"]["dosage"]["interval_minutes"] == 35
    assert rows["superman"]["contraindications"] == ["lumbar_instability", "acute_phase"]


def test_name_follows_the_request_language(api):
    url = reverse("exercises-api:exercise-detail", kwargs={"key": "five_point_bridge"})
    assert api.get(url).json()["name"] == "五点支撑"
    assert api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["name"] == "Five-point bridge"


def test_page_size_is_honoured_with_a_next_link(api):
    response = api.get("/api/v1/exercises/", {"page_size": 5})
    body = response.json()
    assert len(body["results"]) == 5
    assert body["count"] == 15
    assert "page=2" in body["next"] and "page_size=5" in body["next"]
    second = api.get(body["next"]).json()
    assert len(second["results"]) == 5
    assert not _keys(response) & {row["key"] for row in second["results"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"phase": "acute"}, {"ankle_pump", "brisk_walk", "heat_therapy", "stand_up_break"}),
        ({"category": "modality"}, {"lumbar_traction", "massage"}),
        ({"population": "pregnancy"}, {"ankle_pump"}),
        ({"population": "elderly"}, {"brisk_walk", "straight_leg_raise", "wall_stand"}),
        (
            {"phase": "recovery", "category": "core_strength", "population": "postpartum"},
            {"glute_bridge"},
        ),
        ({"phase": ""}, None),
    ],
)
def test_filters(api, params, expected):
    response = api.get("/api/v1/exercises/", params)
    assert response.status_code == 200
    if expected is None:  # a blank filter is no filter
        assert response.json()["count"] == 15
    else:
        assert _keys(response) == expected


@pytest.mark.parametrize(
    ("field", "allowed"),
    [
        ("phase", "acute, recovery, maintenance"),
        ("category", "core_strength, stretch, aerobic"),
        ("population", "general, desk_worker, pregnancy"),
    ],
)
def test_an_unknown_filter_value_is_a_400_naming_the_field_and_allowed_values(api, field, allowed):
    response = api.get("/api/v1/exercises/", {field: "nonsense"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert '"nonsense" is not one of:' in body[field][0]
    assert allowed in body[field][0]

    chinese = api.get("/api/v1/exercises/", {field: "nonsense"}).json()[field][0]
    assert "不是可选值之一" in chinese and allowed in chinese


def test_exercise_detail(api):
    response = api.get(reverse("exercises-api:exercise-detail", kwargs={"key": "heat_therapy"}))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == EXERCISE_FIELDS
    assert body["dosage"]["text_en"] == "40–45 °C, 15–20 min each time, 2–3 times a day"
    assert body["phases"] == ["acute"]


def test_unknown_exercise_is_404(api):
    response = api.get(reverse("exercises-api:exercise-detail", kwargs={"key": "yoga"}))
    assert response.status_code == 404


def test_query_count_does_not_grow_with_the_page(api):
    def queries(url, page_size):
        with CaptureQueriesContext(connection) as context:
            assert api.get(url, {"page_size": page_size}).status_code == 200
        return len(context.captured_queries)

    # count + exercises + phases + populations, however many are on the page
    assert queries("/api/v1/exercises/", 2) == queries("/api/v1/exercises/", 15) == 4
    # count + templates + items with their exercises
    assert queries("/api/v1/programme-templates/", 1) == 3
    assert queries("/api/v1/programme-templates/", 7) == 3


def test_programme_templates_list(api):
    response = api.get(reverse("exercises-api:template-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7
    assert {row["key"] for row in body["results"]} >= {"acute_sciatica", "disc_recovery"}
    assert not _has_id(body)


def test_programme_template_detail_lists_items_with_dosage_and_notes(api):
    url = reverse("exercises-api:template-detail", kwargs={"key": "disc_recovery"})
    body = api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["name"] == "Disc herniation recovery"
    assert body["phase"] == "recovery"
    items = {item["exercise"]["key"]: item for item in body["items"]}
    assert [item["exercise"]["key"] for item in body["items"]] == [
        "five_point_bridge",
        "glute_bridge",
        "plank",
        "straight_leg_raise",
        "superman",
    ]
    superman = items["superman"]
    assert superman["exercise"]["name_zh"] == "小燕飞"
    assert superman["note_en"] == "Only if there is no lumbar instability"
    assert superman["duration_weeks"] == 12
    assert superman["days_per_week"] == 7
    assert items["five_point_bridge"]["dosage"]["sets"] == 10
    assert items["five_point_bridge"]["dosage"]["text_en"] == "Hold 10 s, 10 sets"


def test_template_phase_is_null_when_the_template_fits_any_phase(api):
    body = api.get("/api/v1/programme-templates/pregnancy/").json()
    assert body["phase"] is None
    assert body["population"] == "pregnancy"


def test_template_detail_shows_an_override_and_the_items_own_dosage(api, therapist):
    acute = ProgrammeTemplate.objects.get(key="acute_sciatica")
    template_item_add(
        template=acute,
        exercise=Exercise.objects.get(key="massage"),
        minutes=10,
        override_reason="Gentle soft-tissue release only, in clinic.",
        overridden_by=therapist,
    )
    body = api.get("/api/v1/programme-templates/acute_sciatica/").json()
    massage = next(item for item in body["items"] if item["exercise"]["key"] == "massage")
    assert massage["overridden_cautions"] == ["acute_phase"]
    assert massage["dosage"]["minutes"] == 10
    assert massage["dosage"]["text_en"] == "10 min"
    assert "override_reason" not in massage and "overridden_by" not in massage


def test_unknown_template_is_404(api):
    assert api.get("/api/v1/programme-templates/nothing/").status_code == 404


def test_the_schema_documents_the_catalogue_and_its_filters(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    operation = schema["paths"]["/api/v1/exercises/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {"phase", "category", "population", "page", "page_size"} <= set(parameters)
    assert schema["components"]["schemas"]["Phase"]["enum"] == ["acute", "recovery", "maintenance"]
    assert "/api/v1/programme-templates/{key}/" in schema["paths"]
