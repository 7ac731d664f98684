"""Checking an exercise's `guide` in exercises/catalogue.yaml (the patient's how-to).

A guide has 2-4 pictures (SVG files under exercises/static/exercises/guides/, each with a caption
in both languages), steps in both languages that each name a picture and say how the guided
player times them, what the patient should feel, and when to stop and tell the therapist. Every
problem is returned with the row it is in, like the rest of the catalogue's checks.
"""

from pathlib import Path
from typing import Any

GUIDES_DIR = Path(__file__).resolve().parent.parent / "static" / "exercises" / "guides"
GUIDE_STATIC_PREFIX = "exercises/guides/"
PICTURES_MIN, PICTURES_MAX = 2, 4

_GUIDE_KEYS = frozenset(
    {"pictures", "steps", "feel_zh", "feel_en", "stop_zh", "stop_en", "rest_seconds"}
)
_PICTURE_KEYS = frozenset({"file", "zh", "en"})
# How the player times a step: once before the first set, the dose's hold, a fixed number of
# seconds per repetition, the dose's minutes; `after_sets` + `times`: once at the very end.
_STEP_KEYS = frozenset(
    {"picture", "zh", "en", "setup", "hold", "seconds", "timer", "times", "after_sets"}
)
_TIMINGS = ("setup", "hold", "seconds", "timer")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def guide_check(
    where: str, raw: Any, *, guides_dir: Path = GUIDES_DIR
) -> tuple[dict[str, Any], list[str]]:
    """(the guide as stored, problems). A missing guide is an empty one (modalities have none)."""
    problems: list[str] = []

    def fail(message: str) -> None:
        problems.append(f"{where} guide: {message}")

    if raw is None:
        return {}, problems
    if not isinstance(raw, dict):
        fail("must be a mapping")
        return {}, problems
    for name in sorted(set(raw) - _GUIDE_KEYS):
        fail(f"unknown field {name!r} (allowed: {', '.join(sorted(_GUIDE_KEYS))})")

    pictures = []
    raw_pictures = raw.get("pictures")
    if not isinstance(raw_pictures, list) or not (
        PICTURES_MIN <= len(raw_pictures) <= PICTURES_MAX
    ):
        fail(f"needs {PICTURES_MIN} to {PICTURES_MAX} pictures")
        raw_pictures = raw_pictures if isinstance(raw_pictures, list) else []
    for number, picture in enumerate(raw_pictures, start=1):
        if not isinstance(picture, dict) or set(picture) - _PICTURE_KEYS:
            fail(f"picture {number} must have only file, zh and en")
            continue
        file = _text(picture.get("file"))
        if not file.endswith(".svg") or "/" in file:
            fail(f"picture {number}: file {file!r} must be an .svg name in {GUIDES_DIR.name}/")
        elif not (guides_dir / file).is_file():
            fail(f"picture {number}: {file} is not in {guides_dir}")
        zh, en = _text(picture.get("zh")), _text(picture.get("en"))
        if not (zh and en):
            fail(f"picture {number} needs a caption in zh and en")
        pictures.append({"file": file, "zh": zh, "en": en})

    steps = []
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        fail("needs at least one step")
        raw_steps = []
    for number, step in enumerate(raw_steps, start=1):
        if not isinstance(step, dict):
            fail(f"step {number} must be a mapping")
            continue
        for name in sorted(set(step) - _STEP_KEYS):
            fail(f"step {number}: unknown field {name!r}")
        zh, en = _text(step.get("zh")), _text(step.get("en"))
        if not (zh and en):
            fail(f"step {number} needs its words in zh and en")
        picture = step.get("picture")
        if not _whole(picture, 1, max(len(pictures), 1)):
            fail(f"step {number}: picture must be one of 1..{len(pictures)}")
        timings = [name for name in _TIMINGS if step.get(name)]
        if len(timings) > 1:
            fail(f"step {number}: give at most one of {', '.join(_TIMINGS)}")
        clean: dict[str, Any] = {"picture": picture, "zh": zh, "en": en}
        for flag in ("setup", "hold", "timer", "after_sets"):
            if step.get(flag) is not None:
                if not isinstance(step[flag], bool):
                    fail(f"step {number}: {flag} must be true or false")
                elif step[flag]:
                    clean[flag] = True
        for name, high in (("seconds", 3600), ("times", 100)):
            if step.get(name) is not None:
                if not _whole(step[name], 1, high):
                    fail(f"step {number}: {name} must be a whole number from 1 to {high}")
                else:
                    clean[name] = step[name]
        if clean.get("after_sets") and "seconds" not in clean:
            fail(f"step {number}: after_sets needs seconds")
        steps.append(clean)

    guide: dict[str, Any] = {"pictures": pictures, "steps": steps}
    for stem in ("feel", "stop"):
        for language in ("zh", "en"):
            name = f"{stem}_{language}"
            value = raw.get(name)
            if stem == "feel":
                guide[name] = _text(value)
                if not guide[name]:
                    fail(f"{name!r} is missing")
            else:
                lines = [_text(line) for line in value] if isinstance(value, list) else []
                if not lines or not all(lines):
                    fail(f"{name!r} must be a list of lines")
                guide[name] = lines
    if len(guide["stop_zh"]) != len(guide["stop_en"]):
        fail("'stop_zh' and 'stop_en' must have the same number of lines")
    rest = raw.get("rest_seconds")
    if rest is not None and not _whole(rest, 0, 600):
        fail("'rest_seconds' must be a whole number from 0 to 600")
    guide["rest_seconds"] = rest if _whole(rest, 0, 600) else None
    return guide, problems
