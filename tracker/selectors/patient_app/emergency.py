"""The emergency screen's content: whom to call and why it came up (CLINICAL.md §4a, §6)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings

from tracker.flag_texts import (
    EMERGENCY_REASONS,
    emergency_reason,
    emergency_reasons_from_evidence,
    emergency_why,
)
from tracker.models import Flag, PatientProfile


@dataclass(frozen=True)
class Reason:
    answer: str  # the check-in form field behind it, e.g. "saddle_numbness"
    text: str
    is_shown: bool


@dataclass(frozen=True)
class EmergencyScreen:
    number: str  # the emergency number to call
    clinic_phone: str  # "" when the clinic has none
    clinic_name: str
    why: str
    reasons: list[Reason] = field(default_factory=list)  # every urgent answer, shown or not

    @property
    def number_href(self) -> str:
        return _tel(self.number)

    @property
    def clinic_phone_href(self) -> str:
        return _tel(self.clinic_phone)

    @property
    def clinic_phone_shown(self) -> str:
        # No line break inside a phone number on a narrow screen.
        return self.clinic_phone.replace(" ", "\u00a0")

    @property
    def shown_answers(self) -> str:
        """The answers whose reasons show (with the numbers and the language, all that makes
        the screen: the layout renders it once per such key)."""
        return " ".join(reason.answer for reason in self.reasons if reason.is_shown)

    @property
    def has_reason(self) -> bool:
        return any(reason.is_shown for reason in self.reasons)


def _tel(number: str) -> str:
    return f"tel:{re.sub(r'[^0-9+]', '', number)}" if number else ""


def emergency_screen(
    *, profile: PatientProfile | None, language: str, answers: list[str] | tuple[str, ...] = ()
) -> EmergencyScreen:
    """The screen for `profile` (None: someone with no clinic), with the reasons for `answers`
    shown and the others present but hidden, for the phone to reveal as the patient ticks them."""
    clinic = profile.clinic if profile is not None else None
    return EmergencyScreen(
        number=clinic.effective_emergency_number if clinic else settings.DEFAULT_EMERGENCY_NUMBER,
        clinic_phone=clinic.phone if clinic else "",
        clinic_name=clinic.name if clinic else "",
        why=emergency_why(language=language),
        reasons=[
            Reason(answer, emergency_reason(answer, language=language), answer in answers)
            for answer in EMERGENCY_REASONS
        ],
    )


def urgent_answers(flags: list[Flag]) -> list[str]:
    """The answers behind the urgent flags among `flags` (their latest evidence)."""
    answers: list[str] = []
    for flag in flags:
        if flag.is_urgent:
            answers += emergency_reasons_from_evidence(flag.latest_evidence)
    return answers
