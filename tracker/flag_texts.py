"""What each worsening rule says, to the patient and to the therapist, in Chinese and English.

Pure data plus one formatting function; the wording is ours, the facts are CLINICAL.md §4's.
Patient texts advise, never diagnose; urgent ones say plainly to seek emergency care now.
"""

from dataclasses import dataclass

from reminders.languages import language_suffix


@dataclass(frozen=True)
class FlagText:
    patient_zh: str
    patient_en: str
    therapist_zh: str
    therapist_en: str


EMERGENCY_ADVICE = {
    "zh": "请立即前往医院急诊就医，不要等待。我们已通知您的治疗师。",
    "en": "Go to an emergency department now; do not wait. Your therapist has been told.",
}

TEXTS: dict[str, FlagText] = {
    "cauda_equina": FlagText(
        patient_zh="您报告了新的大小便问题或会阴（马鞍区）麻木。这可能是神经严重受压的信号。",
        patient_en=(
            "You reported new bowel or bladder trouble or numbness in the saddle area. "
            "This can be a sign of severe nerve compression."
        ),
        therapist_zh="新发大小便功能障碍或鞍区麻木（{date}）：疑似马尾综合征，需急诊评估。",
        therapist_en=(
            "New bowel/bladder dysfunction or saddle numbness ({date}): possible cauda equina "
            "syndrome, needs emergency assessment."
        ),
    ),
    "motor_deficit": FlagText(
        patient_zh="您报告无法用脚跟或脚尖走路。这可能说明神经受压已影响肌肉力量。",
        patient_en=(
            "You reported that you cannot walk on your heels or on your toes. This can mean "
            "nerve compression is affecting muscle strength."
        ),
        therapist_zh="足跟或足尖行走不能（{date}）：提示运动功能受损（足下垂等），需尽快评估。",
        therapist_en=(
            "Unable to walk on heels or toes ({date}): motor deficit (e.g. foot drop), "
            "needs prompt assessment."
        ),
    ),
    "pain_down_numbness_up": FlagText(
        patient_zh=(
            "最近 7 天与之前 7 天相比，疼痛减轻了（{pain_change_plain}），但麻木加重了"
            "（{numbness_change_plain}）。麻木加重并不代表好转，可能是神经受压加重，"
            "请尽快联系您的治疗师或医生。"
        ),
        patient_en=(
            "Over the last 7 days compared with the 7 before, your pain eased "
            "({pain_change_plain}) but your numbness grew ({numbness_change_plain}). Growing "
            "numbness is not improvement: it can mean the nerve is more compressed. Please "
            "contact your therapist or doctor soon."
        ),
        therapist_zh=(
            "疼痛下降而麻木上升（近 7 天对比前 7 天）：{pain_change}，而麻木 {numbness_change}。"
        ),
        therapist_en=(
            "Pain down while numbness up (last 7 days vs the 7 before): {pain_change} while "
            "numbness {numbness_change}."
        ),
    ),
    "numbness_worsening": FlagText(
        patient_zh="您的麻木在加重或向腿的下方蔓延。请尽快联系您的治疗师或医生。",
        patient_en=(
            "Your numbness is getting worse or spreading further down your leg. Please contact "
            "your therapist or doctor soon."
        ),
        therapist_zh="麻木加重或向远端扩散（{date}，3 日均值 {numbness_3_day_mean}）。",
        therapist_en=(
            "Numbness rising or spreading distally ({date}, 3-day mean {numbness_3_day_mean})."
        ),
    ),
    "claudication": FlagText(
        patient_zh="您因腿部症状不得不停下休息，或能走的时间明显缩短。请告诉您的治疗师。",
        patient_en=(
            "You had to stop walking because of your leg, or you can walk for much less time "
            "than before. Please tell your therapist."
        ),
        therapist_zh="间歇性跛行或步行耐受下降 ≥ 50%（{date}）。",
        therapist_en="Intermittent claudication or walking tolerance down ≥ 50 % ({date}).",
    ),
    "sudden_worsening": FlagText(
        patient_zh="您的疼痛比上次明显加重。请注意休息，如持续加重请就医。",
        patient_en=(
            "Your pain is much worse than at your last check-in. Rest, and see a doctor if it "
            "keeps getting worse."
        ),
        therapist_zh="疼痛较上次骤升 ≥ 3 分（{previous_date} → {date}）。",
        therapist_en="Pain up ≥ 3 points since the previous check-in ({previous_date} → {date}).",
    ),
    "night_pain": FlagText(
        patient_zh="最近几晚疼痛影响睡眠。请告诉您的治疗师；夜间痛持续需要就医检查。",
        patient_en=(
            "Pain has kept you awake on recent nights. Tell your therapist; night pain that goes "
            "on needs a doctor's check."
        ),
        therapist_zh="近 3 晚中 ≥ 2 晚夜间痛影响睡眠（{date}）。",
        therapist_en="Night pain stopping sleep on ≥ 2 of the last 3 nights ({date}).",
    ),
    "persistent_pain": FlagText(
        patient_zh="您的疼痛已持续两周以上没有明显好转。请和您的治疗师一起调整方案。",
        patient_en=(
            "Your pain has stayed high for more than two weeks without clear improvement. "
            "Review your programme with your therapist."
        ),
        therapist_zh="疼痛 ≥ 4 分已持续 {days} 天且无 2 分改善（自 {since}）。",
        therapist_en="Pain ≥ 4 for {days} days with no 2-point improvement (since {since}).",
    ),
    "pregnancy_persistent": FlagText(
        patient_zh="孕期麻木已超过两周。请到医院就诊。",
        patient_en="Numbness in pregnancy has lasted more than two weeks. Please see a doctor.",
        therapist_zh="孕期麻木持续超过 14 天（自 {numbness_since}）。",
        therapist_en="Numbness in pregnancy for more than 14 days (since {numbness_since}).",
    ),
    "conservative_failure": FlagText(
        patient_zh="保守治疗已超过 3 个月，腿痛改善不足。请与医生讨论下一步方案。",
        patient_en=(
            "After more than 3 months of conservative care your leg pain has not improved "
            "enough. Discuss the next step with your doctor."
        ),
        therapist_zh="保守治疗 > 90 天腿痛改善 < 30%：建议转诊评估手术指征。",
        therapist_en=(
            "More than 90 days of conservative care, leg pain < 30 % better: "
            "refer for surgical assessment."
        ),
    ),
    "adherence_drop": FlagText(
        patient_zh="最近一周完成的锻炼不到计划的一半。疼痛减轻后仍需坚持 1–3 个月的核心训练。",
        patient_en=(
            "You did fewer than half of this week's planned sessions. Core training should go "
            "on for 1–3 months after pain eases."
        ),
        therapist_zh="近 7 天完成 {done_last_7_days}/{prescribed_last_7_days} 次计划训练。",
        therapist_en=(
            "{done_last_7_days} of {prescribed_last_7_days} prescribed sessions done "
            "in the last 7 days."
        ),
    ),
    "missing_checkins": FlagText(
        patient_zh="您已经 {days} 天没有打卡了。每天花一分钟记录症状，治疗师才能及时发现变化。",
        patient_en=(
            "You have not checked in for {days} days. A one-minute daily check-in lets your "
            "therapist spot changes in time."
        ),
        therapist_zh="已 {days} 天未打卡（最近一次 {last_checkin}）。",
        therapist_en="No check-in for {days} days (last {last_checkin}).",
    ),
}


