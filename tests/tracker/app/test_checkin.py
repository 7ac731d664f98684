"""Check-in: every question of CLINICAL.md §3 as touch controls; urgent answers get the
emergency instruction at once; otherwise thanks and this week against last week."""

import pytest

from tests.tracker.app.support import CHECKIN, add_checkins, days_ago
from tracker.models import NUMBNESS_AREAS, CheckIn, Flag


def test_the_form_asks_every_question(app_client, patient, now):
    page = app_client(patient).get("/app/checkin/").content.decode()

    for name in ("back_pain", "leg_pain", "numbness"):
        assert page.count(f'name="{name}"') == 11  # 0-10
    assert "0 = No pain" in page and "10 = Worst pain imaginable" in page
    assert "0 = No numbness" in page
    for area in NUMBNESS_AREAS:
        assert f'name="numbness_areas" value="{area}"' in page
    assert "Left leg" in page and "Right leg" in page and "Back of thigh" in page
    for name in (
        "bowel_bladder_change",
        "saddle_numbness",
        "cannot_walk_on_heels",
        "cannot_walk_on_toes",
        "night_pain",
        "calf_cramps",
        "stopped_walking",
        "walking_minutes",
        "note",
    ):
        assert f'name="{name}"' in page
    assert "passing urine or stools" in page  # red flags in plain words
    assert 'data-timezone="Asia/Shanghai"' in page


def test_a_check_in_is_stored_and_thanked(app_client, patient, now):
    client = app_client(patient)

    response = client.post(
        "/app/checkin/",
        {
            **CHECKIN,
            "numbness_areas": ["left_outer_calf", "left_toes"],
            "calf_cramps": "on",
            "walking_minutes": "25",
            "note": "Stiff in the morning",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/app/checkin/thanks/"
    checkin = CheckIn.objects.get(patient=patient)
    assert checkin.date.isoformat() == "2026-03-10"
    assert (checkin.back_pain, checkin.leg_pain, checkin.numbness) == (3, 5, 2)
    assert checkin.numbness_areas == ["left_outer_calf", "left_toes"]
    assert checkin.can_walk_on_heels and checkin.can_walk_on_toes
    assert checkin.calf_cramps and not checkin.bowel_bladder_change
    assert checkin.walking_minutes == 25
    assert checkin.note == "Stiff in the morning"
    assert not Flag.objects.filter(severity="urgent").exists()


def test_thanks_compares_this_week_with_last_week(app_client, patient, now):
    add_checkins(patient, range(7, 14), leg_pain=7, back_pain=5, numbness=2)
    add_checkins(patient, range(0, 7), leg_pain=3, back_pain=4, numbness=2)

    page = app_client(patient).get("/app/checkin/thanks/").content.decode()

    assert "This week against last week" in page
    assert "Better by 4.0" in page  # leg pain 7 -> 3
    assert "About the same" in page  # back pain 5 -> 4 (under the 2-point difference)


def test_thanks_says_when_there_is_too_little_to_compare(app_client, patient, now):
    add_checkins(patient, [0])

    assert (
        "Not enough check-ins yet"
        in app_client(patient).get("/app/checkin/thanks/").content.decode()
    )


@pytest.mark.parametrize(
    ("answer", "rule"),
    [
        ("bowel_bladder_change", "cauda_equina"),
        ("saddle_numbness", "cauda_equina"),
        ("cannot_walk_on_heels", "motor_deficit"),
        ("cannot_walk_on_toes", "motor_deficit"),
    ],
)
def test_a_red_flag_answer_shows_the_emergency_instruction_at_once(
    app_client, patient, now, answer, rule
):
    response = app_client(patient).post("/app/checkin/", {**CHECKIN, answer: "on"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Seek emergency care now" in page
    assert "Go to an emergency department now, or call 120." in page
    assert "Your check-in is saved. Your therapist has been told." in page
    assert Flag.objects.get(patient=patient, rule=rule).severity == "urgent"
    assert CheckIn.objects.filter(patient=patient).count() == 1


def test_the_emergency_instruction_in_chinese(app_client, patient, now):
    response = app_client(patient, "zh-hans").post(
        "/app/checkin/", {**CHECKIN, "bowel_bladder_change": "on"}
    )

    page = response.content.decode()
    assert "请立即前往医院急诊，或拨打 120。" in page
    assert "我们已通知您的治疗师" in page
    assert "您报告了新出现的排尿或排便困难" in page  # the reason, in Chinese


def test_cannot_walk_on_heels_is_stored_as_can_walk_false(app_client, patient, now):
    app_client(patient).post("/app/checkin/", {**CHECKIN, "cannot_walk_on_heels": "on"})

    checkin = CheckIn.objects.get()
    assert (checkin.can_walk_on_heels, checkin.can_walk_on_toes) == (False, True)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"back_pain": ""}, "back_pain"),
        ({"leg_pain": "11"}, "leg_pain"),
        ({"numbness": "two"}, "numbness"),
        ({"numbness_areas": ["left_knee"]}, "numbness_areas"),
        ({"walking_minutes": "-5"}, "walking_minutes"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_a_bad_answer_is_a_400_with_the_form_and_nothing_is_stored(
    app_client, patient, now, change, field
):
    response = app_client(patient).post("/app/checkin/", {**CHECKIN, **change})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Please answer the questions marked below." in page
    assert response.context["form"].errors[field]
    assert not CheckIn.objects.exists()


def test_a_missing_score_is_named_in_chinese_too(app_client, patient, now):
    response = app_client(patient, "zh-hans").post("/app/checkin/", {"leg_pain": "3"})

    assert response.status_code == 400
    assert "该字段是必填项。" in response.content.decode()  # Django's own translation
    assert not CheckIn.objects.exists()


def test_sending_again_the_same_day_replaces_the_answers(app_client, patient, now):
    client = app_client(patient)
    client.post("/app/checkin/", CHECKIN)

    page = client.get("/app/checkin/").content.decode()
    assert "You have already checked in today." in page
    assert 'value="5" id="id_leg_pain_5" required checked' in page  # today's answer prefilled

    client.post("/app/checkin/", {**CHECKIN, "leg_pain": "4"})
    assert CheckIn.objects.get().leg_pain == 4


def test_yesterdays_check_in_is_not_today_s(app_client, patient, now):
    CheckIn.objects.create(patient=patient, date=days_ago(1), back_pain=1, leg_pain=1, numbness=1)

    assert "already checked in" not in app_client(patient).get("/app/checkin/").content.decode()
