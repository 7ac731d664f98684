"""Dosage in words, for a template item whose numbers differ from the exercise's defaults.

Pure: no database. The catalogue's own wording (dosage_zh / dosage_en) is used whenever the
numbers are the exercise's defaults, because it carries ranges the numbers cannot (heat
15–20 min, 2–3 times a day; A3).
"""

from dataclasses import dataclass

DOSAGE_FIELDS = ("sets", "reps", "hold_seconds", "minutes", "times_per_day")


@dataclass(frozen=True)
class Dosage:
    sets: int | None
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    times_per_day: int | None
    interval_minutes: int | None
    text_zh: str
    text_en: str


def dosage_words(
    *,
    sets: int | None = None,
    reps: int | None = None,
    hold_seconds: int | None = None,
    minutes: int | None = None,
    times_per_day: int | None = None,
    interval_minutes: int | None = None,
) -> tuple[str, str]:
    zh: list[str] = []
    en: list[str] = []
    if hold_seconds:
        zh.append(f"每次保持 {hold_seconds} 秒")
        en.append(f"Hold {hold_seconds} s")
    if sets:
        zh.append(f"做 {sets} 组")
        en.append(f"{sets} sets")
    if reps:
        zh.append(f"重复 {reps} 次")
        en.append(f"{reps} times")
    if minutes:
        zh.append(f"{minutes} 分钟")
        en.append(f"{minutes} min")
    if times_per_day:
        zh.append(f"每天 {times_per_day} 次")
        en.append("once a day" if times_per_day == 1 else f"{times_per_day} times a day")
    if interval_minutes:
        zh.append(f"每 {interval_minutes} 分钟一次")
        en.append(f"every {interval_minutes} min")
    return "，".join(zh), ", ".join(en)


def item_dosage(item) -> Dosage:
    """The dosage a template item prescribes: its own numbers where set, else the exercise's."""
    exercise = item.exercise
    values = {
        name: getattr(item, name) if getattr(item, name) is not None else getattr(exercise, name)
        for name in DOSAGE_FIELDS
    }
    # Numbers copied from the exercise (a programme keeps its own copy) are not a change: the
    # catalogue's words are kept, with their ranges and conditions ("from 6 weeks after birth").
    overridden = any(
        getattr(item, name) is not None and getattr(item, name) != getattr(exercise, name)
        for name in DOSAGE_FIELDS
    )
    if overridden:
        text_zh, text_en = dosage_words(**values, interval_minutes=exercise.interval_minutes)
    else:
        text_zh, text_en = exercise.dosage_zh, exercise.dosage_en
    return Dosage(
        **values, interval_minutes=exercise.interval_minutes, text_zh=text_zh, text_en=text_en
    )


def exercise_dosage(exercise) -> Dosage:
    return Dosage(
        **{name: getattr(exercise, name) for name in DOSAGE_FIELDS},
        interval_minutes=exercise.interval_minutes,
        text_zh=exercise.dosage_zh,
        text_en=exercise.dosage_en,
    )
