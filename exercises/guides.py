"""An exercise's guide (the how-to kept in exercises/catalogue.yaml) and the guided player's plan.

Pure: reads an Exercise's `guide` JSON and a Dosage; no database, no settings. The plan is the
sequence of timed positions the player in the patient's app runs through: get ready, then per
set and repetition the guide's timed steps (a `hold` lasts the dose's hold), rest between sets,
and any closing step (the stretch's lean-back). Timed exercises (walk, wall standing, heat,
breathing) are one timer of the dose's minutes.
"""

from dataclasses import dataclass
from typing import Any

from exercises.dosage import Dosage
from reminders.languages import language_suffix

GUIDE_PICTURE_DIR = "exercises/guides/"  # under the static files
SETUP_SECONDS = 5
DEFAULT_REST_SECONDS = 15
# A hold step where the dose names no hold (a repetition without a pause): a slow repetition.
DEFAULT_HOLD_SECONDS = 3


@dataclass(frozen=True)
class GuidePicture:
    number: int
    static_path: str  # for {% static %}
    caption: str


@dataclass(frozen=True)
class GuideStep:
    number: int
    text: str
    picture: GuidePicture


@dataclass(frozen=True)
class Guide:
    key: str
    pictures: list[GuidePicture]
    steps: list[GuideStep]
    feel: str
    stop_if: list[str]
    rest_seconds: int

    @property
    def first_picture(self) -> GuidePicture:
        return self.pictures[0]


@dataclass(frozen=True)
class PlanPhase:
    kind: str  # setup, hold, move, rest, timer, walk
    seconds: int
    picture: int  # the guide picture's number
    cue: str
    set_number: int  # 0 for setup and the closing steps
    rep_number: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "seconds": self.seconds,
            "picture": self.picture,
            "cue": self.cue,
            "set": self.set_number,
            "rep": self.rep_number,
        }


def _lang(language: str) -> str:
    return language_suffix(language or "zh")


def guide_for(*, key: str, guide: dict[str, Any], language: str) -> Guide | None:
    """The guide in one language, or None when the exercise has none (therapist treatments)."""
    if not guide or not guide.get("steps"):
        return None
    lang = _lang(language)
    pictures = [
        GuidePicture(
            number=number,
            static_path=GUIDE_PICTURE_DIR + picture["file"],
            caption=picture[lang] or picture["zh"],
        )
        for number, picture in enumerate(guide.get("pictures", []), start=1)
    ]
    by_number = {picture.number: picture for picture in pictures}
    steps = [
        GuideStep(number=number, text=step[lang] or step["zh"], picture=by_number[step["picture"]])
        for number, step in enumerate(guide["steps"], start=1)
        if step.get("picture") in by_number
    ]
    rest = guide.get("rest_seconds")
    return Guide(
        key=key,
        pictures=pictures,
        steps=steps,
        feel=guide.get(f"feel_{lang}") or guide.get("feel_zh", ""),
        stop_if=list(guide.get(f"stop_{lang}") or guide.get("stop_zh") or []),
        rest_seconds=DEFAULT_REST_SECONDS if rest is None else rest,
    )


def player_plan(
    *, key: str, guide: dict[str, Any], dosage: Dosage, language: str
) -> list[PlanPhase]:
    """The player's timed positions for this dose (see the module's docstring)."""
    lang = _lang(language)
    steps = guide.get("steps") or []
    if not steps:
        return []

    def cue(step: dict) -> str:
        return step.get(lang) or step.get("zh", "")

    plan = [
        PlanPhase("setup", SETUP_SECONDS, step["picture"], cue(step), 0, 0)
        for step in steps
        if step.get("setup")
    ]
    timers = [step for step in steps if step.get("timer")]
    if timers and dosage.minutes:
        step = timers[0]
        kind = "walk" if key == "brisk_walk" else "timer"
        plan.append(PlanPhase(kind, dosage.minutes * 60, step["picture"], cue(step), 1, 0))
        return plan
    repeated = [
        step
        for step in steps
        if (step.get("hold") or step.get("seconds")) and not step.get("after_sets")
    ]
    sets = dosage.sets or 1
    reps = dosage.reps or 1
    hold = dosage.hold_seconds or DEFAULT_HOLD_SECONDS
    rest = guide.get("rest_seconds")
    rest = DEFAULT_REST_SECONDS if rest is None else rest
    resting_cue = {"en": "Rest. Breathe easily.", "zh": "休息一下，放松呼吸。"}[lang]
    for set_number in range(1, sets + 1):
        for rep_number in range(1, reps + 1):
            for step in repeated:
                if step.get("hold"):
                    plan.append(
                        PlanPhase("hold", hold, step["picture"], cue(step), set_number, rep_number)
                    )
                else:
                    plan.append(
                        PlanPhase(
                            "move",
                            step["seconds"],
                            step["picture"],
                            cue(step),
                            set_number,
                            rep_number,
                        )
                    )
        if set_number < sets and rest:
            first = repeated[0]["picture"] if repeated else steps[0]["picture"]
            plan.append(PlanPhase("rest", rest, first, resting_cue, set_number, reps))
    for step in steps:
        if step.get("after_sets"):
            for time in range(1, step.get("times", 1) + 1):
                plan.append(PlanPhase("hold", step["seconds"], step["picture"], cue(step), 0, time))
    return plan