# A rule whose evidence names the clause that fired ("clause") can say more for that clause.
CLAUSE_TEXTS: dict[tuple[str, str], FlagText] = {
    ("adherence_drop", "stopped_after_pain_eased"): FlagText(
        patient_zh=(
            "疼痛减轻后，您这一周停止了锻炼。疼痛减轻正是需要坚持的时候：核心训练应在疼痛消失后"
            "继续 1–3 个月，才能减少复发。"
        ),
        patient_en=(
            "You stopped your exercises this week once your pain eased. That is the time to keep "
            "going: core training should go on for 1–3 months after pain eases, to help keep it "
            "from coming back."
        ),
        therapist_zh=(
            "疼痛缓解后停止训练：近 7 天完成 0/{prescribed_last_7_days} 次（前 7 天 "
            "{done_previous_7_days} 次），疼痛周均值 {pain}。"
        ),
        therapist_en=(
            "Sessions stopped once pain eased: 0 of {prescribed_last_7_days} done in the last "
            "7 days after {done_previous_7_days} the week before; weekly pain mean {pain}."
        ),
    ),
}

PAIN_LABELS = {
    "leg_pain": {"zh": "腿痛", "en": "leg pain"},
    "back_pain": {"zh": "腰痛", "en": "back pain"},
}


def _number(value: float) -> str:
    return f"{value:.1f}"


def _change(pair: object, language: str, *, with_delta: bool = True) -> str:
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
    open_, close = ("（", "）") if language == "zh" else (" (", ")")
    return f"{text}{open_}{sign}{abs(delta):.1f}{close}"


