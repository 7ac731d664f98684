from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from exercises.models import Exercise, ProgrammeTemplate, ProgrammeTemplateItem
from exercises.services import CatalogueError, catalogue_load, caution_guard, template_item_add
from exercises.services.catalogue import DEFAULT_PATH

ROWS_IN_FILE = 15 + 7 + 18  # exercises + templates + template items


def _snapshot():
    return {
        "exercises": dict(Exercise.objects.values_list("key", "updated_at")),
        "exercise_pks": dict(Exercise.objects.values_list("key", "pk")),
        "templates": dict(ProgrammeTemplate.objects.values_list("key", "updated_at")),
        "items": sorted(ProgrammeTemplateItem.objects.values_list("pk", flat=True)),
    }


def _edited_copy(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def lumbar_instability_template(db):
    return ProgrammeTemplate.objects.create(
        key="unstable_back",
        name_zh="腰椎不稳",
        name_en="Unstable back",
        phase="recovery",
        conditions=["lumbar_instability"],
        sources=["003_550b9b7c9cec398b.txt"],
    )


# The loader


def test_loading_twice_changes_nothing(db):
    catalogue_load()
    before = _snapshot()
    report = catalogue_load()
    assert (report.created, report.updated, report.unchanged) == (0, 0, ROWS_IN_FILE)
    assert report.version == 1
    assert _snapshot() == before


def test_migration_loaded_the_catalogue_with_historical_models(db):
    # A fresh database has the catalogue from migration 0003; loading the same file through
    # the migration's historical models finds nothing to change.
    state = MigrationExecutor(connection).loader.project_state(("exercises", "0003_load_catalogue"))
    report = catalogue_load(apps=state.apps)
    assert report.unchanged == ROWS_IN_FILE
    assert report.created == report.updated == 0


def test_editing_the_file_updates_the_row_in_place(db, tmp_path, therapist):
    bridge = Exercise.objects.get(key="five_point_bridge")
    custom = ProgrammeTemplate.objects.create(
        key="custom", name_zh="自定", name_en="Custom", phase="recovery", sources=["x"]
    )
    patient_item = template_item_add(template=custom, exercise=bridge, sets=5)
    seeded_item = ProgrammeTemplateItem.objects.get(template__key="disc_recovery", exercise=bridge)
    other_updated_at = Exercise.objects.get(key="plank").updated_at
    path = _edited_copy(
        tmp_path,
        ("dosage: {sets: 10, hold_seconds: 10}", "dosage: {sets: 8, hold_seconds: 10}"),
        ("dosage_en: Hold 10 s, 10 sets", "dosage_en: Hold 10 s, 8 sets"),
    )

    report = catalogue_load(path=path)

    assert (report.exercises.updated, report.exercises.unchanged) == (1, 14)
    assert report.exercises.created == 0
    reloaded = Exercise.objects.get(key="five_point_bridge")
    assert reloaded.pk == bridge.pk
    assert (reloaded.sets, reloaded.dosage_en) == (8, "Hold 10 s, 8 sets")
    assert reloaded.updated_at > bridge.updated_at
    assert Exercise.objects.get(key="plank").updated_at == other_updated_at
    assert ProgrammeTemplateItem.objects.get(pk=seeded_item.pk).exercise_id == bridge.pk
    assert ProgrammeTemplateItem.objects.get(pk=patient_item.pk).sets == 5


def test_phase_changes_in_the_file_sync_the_child_rows(db, tmp_path):
    path = _edited_copy(
        tmp_path,
        (
            "phases: [recovery]\n    populations: [general]\n    instructions_zh: 由正规医院",
            "phases: [recovery, maintenance]\n    populations: [general]\n"
            "    instructions_zh: 由正规医院",
        ),
    )
    report = catalogue_load(path=path)
    assert report.exercises.updated == 1
    assert Exercise.objects.get(key="massage").phase_codes == ["recovery", "maintenance"]


def test_an_item_removed_from_the_file_is_deleted_but_the_exercise_stays(db, tmp_path):
    path = _edited_copy(
        tmp_path,
        (
            "      - exercise: superman\n        days_per_week: 7\n        duration_weeks: 12\n"
            "        note_zh: 仅在没有腰椎不稳时\n"
            "        note_en: Only if there is no lumbar instability\n",
            "",
        ),
    )
    report = catalogue_load(path=path)
    assert report.items.deleted == 1
    assert report.templates.updated == 1
    disc = ProgrammeTemplate.objects.get(key="disc_recovery")
    assert not disc.items.filter(exercise__key="superman").exists()
    assert disc.items.count() == 4
    assert Exercise.objects.filter(key="superman").exists()


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("    category: core_strength\n    phases: [recovery, maintenance]\n    populations: "
         "[general]\n    instructions_zh: 俯卧，用前臂",
         "    category: core_strength\n    colour: red\n    phases: [recovery, maintenance]\n"
         "    populations: [general]\n    instructions_zh: 俯卧，用前臂",
         "exercises[2] 'plank': unknown field 'colour'"),
        ("    phases: [recovery]\n    populations: [general]\n    instructions_zh: 俯卧，双臂",
         "    phases: [someday]\n    populations: [general]\n    instructions_zh: 俯卧，双臂",
         "exercises[1] 'superman': phases 'someday' is not one of: acute, recovery, maintenance"),
        ("    dosage_en: Hold 10 s, 10 sets\n", "",
         "exercises[0] 'five_point_bridge': 'dosage_en' is missing"),
        ("    caution_en: Move slowly and stop at a gentle stretch; no bouncing.\n", "",
         "exercises[4] 'waist_hip_stretch': 'caution_en' is missing"),
        ("      - exercise: stand_up_break\n        days_per_week: 7\n        duration_weeks: 2\n",
         "      - exercise: massage\n        days_per_week: 7\n        duration_weeks: 2\n",
         "templates[0] 'acute_sciatica' items[1] 'massage': Massage is not for the acute phase"),
        ("version: 1", "version: 2", "version 2 is not supported"),
        ("  - exercise: ankle_pump", "  - exercise: ankle_pumps",
         "exercise 'ankle_pumps' is not in the catalogue"),
    ],
    ids=["unknown-field", "unknown-choice", "missing-language", "half-bilingual", "caution",
         "version", "unknown-exercise"],
)  # fmt: skip
def test_a_bad_file_is_refused_naming_the_row_and_changes_nothing(db, tmp_path, old, new, problem):
    before = _snapshot()
    path = _edited_copy(
        tmp_path,
        ("name_en: Brisk walking", "name_en: Fast walking"),  # a valid change alongside
        (old, new),
    )
    with pytest.raises(CatalogueError) as error:
        catalogue_load(path=path)
    assert problem in str(error.value)
    assert _snapshot() == before
    assert Exercise.objects.get(key="brisk_walk").name_en == "Brisk walking"


