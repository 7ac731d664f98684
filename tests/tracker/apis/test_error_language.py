"""A service's refusal reaches an API client in the client's language: the message is the
interface's gettext msgid, rendered with the request's (or the patient's) language active."""

from datetime import date

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
