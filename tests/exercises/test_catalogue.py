"""The seeded catalogue against ../shared/CLINICAL.md: every key, both languages, dosage, source."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from exercises.dosage import item_dosage
from exercises.models import Exercise, ProgrammeTemplate

SHARED = Path(settings.BASE_DIR).parent / "shared"
CLINICAL = SHARED / "CLINICAL.md"

# CLINICAL.md section 1, written out so the test also runs where ../shared/ is absent.
SECTION_1_KEYS = [
    "five_point_bridge",
    "superman",
    "plank",
    "glute_bridge",
    "waist_hip_stretch",
    "ankle_pump",
    "brisk_walk",
    "wall_stand",
    "straight_leg_raise",
    "kegel",
    "diaphragmatic_breathing",
    "heat_therapy",
    "stand_up_break",
]
ARTICLES = {
    "A0": "000_91ad0826311c97d2.txt",
    "A1": "001_97c5ca15f4c0d3eb.txt",
    "A2": "002_0834f866768f61f9.txt",
    "A3": "003_550b9b7c9cec398b.txt",
}
TEMPLATE_KEYS = {
    "acute_sciatica",
    "disc_recovery",
    "desk_worker_prevention",
    "circulation",
    "pregnancy",
    "postpartum",
    "elderly_gentle",
}

needs_shared = pytest.mark.skipif(not CLINICAL.exists(), reason="../shared/CLINICAL.md not here")


def _section_1_rows() -> list[dict[str, str]]:
    text = CLINICAL.read_text(encoding="utf-8")
    section = text.split("## 1.", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"[a-z_]+", cells[0]) and cells[0] != "key":
            key, zh, en, _dosage, _phase, _caution, sources = cells
            rows.append({"key": key, "zh": zh, "en": en, "sources": sources})
    return rows


@pytest.fixture
def catalogue(db) -> dict[str, Exercise]:
    return {e.key: e for e in Exercise.objects.prefetch_related("phases", "populations")}


def test_every_section_1_exercise_is_seeded_with_both_languages(catalogue):
    for key in SECTION_1_KEYS:
        exercise = catalogue[key]
        for field in ("name", "instructions", "dosage"):
            assert getattr(exercise, f"{field}_zh").strip(), f"{key}: {field}_zh is blank"
            assert getattr(exercise, f"{field}_en").strip(), f"{key}: {field}_en is blank"
        assert re.search(r"[\u4e00-\u9fff]", exercise.name_zh), f"{key}: name_zh is not Chinese"
        assert exercise.phase_codes, f"{key} has no phase"
        assert exercise.population_codes, f"{key} has no population"
        assert exercise.sources, f"{key} has no source"
        assert set(exercise.sources) <= set(ARTICLES.values()), exercise.sources


def test_cautioned_modalities_are_seeded(catalogue):
    # The caution rules name traction and massage (A3: neither in the acute phase).
    assert catalogue["lumbar_traction"].name_zh == "腰椎牵引"
    assert catalogue["lumbar_traction"].category == "modality"
    assert catalogue["lumbar_traction"].contraindications == ["acute_phase"]
    assert set(catalogue["lumbar_traction"].sources) == {ARTICLES["A1"], ARTICLES["A3"]}
    assert catalogue["massage"].name_zh == "按摩"
    assert catalogue["massage"].contraindications == ["acute_phase"]
    assert catalogue["massage"].sources == [ARTICLES["A3"]]


@needs_shared
def test_catalogue_matches_clinical_md_section_1(catalogue):
    rows = _section_1_rows()
    assert [row["key"] for row in rows] == SECTION_1_KEYS
    for row in rows:
        exercise = catalogue[row["key"]]
        assert exercise.name_zh == row["zh"]
        assert exercise.name_en == row["en"]
        cited = {ARTICLES[key] for key in re.findall(r"A\d", row["sources"])}
        assert set(exercise.sources) == cited, row["key"]


@needs_shared
def test_every_source_is_a_real_article(catalogue):
    seeds = SHARED / "seeds"
    sources = {s for e in catalogue.values() for s in e.sources}
    sources |= {s for t in ProgrammeTemplate.objects.all() for s in t.sources}
    assert sources
    for source in sources:
        assert (seeds / source).is_file(), source


def test_dosage_numbers_match_the_articles(catalogue):
    bridge = catalogue["five_point_bridge"]  # A0, A1: hold 10 s, 10 sets
    assert (bridge.hold_seconds, bridge.sets) == (10, 10)
    assert bridge.dosage_en == "Hold 10 s, 10 sets"
    assert "10 秒" in bridge.dosage_zh and "10 组" in bridge.dosage_zh
    stretch = catalogue["waist_hip_stretch"]  # A3: side-bend 15 s ×3, lean back 10 s ×5
    assert (stretch.hold_seconds, stretch.reps) == (15, 3)
    assert "15 s" in stretch.dosage_en and "10 s, 5 times" in stretch.dosage_en
    assert "15 秒" in stretch.dosage_zh and "10 秒，重复 5 次" in stretch.dosage_zh
    pumps = catalogue["ankle_pump"]  # A0: 20 a day
    assert (pumps.reps, pumps.times_per_day) == (20, 1)
    walk = catalogue["brisk_walk"]  # A0: 20 min a day
    assert (walk.minutes, walk.times_per_day) == (20, 1)
    assert catalogue["wall_stand"].minutes == 5  # A3
    raise_ = catalogue["straight_leg_raise"]  # A3: hold 10 s, 10 times
    assert (raise_.hold_seconds, raise_.reps) == (10, 10)
    heat = catalogue["heat_therapy"]  # A3: 40–45 °C, 15–20 min, 2–3 times a day
    assert heat.minutes in (15, 20) and heat.times_per_day in (2, 3)
    assert "40–45 °C" in heat.dosage_en and "2–3 times a day" in heat.dosage_en
    assert "15–20 分钟" in heat.dosage_zh and "2–3 次" in heat.dosage_zh
    # Between A1's 30 and A3's 40 minutes of sitting.
    assert catalogue["stand_up_break"].interval_minutes == 35


def test_contraindications_follow_the_caution_rules(catalogue):
    assert "lumbar_instability" in catalogue["superman"].contraindications
    # CLINICAL.md §2: acute sciatica means no core loading.
    for key in ("five_point_bridge", "superman", "plank", "glute_bridge"):
        assert "acute_phase" in catalogue[key].contraindications, key
    for key in ("heat_therapy", "stand_up_break", "brisk_walk"):
        assert catalogue[key].contraindications == [], key


def test_the_seven_programme_templates_are_seeded(db):
    templates = {t.key: t for t in ProgrammeTemplate.objects.prefetch_related("items__exercise")}
    assert set(templates) == TEMPLATE_KEYS
    for template in templates.values():
        assert template.name_zh and template.name_en and template.description_en
        assert template.sources and template.items.exists()

    def exercises(key):
        return [item.exercise.key for item in templates[key].items.all()]

    assert templates["acute_sciatica"].phase == "acute"
    assert set(exercises("acute_sciatica")) == {"heat_therapy", "stand_up_break", "brisk_walk"}
    assert set(exercises("disc_recovery")) == {
        "five_point_bridge",
        "glute_bridge",
        "plank",
        "straight_leg_raise",
        "superman",
    }
    assert exercises("circulation") == ["brisk_walk"]
    assert exercises("pregnancy") == ["ankle_pump"]
    assert exercises("postpartum")[:2] == ["kegel", "diaphragmatic_breathing"]
    assert set(exercises("elderly_gentle")) == {"wall_stand", "straight_leg_raise", "brisk_walk"}
    assert set(exercises("desk_worker_prevention")) == {"stand_up_break", "waist_hip_stretch"}


def test_disc_recovery_runs_up_to_three_months_and_guards_superman(db):
    # A3 myth 2: core training continues 1–3 months after pain is gone.
    items = {
        i.exercise.key: i for i in ProgrammeTemplate.objects.get(key="disc_recovery").items.all()
    }
    assert {item.duration_weeks for item in items.values()} == {12}
    assert items["superman"].note_en == "Only if there is no lumbar instability"
    assert "腰椎不稳" in items["superman"].note_zh


def test_template_items_prescribe_the_exercise_dosage_unless_overridden(db):
    template = ProgrammeTemplate.objects.get(key="elderly_gentle")
    item = template.items.get(exercise__key="straight_leg_raise")
    dosage = item_dosage(item)
    assert (dosage.hold_seconds, dosage.reps) == (10, 10)
    assert dosage.text_en == item.exercise.dosage_en
    item.reps = 8
    dosage = item_dosage(item)
    assert dosage.reps == 8
    assert dosage.text_en == "Hold 10 s, 8 times, once a day"
    assert dosage.text_zh == "每次保持 10 秒，重复 8 次，每天 1 次"
