"""Code systems the bundle uses: LOINC and SNOMED CT where a standard code exists, and the
product's own published CodeSystem (served at /api/v1/fhir/CodeSystem/rehab-tracker) for the
answers no standard code covers (numbness on the check-in's 0-10 scale, the yes/no questions of
CLINICAL.md §3, exercises, flag rules)."""

from django.conf import settings
from django.utils import translation

from tracker.models import NUMBNESS_AREAS, FlagRule, FlagSeverity

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# LOINC 72514-3: Pain severity - 0-10 verbal numeric rating [Score] - Reported; the check-in's
# back and leg pain are exactly that scale (CLINICAL.md §3), told apart by body site.
PAIN_SEVERITY = {
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
BODY_SITES = {
    "back_pain": {"system": SNOMED, "code": "37822005", "display": "Lower back structure"},
    "leg_pain": {"system": SNOMED, "code": "61685007", "display": "Lower limb structure"},
}
CODE_SYSTEM_ID = "rehab-tracker"
QUESTIONNAIRE_ID = "daily-checkin"
FHIR_VERSION = "4.0.1"


def api_base() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/api/v1/fhir"


def code_system_url() -> str:
    return f"{api_base()}/CodeSystem/{CODE_SYSTEM_ID}"


def questionnaire_url() -> str:
    return f"{api_base()}/Questionnaire/{QUESTIONNAIRE_ID}"


# (code, English display, Chinese display, definition). The check-in answers keep the API's
# field names with dashes, so a reader can find them in the API documentation.
ANSWER_CONCEPTS = [
    (
        "numbness",
        "Numbness (0-10)",
        "麻木程度（0-10）",
        "Leg numbness on a 0-10 numeric rating scale, as the patient reports it.",
    ),
    (
        "numbness-areas",
        "Numbness areas",
        "麻木部位",
        "Where on the legs the patient feels numbness today.",
    ),
    (
        "can-walk-on-heels",
        "Can walk on heels",
        "能用脚跟走路",
        "The patient can walk on their heels (A1, A3).",
    ),
    (
        "can-walk-on-toes",
        "Can walk on toes",
        "能用脚尖走路",
        "The patient can walk on their toes (A1, A3).",
    ),
    (
        "bowel-bladder-change",
        "New bowel or bladder trouble",
        "新出现的大小便问题",
        "New incontinence or retention (A1-A3).",
    ),
    (
        "saddle-numbness",
        "Saddle numbness",
        "会阴部（马鞍区）麻木",
        "Numbness around the groin and buttocks (A1-A3).",
    ),
    (
        "night-pain",
        "Night pain that stops sleep",
        "夜间疼痛影响睡眠",
        "Pain at night that stops sleep (A3).",
    ),
    ("calf-cramps", "Calf cramps", "小腿抽筋", "Calf cramps since the last check-in (A3)."),
    (
        "stopped-walking",
        "Had to stop walking",
        "走路时被迫停下",
        "Had to stop walking because of leg symptoms (A0, A2).",
    ),
    (
        "walking-minutes",
        "Walking minutes before stopping",
        "停下前能走的分钟数",
        "Minutes of walking before leg symptoms force a rest (A0, A2).",
    ),
    ("note", "Note", "备注", "The patient's free-text note."),
    (
        "psfs-mean",
        "PSFS mean score",
        "患者特定功能量表平均分",
        "Mean of the Patient-Specific Functional Scale ratings (0-10; Stratford 1995).",
    ),
]
AREA_SIDES = {"left": ("Left", "左"), "right": ("Right", "右")}
AREA_SITES = {
    "buttock": ("buttock", "臀部"),
    "back_of_thigh": ("back of thigh", "大腿后侧"),
    "outer_calf": ("outer calf", "小腿外侧"),
    "top_of_foot": ("top of foot", "脚背"),
    "sole": ("sole", "脚底"),
    "toes": ("toes", "脚趾"),
}


def area_code(area: str) -> str:
    return "area-" + area.replace("_", "-")


def area_display(area: str) -> tuple[str, str]:
    side, site = area.split("_", 1)
    return (
        f"{AREA_SIDES[side][0]} {AREA_SITES[site][0]}",
        f"{AREA_SIDES[side][1]}{AREA_SITES[site][1]}",
    )


def rule_code(rule: str) -> str:
    return "flag-" + rule.replace("_", "-")


def coding(code: str, display: str) -> dict:
    return {"system": code_system_url(), "code": code, "display": display}


def answer_coding(code: str) -> dict:
    english = next(concept[1] for concept in ANSWER_CONCEPTS if concept[0] == code)
    return coding(code, english)


def both_languages(label) -> tuple[str, str]:
    with translation.override("en"):
        en = str(label)
    with translation.override("zh-hans"):
        zh = str(label)
    return en, zh


def exercise_code(key: str) -> str:
    return "exercise-" + key.replace("_", "-")


def _concept(code: str, en: str, zh: str, definition: str = "") -> dict:
    concept = {
        "code": code,
        "display": en,
        "designation": [{"language": "zh-CN", "value": zh}],
    }
    if definition:
        concept["definition"] = definition
    return concept


def code_system() -> dict:
    """The product's CodeSystem, complete: every code the bundle uses from it."""
    from exercises.models import Exercise

    concepts = [_concept(*concept) for concept in ANSWER_CONCEPTS]
    concepts += [_concept(area_code(area), *area_display(area)) for area in NUMBNESS_AREAS]
    concepts += [_concept(rule_code(rule.value), *both_languages(rule.label)) for rule in FlagRule]
    concepts += [
        _concept(f"severity-{severity.value}", *both_languages(severity.label))
        for severity in FlagSeverity
    ]
    concepts += [
        _concept(exercise_code(exercise.key), exercise.name_en, exercise.name_zh)
        for exercise in Exercise.objects.order_by("key")
    ]
    return {
        "resourceType": "CodeSystem",
        "id": CODE_SYSTEM_ID,
        "url": code_system_url(),
        "version": "1",
        "name": "RehabTracker",
        "title": "Rehab tracker check-in answers, exercises and flags",
        "status": "active",
        "experimental": False,
        "publisher": "Rehab tracker",
        "description": "Codes for what the rehab tracker records where no LOINC or SNOMED CT "
        "code fits: the daily check-in's answers, numbness areas, exercises and the worsening "
        "flags' rules and severities. Displays in English, designations in Chinese.",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": concepts,
    }