def _pain_change(evidence: dict, language: str, *, with_delta: bool) -> str:
    """The pain fall(s) that define pain_down_numbness_up: "leg pain 6.1 → 4.9 (−1.2)"."""
    fell = evidence.get("pain_fell")
    if fell is None:  # evidence recorded before "pain_fell": the pain that fell most
        pairs = {name: evidence.get(f"{name}_mean") or [0, 0] for name in PAIN_LABELS}
        fell = [min(pairs, key=lambda name: pairs[name][1] - pairs[name][0])]
    parts = [
        f"{PAIN_LABELS[name][language]} "
        + _change(evidence.get(f"{name}_mean"), language, with_delta=with_delta)
        for name in fell
        if name in PAIN_LABELS
    ]
    return ("、" if language == "zh" else " and ").join(parts)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def flag_explanation(rule: str, evidence: dict, *, audience: str, language: str) -> str:
    """The explanation of one flag for 'patient' or 'therapist' in 'zh' or 'en'."""
    text = CLAUSE_TEXTS.get((rule, evidence.get("clause", "")), TEXTS[rule])
    suffix = language_suffix(language)
    template = getattr(text, f"{audience}_{suffix}")
    values = {
        key: ", ".join(map(str, value)) if isinstance(value, list) else value
        for key, value in evidence.items()
    }
    values["numbness"] = " → ".join(map(str, evidence.get("numbness_mean", []))) or "?"
    values["pain"] = _change(evidence.get("pain_mean"), suffix)
    if rule == "pain_down_numbness_up":
        numbness = evidence.get("numbness_mean")
        values["numbness_change"] = _change(numbness, suffix)
        values["numbness_change_plain"] = _change(numbness, suffix, with_delta=False)
        values["pain_change"] = _pain_change(evidence, suffix, with_delta=True)
        values["pain_change_plain"] = _pain_change(evidence, suffix, with_delta=False)
    return template.format_map(_Blank(values))


# --- What the patient is told to do (CLINICAL.md §4a, §6) ---------------------------------------
# Kept apart from the rule explanations above: these say what to do, by severity, and why the
# emergency screen came up, by the answer that raised it.

# The check-in answer (its form field) behind an urgent flag -> why the emergency screen shows.
EMERGENCY_REASONS: dict[str, dict[str, str]] = {
    "bowel_bladder_change": {
        "zh": "您报告了新出现的排尿或排便困难（失禁或排不出）。",
        "en": "You reported new trouble passing urine or opening your bowels (leaking, or not "
        "being able to go).",
    },
    "saddle_numbness": {
        "zh": "您报告了会阴（马鞍区：两腿之间、臀部周围）麻木。",
        "en": "You reported numbness around the saddle area (between the legs and around the "
        "bottom).",
    },
    "cannot_walk_on_heels": {
        "zh": "您说您无法用脚跟走路。",
        "en": "You said you cannot walk on your heels.",
    },
    "cannot_walk_on_toes": {
        "zh": "您说您无法用脚尖走路。",
        "en": "You said you cannot walk on your toes.",
    },
}
EMERGENCY_WHY = {
    "zh": "这可能是神经严重受压的信号，需要今天就看急诊。",
    "en": "This can be a sign that a nerve is badly compressed: it needs emergency care today.",
}

# high -> contact the therapist within a day; medium -> at the next contact; low -> encouragement.
SEVERITY_ADVICE: dict[str, dict[str, str]] = {
    "high": {
        "zh": "请在一天之内联系您的治疗师。",
        "en": "Please contact your therapist within a day.",
    },
    "medium": {
        "zh": "下次与治疗师联系时，请告诉他们。",
        "en": "Mention it at your next contact with your therapist.",
    },
    "low": {
        "zh": "不用担心，继续坚持：每天做一点，就会有收获。",
        "en": "No need to worry: keep going, a little every day adds up.",
    },
}
CLINIC_PHONE_ADVICE = {
    "zh": "诊所电话：{phone}。",
    "en": "Clinic phone: {phone}.",
}


def _suffix(language: str) -> str:
    return language_suffix(language)


def emergency_reason(answer: str, *, language: str) -> str:
    return EMERGENCY_REASONS[answer][_suffix(language)]


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
    suffix = _suffix(language)
    text = SEVERITY_ADVICE[severity][suffix]
    if severity == "high" and clinic_phone:
        space = " " if suffix == "en" else ""  # Chinese sentences run on without one
        text = f"{text}{space}{CLINIC_PHONE_ADVICE[suffix].format(phone=clinic_phone)}"
    return text
