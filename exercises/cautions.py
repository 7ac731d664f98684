"""The caution guard: which contraindications an exercise meets in a given clinical context.

No database: which conflicts there are depends only on the exercise and the context. Used for
programme templates (context: the template's phase and conditions) and for a patient's
programme (context: the patient's phase and conditions). The message is the interface's, through
gettext (Chinese in locale/), with the exercise's name in the reader's language.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from exercises.models import Contraindication, Phase
from reminders.languages import is_english

_MESSAGES = {
    # A1, A3: prone back extension (superman) puts a high load on the lumbar spine.
    Contraindication.LUMBAR_INSTABILITY: _(
        "%(name)s puts a high load on the lumbar spine and is not for lumbar instability."
    ),
    # A3: acute phase (first 1-2 weeks): heat and gentle activity; no massage, no traction,
    # no core loading.
    Contraindication.ACUTE_PHASE: _(
        "%(name)s is not for the acute phase (the first 1–2 weeks of a pain episode)."
    ),
}


@dataclass(frozen=True)
class CautionConflict:
    code: str
    exercise_key: str
    name_zh: str
    name_en: str

    @property
    def message(self) -> str:
        """Why the exercise is refused, in the active language."""
        name = self.name_en if is_english() else self.name_zh
        return str(_MESSAGES[Contraindication(self.code)]) % {"name": name}


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
        conflicts.append(
            CautionConflict(code=code, exercise_key=exercise_key, name_zh=name_zh, name_en=name_en)
        )
    return conflicts
