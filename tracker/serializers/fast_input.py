"""The check-in's and the session log's input, validated by hand on the usual path (issue 16).

DRF's `is_valid` cost ~1 ms of CPU per POST (copying the declared fields, then a dozen calls per
field). A JSON object whose every value is plainly right is read here in a few checks, to the
same validated data. Anything else, any doubt (a wrong value, a missing field, a float, a form
body), goes to the serializer itself: every 400 and its messages still come from
CheckInInputSerializer and SessionLogInputSerializer, which stay the schema's too.

So the one promise this module makes is that what it accepts, the serializer accepts with the
same result; tests/tracker/apis/test_fast_input.py holds it to that over a wide set of inputs.
"""

import re
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from rest_framework import serializers

from tracker.models import NUMBNESS_AREAS, Difficulty
from tracker.serializers.records import CheckInInputSerializer, SessionLogInputSerializer

_MISSING = object()


class _Doubt(Exception):
    """The value is not plainly right: let the serializer decide (and word the error)."""


Check = Callable[[Any], Any]


def _score(low: int, high: int, *, allow_null: bool = False) -> Check:
    def check(value: Any) -> Any:
        if value is None and allow_null:
            return None
        # bool is an int subclass: `type(...) is int` refuses true/false as the serializer does.
        if type(value) is int and low <= value <= high:
            return value
        raise _Doubt

    return check


def _boolean(value: Any) -> bool:
    if type(value) is bool:
        return value
    raise _Doubt


def _text(max_length: int) -> Check:
    """CharField(allow_blank=True): trimmed, no NUL, no lone surrogate, at most max_length."""

    def check(value: Any) -> str:
        if type(value) is not str or "\x00" in value:
            raise _Doubt
        try:
            value.encode("utf-8")  # fails exactly on lone surrogates
        except UnicodeEncodeError:
            raise _Doubt from None
        value = value.strip()
        if len(value) > max_length:
            raise _Doubt
        return value

    return check


# The ISO form DRF's DateField reads first (date.fromisoformat); other spellings it also
# takes (2026-3-1, 20260301) are left to it.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any) -> date:
    if type(value) is str and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _Doubt


_AREAS = frozenset(NUMBNESS_AREAS)


def _areas(value: Any) -> list[str]:
    if (
        type(value) is list
        and len(value) <= len(NUMBNESS_AREAS)
        and all(type(area) is str and area in _AREAS for area in value)
    ):
        return list(value)
    raise _Doubt


def _uuid(value: Any) -> uuid.UUID:
    if type(value) is str:
        try:
            return uuid.UUID(hex=value)  # what UUIDField does with a string
        except ValueError:
            pass
    raise _Doubt


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _slug(max_length: int) -> Check:
    def check(value: Any) -> str:
        if type(value) is str:
            value = value.strip()
            if len(value) <= max_length and _SLUG.fullmatch(value):
                return value
        raise _Doubt

    return check


# The field itself for a datetime: its parsing and time-zone rules are DRF's own; unbound, it
# reads the current time zone when called, as the serializer's copy would.
_DATETIME = serializers.DateTimeField()


def _datetime(value: Any) -> Any:
    if type(value) is str:
        try:
            return _DATETIME.to_internal_value(value)
        except serializers.ValidationError:
            pass
    raise _Doubt


_DIFFICULTIES = frozenset(Difficulty.values)


def _difficulty(value: Any) -> str:
    if type(value) is str and (value == "" or value in _DIFFICULTIES):
        return value
    raise _Doubt


# (name, required, check), in the serializers' order of declaration.
_CHECKIN = [
    ("date", True, _date),
    ("back_pain", True, _score(0, 10)),
    ("leg_pain", True, _score(0, 10)),
    ("numbness", True, _score(0, 10)),
    ("numbness_areas", False, _areas),
    ("can_walk_on_heels", False, _boolean),
    ("can_walk_on_toes", False, _boolean),
    ("bowel_bladder_change", False, _boolean),
    ("saddle_numbness", False, _boolean),
    ("night_pain", False, _boolean),
    ("calf_cramps", False, _boolean),
    ("stopped_walking", False, _boolean),
    ("walking_minutes", False, _score(0, 24 * 60, allow_null=True)),
    ("note", False, _text(2000)),
]
_SESSION = [
    ("item", False, _uuid),
    ("exercise", False, _slug(64)),
    ("performed_at", False, _datetime),
    ("sets", False, _score(0, 1000, allow_null=True)),
    ("reps", False, _score(0, 10000, allow_null=True)),
    ("minutes", False, _score(0, 24 * 60, allow_null=True)),
    ("pain_during", False, _score(0, 10, allow_null=True)),
    ("difficulty", False, _difficulty),
    ("note", False, _text(2000)),
]


def _plainly_valid(data: Any, fields: list) -> dict[str, Any] | None:
    if type(data) is not dict:
        return None
    validated = {}
    try:
        for name, required, check in fields:
            value = data.get(name, _MISSING)
            if value is _MISSING:
                if required:
                    return None
                continue
            validated[name] = check(value)
    except _Doubt:
        return None
    return validated


def _validated(data: Any, fields: list, serializer_class: type) -> dict[str, Any]:
    validated = _plainly_valid(data, fields)
    if validated is not None:
        return validated
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def checkin_input(data: Any) -> dict[str, Any]:
    """CheckInInputSerializer's validated data; its ValidationError when the input is not."""
    return _validated(data, _CHECKIN, CheckInInputSerializer)


def session_input(data: Any) -> dict[str, Any]:
    """SessionLogInputSerializer's validated data; its ValidationError when the input is not."""
    return _validated(data, _SESSION, SessionLogInputSerializer)
