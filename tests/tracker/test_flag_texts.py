"""The flag texts come from the interface's catalogue (English msgids, Chinese in locale/) and
are rendered in their reader's language, whatever the request or worker has active."""

import pytest
from django.utils import translation

from tracker.flag_texts import (
    emergency_advice,
    emergency_reason,
    emergency_why,
    flag_explanation,
    severity_advice,
)

EVIDENCE = {
    "pain_fell": ["leg_pain", "back_pain"],
    "leg_pain_mean": [6.1, 4.9],
    "back_pain_mean": [5, 5.5],
    "numbness_mean": [3.0, 5.2],
}


@pytest.mark.parametrize("active", ["en", "zh-hans"])
def test_a_therapist_reads_the_explanation_in_the_language_asked_for(active):
    with translation.override(active):
        chinese = flag_explanation(
            "pain_down_numbness_up", EVIDENCE, audience="therapist", language="zh-hans"
        )
        english = flag_explanation(
            "pain_down_numbness_up", EVIDENCE, audience="therapist", language="en"
        )

    assert chinese == (
        "疼痛下降而麻木上升（近 7 天对比前 7 天）：腿痛 6.1 → 4.9（−1.2）、"
        "腰痛 5.0 → 5.5（+0.5），而麻木 3.0 → 5.2（+2.2）。"
    )
    assert english == (
        "Pain down while numbness up (last 7 days vs the 7 before): leg pain 6.1 → 4.9 (−1.2) "
        "and back pain 5.0 → 5.5 (+0.5) while numbness 3.0 → 5.2 (+2.2)."
    )


@pytest.mark.parametrize("active", ["en", "zh-hans"])
def test_the_patient_is_told_what_to_do_in_their_own_language(active):
    with translation.override(active):
        assert flag_explanation(
            "missing_checkins", {"days": 4}, audience="patient", language="zh-hans"
        ).startswith("您已经 4 天没有打卡了。")
        assert flag_explanation(
            "cauda_equina", {"date": "2026-03-10"}, audience="therapist", language="en"
        ).startswith("New bowel/bladder dysfunction or saddle numbness (2026-03-10)")
        assert emergency_advice(language="zh-hans") == (
            "请立即前往医院急诊就医，不要等待。我们已通知您的治疗师。"
        )
        assert emergency_advice(language="en").startswith("Go to an emergency department now")
        assert emergency_why(language="zh-hans") == "这可能是神经严重受压的信号，需要今天就看急诊。"
        assert emergency_reason("cannot_walk_on_toes", language="en") == (
            "You said you cannot walk on your toes."
        )
        assert severity_advice("high", language="zh-hans", clinic_phone="010 1234") == (
            "请在一天之内联系您的治疗师。诊所电话：010 1234。"
        )
        assert severity_advice("high", language="en", clinic_phone="010 1234") == (
            "Please contact your therapist within a day. Clinic phone: 010 1234."
        )
        assert severity_advice("medium", language="en", clinic_phone="010 1234") == (
            "Mention it at your next contact with your therapist."
        )


def test_a_missing_value_reads_as_a_question_mark_in_both_languages():
    assert flag_explanation("missing_checkins", {}, audience="therapist", language="en") == (
        "No check-in for ? days (last ?)."
    )
    assert flag_explanation("missing_checkins", {}, audience="therapist", language="zh-hans") == (
        "已 ? 天未打卡（最近一次 ?）。"
    )
