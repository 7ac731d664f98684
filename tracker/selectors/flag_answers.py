"""The exact answers behind each flag, for its card on the therapist's patient page (issue 10,
"Seeing what the patient said"): which red-flag box was ticked, which numbness areas, the
scores, as the patient answered them on the flag's latest evidence date.

The values a rule stored in the evidence are the ones it fired on, so they come first (they
stay right after a correction, which the card shows beside them); the rest of that day's
check-in fills in what the evidence does not carry, such as the numbness areas. One query.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Field
from django.utils.translation import gettext as _

from tracker.models import CheckIn, Flag, User
from tracker.selectors.patient_page import SIDE_LABELS, SITE_LABELS
from tracker.selectors.patient_record import WARNING_ANSWERS

# The check-in answers each rule reads (tracker/rules/): what its card shows.
RULE_ANSWERS: dict[str, tuple[str, ...]] = {
    "cauda_equina": ("saddle_numbness", "bowel_bladder_change"),
    "motor_deficit": ("can_walk_on_heels", "can_walk_on_toes"),
    "pain_down_numbness_up": ("back_pain", "leg_pain", "numbness", "numbness_areas"),
    "numbness_worsening": ("numbness", "numbness_areas"),
    "claudication": ("stopped_walking", "walking_minutes", "calf_cramps"),
    "sudden_worsening": ("back_pain", "leg_pain"),
    "night_pain": ("night_pain",),
    "persistent_pain": ("back_pain", "leg_pain"),
    "pregnancy_persistent": ("numbness", "numbness_areas"),
    "conservative_failure": ("back_pain", "leg_pain", "numbness"),
}
SCORES = ("back_pain", "leg_pain", "numbness")


@dataclass(frozen=True)
class FlagAnswer:
    label: str
    value: str
    is_warning: bool


@dataclass(frozen=True)
class FlagAnswers:
    on: date
    answers: tuple[FlagAnswer, ...]


def _area_label(area: str) -> str:
    side, _sep, site = area.partition("_")
    return f"{SIDE_LABELS.get(side, side)} · {SITE_LABELS.get(site, site)}"


def _answer(name: str, value: object, *, new_areas: Sequence[str]) -> FlagAnswer:
    field = CheckIn._meta.get_field(name)
    assert isinstance(field, Field)  # a column of CheckIn's, not a relation
    label = str(field.verbose_name)
    label = label[:1].upper() + label[1:]
    if name in WARNING_ANSWERS:
        return FlagAnswer(label, _("yes") if value else _("no"), value is WARNING_ANSWERS[name])
    if name in SCORES:
        if isinstance(value, list):  # a rule that stored [before, after] (sudden worsening)
            return FlagAnswer(label, f"{value[0]} → {value[-1]}/10", False)
        return FlagAnswer(label, f"{value}/10", False)
    if name == "numbness_areas":
        areas = list(value) if isinstance(value, list) else []
        shown = [
            _area_label(area) + (f" ({_('new, further down')})" if area in new_areas else "")
            for area in areas
        ]
        return FlagAnswer(label, ", ".join(shown) or _("none"), bool(new_areas))
    if name == "walking_minutes":
        return FlagAnswer(label, "—" if value is None else f"{value}", False)
    return FlagAnswer(label, str(value), False)


def flag_answers(*, patient: User, flags: Sequence[Flag]) -> dict[int, FlagAnswers]:
    """flag pk → the answers behind its latest evidence; flags of rules that read no check-in
    answer (adherence, missing check-ins) have none. `patient` is already scoped."""
    wanted = {
        flag.pk: date.fromisoformat(flag.latest_evidence["date"])
        for flag in flags
        if flag.rule in RULE_ANSWERS and flag.latest_evidence.get("date")
    }
    # Always the one query (none would be a different count with and without flags).
    dates = set(wanted.values()) or {date.min}
    checkins = {
        checkin.date: checkin for checkin in CheckIn.objects.filter(patient=patient, date__in=dates)
    }
    found: dict[int, FlagAnswers] = {}
    for flag in flags:
        if flag.pk not in wanted:
            continue
        on = wanted[flag.pk]
        evidence = flag.latest_evidence
        checkin = checkins.get(on)
        new_areas = evidence.get("new_lower_areas") or []
        answers = []
        for name in RULE_ANSWERS[flag.rule]:
            if name in evidence:
                value = evidence[name]
            elif checkin is not None and "answer_now" not in evidence:
                value = getattr(checkin, name)
            else:
                continue
            answers.append(_answer(name, value, new_areas=new_areas))
        if answers:
            found[flag.pk] = FlagAnswers(on=on, answers=tuple(answers))
    return found
