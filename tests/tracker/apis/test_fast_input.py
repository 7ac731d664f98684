"""The check-in's and session log's hand-written input check (tracker/serializers/fast_input.py)
against the serializers it stands in for: for every input, the same validated data or the same
400 (keys, messages and codes, in both languages)."""

import itertools

import pytest
from django.http import QueryDict
from django.utils import translation
from rest_framework.exceptions import ValidationError

from tracker.serializers import CheckInInputSerializer, SessionLogInputSerializer, fast_input
from tracker.serializers.fast_input import checkin_input, session_input

CHECKIN = {
    "date": "2026-03-10",
    "back_pain": 4,
    "leg_pain": 0,
    "numbness": 10,
    "numbness_areas": ["left_sole"],
    "can_walk_on_heels": True,
    "can_walk_on_toes": False,
    "bowel_bladder_change": False,
    "saddle_numbness": False,
    "night_pain": True,
    "calf_cramps": False,
    "stopped_walking": False,
    "walking_minutes": 20,
    "note": "  Better today.  ",
}
SESSION = {
    "item": "0b8c6a8e-54a6-4c38-9a59-8b0c6f0a1d2e",
    "exercise": "bird_dog",
    "performed_at": "2026-03-10T08:30:00+01:00",
    "sets": 2,
    "reps": 10,
    "minutes": 5,
    "pain_during": 3,
    "difficulty": "right",
    "note": "fine",
}

# Values a client might send, right and wrong, tried in every field.
ODD_VALUES = [
    None,
    True,
    False,
    0,
    1,
    -1,
    5,
    10,
    11,
    999,
    1000,
    1001,
    1440,
    1441,
    10000,
    10001,
    2**70,
    5.0,
    5.5,
    -0.0,
    float("nan"),
    "",
    " ",
    "5",
    "true",
    "abc",
    "bird_dog",
    " bird-dog ",
    "a b",
    "x" * 64,
    "x" * 65,
    "x" * 2000,
    " " + "x" * 2000 + " ",
    "x" * 2001,
    "nul\x00",
    "\ud800",
    "膝盖有点疼",
    "right",
    "hard",
    "Right",
    "easy ",
    [],
    ["left_sole"],
    ["left_sole", "nose"],
    ["left_sole"] * 12,
    ["left_sole"] * 13,
    ["left_sole", "left_sole"],
    [1],
    "left_sole",
    {},
    {"a": 1},
    "2026-03-10",
    "2026-3-10",
    "20260310",
    "2026-02-30",
    "2026-03-10T08:00:00",
    "2026-03-10T08:00:00Z",
    "2026-03-10 08:00",
    "10/03/2026",
    "0b8c6a8e-54a6-4c38-9a59-8b0c6f0a1d2e",
    "0b8c6a8e54a64c389a598b0c6f0a1d2e",
    "{0b8c6a8e-54a6-4c38-9a59-8b0c6f0a1d2e}",
    "urn:uuid:0b8c6a8e-54a6-4c38-9a59-8b0c6f0a1d2e",
    "0b8c6a8e-54a6-4c38-9a59-8b0c6f0a1d2",
    2**127,
]


def _bodies(base: dict) -> list:
    bodies: list = [base, {}, {"unknown": 1}, {**base, "unknown": "x"}]
    for name in base:
        bodies.append({key: value for key, value in base.items() if key != name})  # missing
        bodies.extend({**base, name: value} for value in ODD_VALUES)
    # two wrong fields at once: both errors, in the serializer's order
    names = list(base)
    bodies.extend({**base, a: "wrong", b: -1} for a, b in itertools.combinations(names, 2))
    # not a JSON object at all
    bodies.extend([None, [], [base], "text", 7, True])
    return bodies


def _serializer_says(serializer_class, data):
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return "ok", list(serializer.validated_data.items())
    return "error", serializer.errors


def _fast_says(function, data):
    try:
        return "ok", list(function(data).items())
    except ValidationError as refused:
        return "error", refused.detail


def _codes(detail):
    if isinstance(detail, dict):
        return {key: _codes(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_codes(value) for value in detail]
    return getattr(detail, "code", None)


def _same(left, right) -> bool:
    """Equal, NaN-free values aside (float('nan') != itself, in either answer)."""
    return repr(left) == repr(right) and _codes(left[1]) == _codes(right[1])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("base", "function", "serializer_class"),
    [
        (CHECKIN, checkin_input, CheckInInputSerializer),
        (SESSION, session_input, SessionLogInputSerializer),
    ],
    ids=["checkin", "session"],
)
def test_the_same_answer_as_the_serializer_for_every_input(
    base, function, serializer_class, language
):
    bodies = _bodies(base)
    with translation.override(language):
        for body in bodies:
            expected = _serializer_says(serializer_class, body)
            got = _fast_says(function, body)
            assert _same(got, expected), body


@pytest.mark.parametrize(
    ("base", "function", "serializer_class", "fields"),
    [
        (CHECKIN, checkin_input, CheckInInputSerializer, fast_input._CHECKIN),
        (SESSION, session_input, SessionLogInputSerializer, fast_input._SESSION),
    ],
    ids=["checkin", "session"],
)
def test_form_bodies_go_to_the_serializer(base, function, serializer_class, fields):
    form = QueryDict(mutable=True)
    for name, value in base.items():
        if isinstance(value, list):
            form.setlist(name, value)
        else:
            form[name] = str(value).lower() if isinstance(value, bool) else str(value)
    assert fast_input._plainly_valid(form, fields) is None
    assert _same(_fast_says(function, form), _serializer_says(serializer_class, form))


@pytest.mark.parametrize(
    ("fields", "serializer_class", "base"),
    [
        (fast_input._CHECKIN, CheckInInputSerializer, CHECKIN),
        (fast_input._SESSION, SessionLogInputSerializer, SESSION),
    ],
    ids=["checkin", "session"],
)
def test_the_hand_check_covers_the_serializers_fields_and_takes_plain_input(
    fields, serializer_class, base
):
    declared = serializer_class().fields
    assert [(name, required) for name, required, _ in fields] == [
        (name, field.required) for name, field in declared.items()
    ]
    # Everyday input is read by hand, not by the serializer.
    assert fast_input._plainly_valid(base, fields) is not None
    minimal = {name: base[name] for name, field in declared.items() if field.required}
    assert fast_input._plainly_valid(minimal, fields) is not None
