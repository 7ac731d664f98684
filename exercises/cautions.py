"""The caution guard: which contraindications an exercise meets in a given clinical context.

Pure: no database, no settings. Used for programme templates (context: the template's phase
and conditions) and for a patient's programme (context: the patient's phase and conditions).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from exercises.models import Contraindication, Phase

_MESSAGES = {
    # A1, A3: prone back extension (superman) puts a high load on the lumbar spine.
    Contraindication.LUMBAR_INSTABILITY: (
        "{name_zh}对腰椎负荷大，腰椎不稳的患者不宜进行。",
        "{name_en} puts a high load on the lumbar spine and is not for lumbar instability.",
    ),
    # A3: acute phase (first 1-2 weeks): heat and gentle activity; no massage, no traction,
    # no core loading.
    Contraindication.ACUTE_PHASE: (
        "急性期（疼痛发作后 1–2 周内）不宜进行{name_zh}。",
        "{name_en} is not for the acute phase (the first 1–2 weeks of a pain episode).",
    ),
}


@dataclass(frozen=True)
class CautionConflict:
    code: str
    exercise_key: str
    message_zh: str
    message_en: str


def caution_conflicts(
    *,
    exercise_key: str,
    name_zh: str,
    name_en: str,
    contraindications: Iterable[str],
    phase: str,
    conditions: Iterable[str],
) -> list[CautionConflict]:
    """Return the contraindications met; an empty list means the exercise may be given."""
    present = set(conditions)
    if phase == Phase.ACUTE:
        present.add(Contraindication.ACUTE_PHASE)
    conflicts = []
    for code in contraindications:
        if code not in present:
            continue
        zh, en = _MESSAGES[Contraindication(code)]
        conflicts.append(
            CautionConflict(
                code=code,
                exercise_key=exercise_key,
                message_zh=zh.format(name_zh=name_zh),
                message_en=en.format(name_en=name_en),
            )
        )
    return conflicts
