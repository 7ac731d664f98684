"""A flag's card on the therapist's patient page (and in the progress report): its explanation,
its evidence days folded into runs, the answers a patient's correction changed.

The evidence is read as dates (one query for every flag of the patient, whatever the history's
length): only the entries a correction changed have their data read, for "Answer changed".
A card lists the latest EVIDENCE_RUNS_SHOWN runs of evidence days and folds the rest into one
line behind a disclosure, so a flag with a year of evidence stays a small card.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Case, TextField, When
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from tracker.flag_texts import flag_explanation
from tracker.models import CheckIn, Flag, FlagEvidence, FlagStatus, User

EVIDENCE_RUNS_SHOWN = 5


@dataclass(frozen=True)
class AnswerChange:
    """One date's evidence that a patient's correction no longer supports (CLINICAL.md §4a)."""

    on: date
    at: datetime
    answers: tuple[tuple[str, object, object], ...]  # (question, told of, now)


@dataclass(frozen=True)
class FlagEntry:
    flag: Flag
    explanation: str
    evidence_ranges: tuple[tuple[date, date], ...]
    evidence_count: int
    is_stale: bool = False
    changes: tuple[AnswerChange, ...] = ()

    @property
    def evidence_shown(self) -> list[tuple[str, str]]:
        """The latest EVIDENCE_RUNS_SHOWN runs, oldest of them first, as ISO dates."""
        return [
            (first.isoformat(), last.isoformat())
            for first, last in self.evidence_ranges[-EVIDENCE_RUNS_SHOWN:]
        ]

    @property
    def evidence_all(self) -> str:
        """Every run as one line, when there are more than the card lists ("" otherwise)."""
        if len(self.evidence_ranges) <= EVIDENCE_RUNS_SHOWN:
            return ""
        return ", ".join(
            first.isoformat() if first == last else f"{first.isoformat()}–{last.isoformat()}"
            for first, last in self.evidence_ranges
        )

    @property
    def can_acknowledge(self) -> bool:
        return self.flag.status == FlagStatus.OPEN

    @property
    def can_resolve(self) -> bool:
        return self.flag.is_unresolved


def evidence_dates(evidence: Iterable[dict[str, Any]]) -> list[date]:
    found = set()
    for entry in evidence:
        value = entry.get("date") or entry.get("today")
        if value:
            found.add(date.fromisoformat(value))
    return sorted(found)


@dataclass(frozen=True)
class EvidenceDays:
    days: tuple[date, ...]  # oldest first
    changed: tuple[dict[str, Any], ...]  # the entries a correction no longer supports


def flag_evidence_days(*, patient: User, flags: Sequence[Flag]) -> dict[int, EvidenceDays]:
    """Each flag's evidence dates, and the data of the entries a correction changed (only
    those: the others' data is not read), in one query whatever the history's length; it runs
    with no flags too, so the page's query count does not depend on them."""
    days: dict[int, list[date]] = {flag.pk: [] for flag in flags}
    changed: dict[int, list[dict[str, Any]]] = {flag.pk: [] for flag in flags}
    rows = (
        FlagEvidence.objects.filter(flag__patient=patient)
        .order_by("flag_id", "on")
        .values_list(
            "flag_id",
            "on",
            # The JSON as text, parsed here for the few rows that have it: a converter would
            # run on every row of a long history.
            Case(
                When(changed_at__isnull=False, then=Cast("data", TextField())),
                output_field=TextField(),
            ),
        )
    )
    for flag_id, on, data in rows:
        if flag_id in days:
            days[flag_id].append(on)
            if data is not None:
                changed[flag_id].append(json.loads(data))
    return {pk: EvidenceDays(tuple(days[pk]), tuple(changed[pk])) for pk in days}


def date_ranges(dates: Sequence[date]) -> tuple[tuple[date, date], ...]:
    """Consecutive dates folded into (first, last) runs: 300 days of evidence stay one line."""
    runs: list[list[date]] = []
    for on in sorted(dates):
        if runs and (on - runs[-1][1]).days <= 1:
            runs[-1][1] = on
        else:
            runs.append([on, on])
    return tuple((first, last) for first, last in runs)


def flag_card_entry(
    flag: Flag, evidence: EvidenceDays | None = None, *, language: str, today: date
) -> FlagEntry:
    """One flag's card. `evidence` from flag_evidence_days; without it, the flag's own evidence
    entries (flag.evidence, prefetched or attached by the caller) are read."""
    if evidence is None:
        entries = flag.evidence
        evidence = EvidenceDays(
            tuple(evidence_dates(entries)),
            tuple(entry for entry in entries if "answer_now" in entry),
        )
    return FlagEntry(
        flag=flag,
        explanation=flag_explanation(
            flag.rule, flag.latest_evidence, audience="therapist", language=language
        ),
        evidence_ranges=date_ranges(evidence.days),
        evidence_count=len(evidence.days),
        is_stale=flag.is_stale(today),
        changes=tuple(_answer_change(entry) for entry in evidence.changed if "answer_now" in entry),
    )


def _shown(value: object) -> object:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return "—" if value is None else value


def _answer_change(entry: dict[str, Any]) -> AnswerChange:
    """What the patient was told of against what they answer now, for the answers the flag's
    evidence names (a [before, after] pair counts by its later value: that day's answer)."""
    now = entry["answer_now"]
    rows = []
    for name, after in now.items():
        if name not in entry:
            continue
        before = entry[name]
        if isinstance(before, list) and name != "numbness_areas":
            before = before[-1]
        if before != after:
            label = getattr(CheckIn._meta.get_field(name), "verbose_name", name)
            rows.append((str(label), _shown(before), _shown(after)))
    return AnswerChange(
        on=date.fromisoformat(entry["date"]),
        at=datetime.fromisoformat(entry["changed_at"]),
        answers=tuple(rows),
    )
