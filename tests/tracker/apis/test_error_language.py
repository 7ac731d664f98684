"""A service's refusal reaches an API client in the client's language: the message is the
interface's gettext msgid, rendered with the request's (or the patient's) language active."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tracker.services.checkins import checkin_submit

SCORES = {"back_pain": 3, "leg_pain": 2, "numbness": 1}


def _assign_superman_to_unstable_back(api, patient, therapist, language):
    patient.patient_profile.conditions = ["lumbar_instability"]
    patient.patient_profile.save()
    return api(therapist).post(
        f"/api/v1/patients/{patient.public_id}/assignments/",
        {"template": "disc_recovery"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_a_chinese_client_is_refused_a_caution_in_chinese(api, patient, therapist, now):
    refused = _assign_superman_to_unstable_back(api, patient, therapist, "zh-hans")

    assert refused.status_code == 400
    (message,) = refused.json()["cautions"]
    assert message.startswith("superman: ")
    assert "对腰椎负荷大，腰椎不稳的患者不宜进行。" in message
    assert "如确需安排，请在 override_reason 中写明理由。" in message
    assert "lumbar" not in message


def test_an_english_client_is_refused_the_same_caution_in_english(api, patient, therapist, now):
    refused = _assign_superman_to_unstable_back(api, patient, therapist, "en")

    (message,) = refused.json()["cautions"]
    assert "puts a high load on the lumbar spine and is not for lumbar instability." in message
    assert "To assign it anyway, give an override_reason." in message


def test_a_chinese_patient_is_told_the_backdate_limit_in_chinese(api, patient, now):
    # The profile's language decides for a patient, whatever the client sends.
    response = api(patient).post(
        "/api/v1/checkins/",
        {"date": date(2025, 11, 1).isoformat(), **SCORES},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["date"] == ["最多可以补填 90 天前的打卡。"]


def test_a_wrong_password_is_refused_in_the_clients_language(api, patient):
    answers = {
        language: api().post(
            "/api/v1/auth/token/",
            {"username": "pat", "password": "not-it"},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        for language in ("zh-hans", "en")
    }

    assert all(response.status_code == 400 for response in answers.values())
    assert "用户名或密码不正确，无法登录。" in str(answers["zh-hans"].json())
    assert "Unable to sign in with that username and password." in str(answers["en"].json())


@pytest.mark.parametrize(
    ("language", "score", "area"),
    [
        ("zh-hans", "请填写 0 到 10 的整数。", "未知的麻木部位：toe。"),
        ("en", "A whole number from 0 to 10.", "Unknown area(s): toe."),
    ],
)
def test_the_check_in_service_refuses_in_the_active_language(patient, now, language, score, area):
    # What the service itself says (the API's serializer catches these first, in DRF's words).
    with translation.override(language), pytest.raises(ValidationError) as refused:
        checkin_submit(
            patient=patient,
            on=date(2026, 3, 10),
            answers={**SCORES, "back_pain": 11, "numbness_areas": ["toe"]},
        )

    assert refused.value.message_dict == {"back_pain": [score], "numbness_areas": [area]}


def _checkin_refusal(api, patient, language, body):
    """The patient's language decides (the API activates it), whatever the client sends."""
    profile = patient.patient_profile
    profile.language = language
    profile.save(update_fields=["language"])
    other = "en" if language == "zh-hans" else "zh-hans"
    response = api(patient).post(
        "/api/v1/checkins/", body, format="json", HTTP_ACCEPT_LANGUAGE=other
    )
    assert response.status_code == 400
    return response.json()


def test_a_chinese_patient_is_refused_a_future_check_in_and_a_bad_score_in_chinese(
    api, patient, now
):
    future = _checkin_refusal(api, patient, "zh-hans", {"date": "2026-03-11", **SCORES})
    bad_score = _checkin_refusal(api, patient, "zh-hans", {**SCORES, "back_pain": 11})

    assert future["date"] == ["这个日期在未来（按您的时区）。"]
    assert bad_score["back_pain"] == ["请确保该值小于或者等于 10。"]  # the serializer's


def test_an_english_patient_is_refused_the_same_check_ins_in_english(api, patient, now):
    future = _checkin_refusal(api, patient, "en", {"date": "2026-03-11", **SCORES})
    bad_score = _checkin_refusal(api, patient, "en", {**SCORES, "back_pain": 11})
    too_old = _checkin_refusal(api, patient, "en", {"date": "2025-11-01", **SCORES})

    assert future["date"] == ["The date is in the future (in your time zone)."]
    assert bad_score["back_pain"] == ["Ensure this value is less than or equal to 10."]
    assert too_old["date"] == ["Check-ins can be entered up to 90 days back."]


def test_a_session_refusal_comes_in_the_patients_language(api, patient, now):
    answers = {}
    for language in ("zh-hans", "en"):
        patient.patient_profile.language = language
        patient.patient_profile.save(update_fields=["language"])
        answers[language] = api(patient).post(
            "/api/v1/sessions/",
            {"exercise": "no-such-exercise", "performed_at": "2026-03-12T08:00:00+08:00"},
            format="json",
        )

    assert answers["zh-hans"].status_code == answers["en"].status_code == 400
    assert answers["zh-hans"].json()["exercise"] == ["没有这项练习。"]
    assert answers["zh-hans"].json()["performed_at"] == ["这个时间在将来。"]
    assert answers["en"].json()["exercise"] == ["No such exercise."]
    assert answers["en"].json()["performed_at"] == ["This time is in the future."]