def test_a_file_that_is_not_yaml_is_refused(db, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nexercises: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        catalogue_load(path=path)


# The caution guard


def test_superman_is_refused_for_lumbar_instability(lumbar_instability_template):
    superman = Exercise.objects.get(key="superman")
    with pytest.raises(ValidationError) as error:
        template_item_add(template=lumbar_instability_template, exercise=superman)
    assert error.value.message_dict["exercise"] == ["小燕飞对腰椎负荷大，腰椎不稳的患者不宜进行。"]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        template_item_add(template=lumbar_instability_template, exercise=superman)
    assert "not for lumbar instability" in error.value.message_dict["exercise"][0]
    assert not lumbar_instability_template.items.exists()


@pytest.mark.parametrize("key", ["lumbar_traction", "massage", "plank"])
def test_traction_massage_and_core_loading_are_refused_in_the_acute_template(db, key):
    acute = ProgrammeTemplate.objects.get(key="acute_sciatica")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        template_item_add(template=acute, exercise=Exercise.objects.get(key=key))
    assert "is not for the acute phase" in error.value.message_dict["exercise"][0]
    assert not acute.items.filter(exercise__key=key).exists()


def test_an_override_without_a_reason_is_refused(db, therapist):
    acute = ProgrammeTemplate.objects.get(key="acute_sciatica")
    traction = Exercise.objects.get(key="lumbar_traction")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        template_item_add(
            template=acute, exercise=traction, override_reason="   ", overridden_by=therapist
        )
    assert error.value.message_dict["override_reason"] == [
        "A therapist overriding a caution must give a reason."
    ]
    assert not acute.items.filter(exercise=traction).exists()


def test_a_therapists_override_with_a_reason_is_recorded(db, therapist):
    acute = ProgrammeTemplate.objects.get(key="acute_sciatica")
    traction = Exercise.objects.get(key="lumbar_traction")
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        item = template_item_add(
            template=acute,
            exercise=traction,
            override_reason="Supervised in clinic; pain settled after 10 days.",
            overridden_by=therapist,
        )
    item.refresh_from_db()
    assert item.overridden_cautions == ["acute_phase"]
    assert item.override_reason == "Supervised in clinic; pain settled after 10 days."
    assert item.overridden_by == therapist
    assert item.overridden_at == moment
    assert item.position == 4  # after the three seeded items


def test_a_patient_cannot_override_a_caution(db, patient):
    acute = ProgrammeTemplate.objects.get(key="acute_sciatica")
    massage = Exercise.objects.get(key="massage")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        template_item_add(
            template=acute, exercise=massage, override_reason="I like it", overridden_by=patient
        )
    assert error.value.message_dict["override_reason"] == [
        "Only a therapist can override a caution."
    ]
    assert "not for the acute phase" in error.value.message_dict["exercise"][0]
    assert not acute.items.filter(exercise=massage).exists()


def test_without_a_conflict_nothing_is_overridden(db, therapist):
    walk = Exercise.objects.get(key="brisk_walk")
    codes = caution_guard(
        exercise=walk,
        phase="acute",
        conditions=["lumbar_instability"],
        override_reason="no need",
        overridden_by=therapist,
    )
    assert codes == []
    template = ProgrammeTemplate.objects.create(key="t", name_zh="t", name_en="t", phase="acute")
    item = template_item_add(
        template=template, exercise=walk, override_reason="no need", overridden_by=therapist
    )
    assert (item.overridden_cautions, item.override_reason, item.overridden_by) == ([], "", None)


def test_the_same_exercise_cannot_be_added_twice(db):
    disc = ProgrammeTemplate.objects.get(key="disc_recovery")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        template_item_add(template=disc, exercise=Exercise.objects.get(key="plank"))
    assert error.value.message_dict["exercise"] == ["Plank is already in this programme."]


def test_days_per_week_must_be_one_to_seven(db):
    template = ProgrammeTemplate.objects.create(key="t", name_zh="t", name_en="t")
    with pytest.raises(ValidationError) as error:
        template_item_add(
            template=template, exercise=Exercise.objects.get(key="kegel"), days_per_week=8
        )
    assert "days_per_week" in error.value.message_dict
