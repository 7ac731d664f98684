"""The daily check-in (CLINICAL.md §3) as a FHIR Questionnaire, and each check-in as a
QuestionnaireResponse to it. linkIds are the API's field names."""

from typing import Any

from tracker.fhir import terminology as t
from tracker.models import NUMBNESS_AREAS, CheckIn

# (linkId, type, English, Chinese); scores are integers 0-10.
ITEMS = [
    (
        "back_pain",
        "integer",
        "Back pain now (0 = none, 10 = worst imaginable)",
        "现在腰痛程度（0 = 不痛，10 = 最痛）",
    ),
    (
        "leg_pain",
        "integer",
        "Leg pain now (0 = none, 10 = worst imaginable)",
        "现在腿痛程度（0 = 不痛，10 = 最痛）",
    ),
    (
        "numbness",
        "integer",
        "Leg numbness now (0 = none, 10 = worst imaginable)",
        "现在腿麻程度（0 = 不麻，10 = 最麻）",
    ),
    ("numbness_areas", "choice", "Where is it numb?", "哪里发麻？"),
    ("can_walk_on_heels", "boolean", "Can you walk on your heels?", "能用脚跟走路吗？"),
    ("can_walk_on_toes", "boolean", "Can you walk on your toes?", "能用脚尖走路吗？"),
    (
        "bowel_bladder_change",
        "boolean",
        "New trouble holding or passing urine or stool?",
        "新出现大小便失禁或排不出？",
    ),
    (
        "saddle_numbness",
        "boolean",
        "Numbness around the groin or buttocks (saddle area)?",
        "会阴部（马鞍区）发麻吗？",
    ),
    ("night_pain", "boolean", "Did pain stop you sleeping last night?", "昨晚疼痛影响睡眠吗？"),
    ("calf_cramps", "boolean", "Calf cramps?", "小腿抽筋了吗？"),
    (
        "stopped_walking",
        "boolean",
        "Did leg symptoms make you stop walking?",
        "走路时因腿部症状被迫停下吗？",
    ),
    ("walking_minutes", "integer", "Minutes of walking before you had to stop", "停下前走了几分钟"),
    ("note", "text", "Anything else?", "还有其他情况吗？"),
]


def _text(en: str, zh: str) -> tuple[str, dict]:
    # The translation extension carries the Chinese wording next to the English text.
    return en, {
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                    {"url": "lang", "valueCode": "zh-CN"},
                    {"url": "content", "valueString": zh},
                ],
            }
        ]
    }


def questionnaire() -> dict:
    items = []
    for link_id, kind, en, zh in ITEMS:
        text, text_ext = _text(en, zh)
        item: dict[str, Any] = {"linkId": link_id, "type": kind, "text": text, "_text": text_ext}
        if link_id in CheckIn.SCORE_FIELDS:
            item["required"] = True
            item["extension"] = [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10},
            ]
        if link_id == "numbness_areas":
            item["repeats"] = True
            item["answerOption"] = [
                {"valueCoding": t.coding(t.area_code(area), t.area_display(area)[0])}
                for area in NUMBNESS_AREAS
            ]
        items.append(item)
    return {
        "resourceType": "Questionnaire",
        "id": t.QUESTIONNAIRE_ID,
        "url": t.questionnaire_url(),
        "version": "1",
        "name": "DailyCheckIn",
        "title": "Daily check-in: back pain, leg pain and numbness",
        "status": "active",
        "subjectType": ["Patient"],
        "description": "The rehab tracker's daily check-in: three 0-10 numeric rating scales, "
        "the numbness areas, the yes/no warning questions and the walking tolerance.",
        "item": items,
    }


def _answers(link_id: str, value) -> list[dict]:
    if value is None or value == "" or value == []:
        return []
    if link_id == "numbness_areas":
        return [
            {"valueCoding": t.coding(t.area_code(area), t.area_display(area)[0])}
            for area in value
            if area in NUMBNESS_AREAS
        ]
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    return [{"valueString": str(value)}]


def questionnaire_response(checkin: CheckIn, *, patient_ref: dict[str, Any]) -> dict[str, Any]:
    answers = checkin.answers()
    items = []
    for link_id, _kind, en, _zh in ITEMS:
        answer = _answers(link_id, answers[link_id])
        if answer:
            items.append({"linkId": link_id, "text": en, "answer": answer})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(checkin.public_id),
        "meta": {"lastUpdated": checkin.updated_at.isoformat()},
        "questionnaire": t.questionnaire_url(),
        "status": "completed",
        "subject": patient_ref,
        "authored": checkin.updated_at.isoformat(),
        "author": patient_ref,
        "item": items,
    }
