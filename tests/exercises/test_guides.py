"""Every exercise's guide: steps in both languages, 2-4 pictures that exist, starting doses."""

import re
from pathlib import Path

import pytest

from exercises.dosage import exercise_dosage
from exercises.guides import guide_for, player_plan
from exercises.models import Exercise
from exercises.services import CatalogueError, catalogue_load
from exercises.services.catalogue import DEFAULT_PATH
from exercises.services.catalogue_guide import GUIDES_DIR
from tests.exercises.test_catalogue import SECTION_1_KEYS

STARTING_DOSE_KEYS = {"glute_bridge", "plank", "superman", "kegel", "diaphragmatic_breathing"}


@pytest.fixture
def exercises(db):
    return {exercise.key: exercise for exercise in Exercise.objects.all()}


def test_every_catalogue_exercise_has_a_guide_in_both_languages(exercises):
    for key in SECTION_1_KEYS:
        guide = exercises[key].guide
        assert guide["steps"], key
        for step in guide["steps"]:
            assert step["zh"] and step["en"], key
            assert re.search(r"[\u4e00-\u9fff]", step["zh"]), key  # Chinese really is Chinese
        assert guide["feel_zh"] and guide["feel_en"], key
        assert guide["stop_zh"] and len(guide["stop_zh"]) == len(guide["stop_en"]), key


def test_every_guide_has_two_to_four_pictures_that_exist_as_files(exercises):
    for key in SECTION_1_KEYS:
        pictures = exercises[key].guide["pictures"]
        assert 2 <= len(pictures) <= 4, key
        for picture in pictures:
            path = GUIDES_DIR / picture["file"]
            assert path.is_file(), path
            svg = path.read_text(encoding="utf-8")
            assert svg.startswith("<svg") and 'viewBox="0 0 320 200"' in svg
            assert picture["zh"] and picture["en"]
        # every picture is shown by at least one step
        shown = {step["picture"] for step in exercises[key].guide["steps"]}
        assert shown == set(range(1, len(pictures) + 1)), key


def test_pictures_are_licensed_in_their_folder():
    readme = (GUIDES_DIR / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "original" in readme


def test_look_alike_exercises_have_their_own_pictures(exercises):
    def files(key):
        return [(GUIDES_DIR / p["file"]).read_bytes() for p in exercises[key].guide["pictures"]]

    for a, b in (("five_point_bridge", "glute_bridge"), ("kegel", "diaphragmatic_breathing")):
        assert not set(files(a)) & set(files(b)), (a, b)


def test_undosed_exercises_carry_the_starting_dose_marked_for_therapists(exercises):
    # CLINICAL.md §1a
    assert {key for key, e in exercises.items() if e.is_starting_dose} == STARTING_DOSE_KEYS
    glute = exercises["glute_bridge"]
    assert (glute.sets, glute.reps, glute.hold_seconds, glute.times_per_day) == (2, 10, 3, 1)
    plank = exercises["plank"]
    assert (plank.sets, plank.hold_seconds) == (3, 15)
    assert (exercises["superman"].sets, exercises["superman"].reps) == (2, 8)
    kegel = exercises["kegel"]
    assert (kegel.sets, kegel.reps, kegel.hold_seconds, kegel.times_per_day) == (3, 10, 5, 2)
    breathing = exercises["diaphragmatic_breathing"]
    assert (breathing.minutes, breathing.times_per_day) == (5, 2)
    assert not exercises["five_point_bridge"].is_starting_dose  # A0, A1 dose it


def test_no_patient_facing_text_says_the_articles_give_no_dose(exercises):
    for exercise in exercises.values():
        text = " ".join([exercise.dosage_zh, exercise.dosage_en]).lower()
        assert "no dose in the articles" not in text, exercise.key
        assert "文章未给出" not in text, exercise.key


def test_the_player_plan_follows_the_dose(exercises):
    bridge = exercises["five_point_bridge"]  # hold 10 s, 10 sets
    plan = player_plan(
        key=bridge.key, guide=bridge.guide, dosage=exercise_dosage(bridge), language="en"
    )
    holds = [phase for phase in plan if phase.kind == "hold"]
    assert len(holds) == 10 and {phase.seconds for phase in holds} == {10}
    assert [phase.set_number for phase in holds] == list(range(1, 11))
    assert holds[0].picture == 2 and "level" in holds[0].cue
    assert sum(1 for phase in plan if phase.kind == "rest") == 9
    assert plan[0].kind == "setup"

    walk = exercises["brisk_walk"]
    [setup_or_walk] = [
        phase
        for phase in player_plan(
            key=walk.key, guide=walk.guide, dosage=exercise_dosage(walk), language="zh-hans"
        )
        if phase.kind == "walk"
    ]
    assert setup_or_walk.seconds == 20 * 60

    stretch = exercises["waist_hip_stretch"]  # 3 rounds of 15 s each side, then 5 x 10 s back
    plan = player_plan(
        key=stretch.key, guide=stretch.guide, dosage=exercise_dosage(stretch), language="en"
    )
    assert [p.seconds for p in plan if p.kind == "hold"] == [15] * 6 + [10] * 5


def test_guide_in_the_readers_language(exercises):
    bridge = exercises["five_point_bridge"]
    zh = guide_for(key=bridge.key, guide=bridge.guide, language="zh-hans")
    en = guide_for(key=bridge.key, guide=bridge.guide, language="en")
    assert "仰卧" in zh.steps[0].text and "Lie on your back" in en.steps[0].text
    assert en.first_picture.static_path == "exercises/guides/five_point_bridge-1.svg"
    assert guide_for(key="massage", guide=exercises["massage"].guide, language="en") is None


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "catalogue.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("file: five_point_bridge-2.svg", "file: missing-2.svg", "missing-2.svg is not in"),
        (
            "    - {file: five_point_bridge-2.svg",
            "    - {file: five_point_bridge-1.svg",
            None,
        ),
        ("{picture: 2, hold: true, zh: 用双肘", "{picture: 7, hold: true, zh: 用双肘", "step 2"),
        (
            "    starting_dose: {sets: 2, reps: 8",
            "    dosage: {sets: 1}\n    starting_dose: {sets: 2, reps: 8",
            "not both",
        ),
    ],
)
def test_a_bad_guide_is_refused_and_names_the_row(db, tmp_path, old, new, problem):
    path = _edited(tmp_path, old, new)
    if problem is None:  # the same picture twice is allowed (not an error)
        catalogue_load(path=path)
        return
    before = Exercise.objects.get(key="five_point_bridge").guide
    with pytest.raises(CatalogueError) as raised:
        catalogue_load(path=path)
    assert any(problem in line for line in raised.value.problems), raised.value.problems
    assert Exercise.objects.get(key="five_point_bridge").guide == before
