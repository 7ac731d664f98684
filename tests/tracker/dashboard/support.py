"""Data helpers for the dashboard tests: rows written directly, dated relative to `now`."""

from datetime import date, timedelta

from exercises.models import Exercise
from tracker.models import (
    AssignmentItem,
    CheckIn,
    Flag,
    FlagEvidence,
    ProgrammeAssignment,
    SessionLog,
)
from tracker.rules import SEVERITY

TODAY = date(2026, 3, 10)  # the `now` fixture's date in Shanghai


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def add_flag(patient, rule: str, *, on: date = TODAY, status: str = "open", **fields) -> Flag:
    if status == "resolved":
        fields.setdefault("resolved_at", "2026-03-10T04:00:00Z")
    flag = Flag.objects.create(
        patient=patient,
        rule=rule,
        severity=SEVERITY[rule],
        status=status,
        latest_evidence={"date": on.isoformat()},
        last_evidence_on=on,
        **{"opened_on": on, **fields},
    )
    FlagEvidence.objects.create(flag=flag, on=on, data={"date": on.isoformat()})
    return flag


def set_evidence(flag: Flag, entries: list[dict]) -> Flag:
    """Replace the flag's evidence with `entries` (one FlagEvidence row each, by its "date") and
    keep the flag's latest entry and dates in step, as tracker.services.flags does."""
    flag.evidence_rows.all().delete()
    FlagEvidence.objects.bulk_create(
        FlagEvidence(flag=flag, on=date.fromisoformat(entry["date"]), data=entry)
        for entry in entries
    )
    days = sorted(date.fromisoformat(entry["date"]) for entry in entries)
    flag.latest_evidence = max(entries, key=lambda entry: entry["date"])
    flag.opened_on, flag.last_evidence_on = days[0], days[-1]
    flag.save(update_fields=["latest_evidence", "opened_on", "last_evidence_on"])
    return flag


def add_checkins(patient, days: range | list[int], **scores) -> None:
    values = {"back_pain": 3, "leg_pain": 4, "numbness": 2, **scores}
    CheckIn.objects.bulk_create(CheckIn(patient=patient, date=days_ago(n), **values) for n in days)


def add_programme(patient, therapist, *, days_per_week=7, starts_ago=60, template=None):
    """A current programme of one exercise, written directly (the API limits back-dating)."""
    exercise = Exercise.objects.order_by("key").first()
    assignment = ProgrammeAssignment.objects.create(
        patient=patient,
        template=template,
        version=1,
        starts_on=days_ago(starts_ago),
        created_by=therapist,
    )
    AssignmentItem.objects.create(
        assignment=assignment, exercise=exercise, sets=2, reps=10, days_per_week=days_per_week
    )
    return assignment


def add_sessions(patient, days: list[int]) -> None:
    exercise = Exercise.objects.order_by("key").first()
    SessionLog.objects.bulk_create(
        SessionLog(
            patient=patient,
            exercise=exercise,
            performed_at=f"{days_ago(n).isoformat()}T01:00:00Z",
            performed_on=days_ago(n),
        )
        for n in days
    )
