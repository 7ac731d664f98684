"""What each worsening rule says, to the patient and to the therapist.

English in the code, Chinese in the catalogue (locale/zh_Hans), like the rest of the interface;
each text is rendered in its reader's language, whatever the request or worker has active.
Placeholders are named, str.format style, filled from the flag's evidence.
The wording is ours, the facts are CLINICAL.md §4's. Patient texts advise, never diagnose;
urgent ones say plainly to seek emergency care now.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from reminders.languages import language_code


@dataclass(frozen=True)
class FlagText:
    patient: Promise  # lazy: rendered in the reader's language
    therapist: Promise


EMERGENCY_ADVICE = _(
    "Go to an emergency department now; do not wait. Your therapist has been told."
)

TEXTS: dict[str, FlagText] = {
    "cauda_equina": FlagText(
        patient=_(
            "You reported new bowel or bladder trouble or numbness in the saddle area. This can "
            "be a sign of severe nerve compression."
        ),
        therapist=_(
            "New bowel/bladder dysfunction or saddle numbness ({date}): possible cauda equina "
            "syndrome, needs emergency assessment."
        ),
    ),
    "motor_deficit": FlagText(
        patient=_(
            "You reported that you cannot walk on your heels or on your toes. This can mean nerve "
            "compression is affecting muscle strength."
        ),
        therapist=_(
            "Unable to walk on heels or toes ({date}): motor deficit (e.g. foot drop), needs "
            "prompt assessment."
        ),
    ),
    "pain_down_numbness_up": FlagText(
        patient=_(
            "Over the last 7 days compared with the 7 before, your pain eased "
            "({pain_change_plain}) but your numbness grew ({numbness_change_plain}). Growing "
            "numbness is not improvement: it can mean the nerve is more compressed. Please "
            "contact your therapist or doctor soon."
        ),
        therapist=_(
            "Pain down while numbness up (last 7 days vs the 7 before): {pain_change} while "
            "numbness {numbness_change}."
        ),
    ),
    "numbness_worsening": FlagText(
        patient=_(
            "Your numbness is getting worse or spreading further down your leg. Please contact "
            "your therapist or doctor soon."
        ),
        therapist=_(
            "Numbness rising or spreading distally ({date}, 3-day mean {numbness_3_day_mean})."
        ),
    ),
    "claudication": FlagText(
        patient=_(
            "You had to stop walking because of your leg, or you can walk for much less time than "
            "before. Please tell your therapist."
        ),
        therapist=_("Intermittent claudication or walking tolerance down ≥ 50 % ({date})."),
    ),
    "sudden_worsening": FlagText(
        patient=_(
            "Your pain is much worse than at your last check-in. Rest, and see a doctor if it "
            "keeps getting worse."
        ),
        therapist=_("Pain up ≥ 3 points since the previous check-in ({previous_date} → {date})."),
    ),
    "night_pain": FlagText(
        patient=_(
            "Pain has kept you awake on recent nights. Tell your therapist; night pain that goes "
            "on needs a doctor's check."
        ),
        therapist=_("Night pain stopping sleep on ≥ 2 of the last 3 nights ({date})."),
    ),
    "persistent_pain": FlagText(
        patient=_(
            "Your pain has stayed high for more than two weeks without clear improvement. Review "
            "your programme with your therapist."
        ),
        therapist=_("Pain ≥ 4 for {days} days with no 2-point improvement (since {since})."),
    ),
    "pregnancy_persistent": FlagText(
        patient=_("Numbness in pregnancy has lasted more than two weeks. Please see a doctor."),
        therapist=_("Numbness in pregnancy for more than 14 days (since {numbness_since})."),
    ),
    "conservative_failure": FlagText(
        patient=_(
            "After more than 3 months of conservative care your leg pain has not improved enough. "
            "Discuss the next step with your doctor."
        ),
        therapist=_(
            "More than 90 days of conservative care, leg pain < 30 % better: refer for surgical "
            "assessment."
        ),
    ),
    "adherence_drop": FlagText(
        patient=_(
            "You did fewer than half of this week's planned sessions. Core training should go on "
            "for 1–3 months after pain eases."
        ),
        therapist=_(
            "{done_last_7_days} of {prescribed_last_7_days} prescribed sessions done in the last "
            "7 days."
        ),
    ),
    "missing_checkins": FlagText(
        patient=_(
            "You have not checked in for {days} days. A one-minute daily check-in lets your "
            "therapist spot changes in time."
        ),
        therapist=_("No check-in for {days} days (last {last_checkin})."),
    ),
}


# A rule whose evidence names the clause that fired ("clause") can say more for that clause.
CLAUSE_TEXTS: dict[tuple[str, str], FlagText] = {
    ("adherence_drop", "stopped_after_pain_eased"): FlagText(
        patient=_(
            "You stopped your exercises this week once your pain eased. That is the time to keep "
            "going: core training should go on for 1–3 months after pain eases, to help keep it "
            "from coming back."
        ),
        therapist=_(
            "Sessions stopped once pain eased: 0 of {prescribed_last_7_days} done in the last 7 "
            "days after {done_previous_7_days} the week before; weekly pain mean {pain}."
        ),
    ),
}


def _pain_label(name: str) -> str:
    if name == "leg_pain":
        return pgettext("flag", "leg pain")
    return pgettext("flag", "back pain")


PAIN_NAMES = ("leg_pain", "back_pain")


def _number(value: float) -> str:
    return f"{value:.1f}"


def _change(pair: object, *, with_delta: bool = True) -> str:
    """[before, after] as "6.1 → 4.9 (−1.2)", or "6.1 → 4.9" without the difference."""
    if not (isinstance(pair, list) and len(pair) == 2):
        return "?"
    if not all(isinstance(v, int | float) for v in pair):
        return "?"
    before, after = (round(float(v), 1) for v in pair)
    text = f"{_number(before)} → {_number(after)}"
    if not with_delta:
        return text
    delta = round(after - before, 1)
    sign = "+" if delta >= 0 else "−"
    return pgettext("flag", "{change} ({delta})").format(
        change=text, delta=f"{sign}{abs(delta):.1f}"
    )


def _pain_change(evidence: dict, *, with_delta: bool) -> str:
    """The pain fall(s) that define pain_down_numbness_up: "leg pain 6.1 → 4.9 (−1.2)"."""
    fell = evidence.get("pain_fell")
    if fell is None:  # evidence recorded before "pain_fell": the pain that fell most
        pairs = {name: evidence.get(f"{name}_mean") or [0, 0] for name in PAIN_NAMES}
        fell = [min(pairs, key=lambda name: pairs[name][1] - pairs[name][0])]
    parts = [
        f"{_pain_label(name)} " + _change(evidence.get(f"{name}_mean"), with_delta=with_delta)
        for name in fell
        if name in PAIN_NAMES
    ]
    return pgettext("flag", " and ").join(parts)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def flag_explanation(rule: str, evidence: dict, *, audience: str, language: str) -> str:
    """The explanation of one flag for 'patient' or 'therapist' in `language` (any code)."""
    text = CLAUSE_TEXTS.get((rule, evidence.get("clause", "")), TEXTS[rule])
    with translation.override(language_code(language)):
        template = str(getattr(text, audience))
        values = {
            key: ", ".join(map(str, value)) if isinstance(value, list) else value
            for key, value in evidence.items()
        }
        values["numbness"] = " → ".join(map(str, evidence.get("numbness_mean", []))) or "?"
        if "{pain}" in template:  # formatting is most of the cost; most texts have no {pain}
            values["pain"] = _change(evidence.get("pain_mean"))
        if rule == "pain_down_numbness_up":
            numbness = evidence.get("numbness_mean")
            values["numbness_change"] = _change(numbness)
            values["numbness_change_plain"] = _change(numbness, with_delta=False)
            values["pain_change"] = _pain_change(evidence, with_delta=True)
            values["pain_change_plain"] = _pain_change(evidence, with_delta=False)
        return template.format_map(_Blank(values))


def emergency_advice(*, language: str) -> str:
    """Seek emergency care now: what an urgent flag tells the patient, in `language`."""
    with translation.override(language_code(language)):
        return str(EMERGENCY_ADVICE)


# --- What the patient is told to do (CLINICAL.md §4a, §6) ---------------------------------------
# Kept apart from the rule explanations above: these say what to do, by severity, and why the
# emergency screen came up, by the answer that raised it.

# The check-in answer (its form field) behind an urgent flag -> why the emergency screen shows.
EMERGENCY_REASONS: dict[str, Promise] = {
    "bowel_bladder_change": _(
        "You reported new trouble passing urine or opening your bowels (leaking, or not being "
        "able to go)."
    ),
    "saddle_numbness": _(
        "You reported numbness around the saddle area (between the legs and around the bottom)."
    ),
    "cannot_walk_on_heels": _("You said you cannot walk on your heels."),
    "cannot_walk_on_toes": _("You said you cannot walk on your toes."),
}
EMERGENCY_WHY = _(
    "This can be a sign that a nerve is badly compressed: it needs emergency care today."
)

# high -> contact the therapist within a day; medium -> at the next contact; low -> encouragement.
SEVERITY_ADVICE: dict[str, Promise] = {
    "high": _("Please contact your therapist within a day."),
    "medium": _("Mention it at your next contact with your therapist."),
    "low": _("No need to worry: keep going, a little every day adds up."),
}


def emergency_reason(answer: str, *, language: str) -> str:
    with translation.override(language_code(language)):
        return str(EMERGENCY_REASONS[answer])


def emergency_why(*, language: str) -> str:
    with translation.override(language_code(language)):
        return str(EMERGENCY_WHY)


def emergency_reasons_from_evidence(evidence: dict) -> list[str]:
    """The check-in answers (form field names) behind an urgent flag's evidence entry."""
    answers = []
    if evidence.get("bowel_bladder_change"):
        answers.append("bowel_bladder_change")
    if evidence.get("saddle_numbness"):
        answers.append("saddle_numbness")
    if evidence.get("can_walk_on_heels") is False:
        answers.append("cannot_walk_on_heels")
    if evidence.get("can_walk_on_toes") is False:
        answers.append("cannot_walk_on_toes")
    return answers


def severity_advice(severity: str, *, language: str, clinic_phone: str = "") -> str:
    """What to do about a non-urgent flag; a high one gives the clinic's phone when known."""
    with translation.override(language_code(language)):
        text = str(SEVERITY_ADVICE[severity])
        if severity == "high" and clinic_phone:
            # Chinese sentences run on without a space: the catalogue says how they join.
            text = pgettext("flag", "{advice} Clinic phone: {phone}.").format(
                advice=text, phone=clinic_phone
            )
        return text
