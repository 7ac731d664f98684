"""The hourly sweep of the one rule that fires with the passing of time: no check-in for 3 days
(CLINICAL.md §4)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.utils import timezone

from tracker import rules
from tracker.models import (
    UNRESOLVED_STATUSES,
    Flag,
    FlagEvidence,
    FlagRule,
    FlagStatus,
    PatientProfile,
)


def flags_sweep(*, now: datetime | None = None) -> int:
    """Open `missing_checkins` flags for patients silent for 3 days or more; returns how many.

    Run hourly by beat and by `manage.py flags_sweep`. Two queries and one insert per run,
    whatever the number of patients; the partial unique index makes a concurrent run harmless.
    """
    now = now or timezone.now()
    silent = (
        PatientProfile.objects.filter(user__is_active=True)
        .annotate(latest=Max("user__checkins__date"))
        .filter(latest__isnull=False)
        .exclude(
            user__flags__rule=FlagRule.MISSING_CHECKINS,
            user__flags__status__in=UNRESOLVED_STATUSES,
        )
        .values_list("user_id", "timezone", "latest")
    )
    new_flags = []
    for user_id, zone, latest in silent:
        today = timezone.localdate(now, timezone=ZoneInfo(zone))
        finding = rules.missing_checkins(rules.History([_stub_day(latest)]), today)
        if finding is not None:
            new_flags.append(
                Flag(
                    patient_id=user_id,
                    rule=finding.rule,
                    severity=finding.severity,
                    latest_evidence={"date": today.isoformat(), **finding.evidence},
                    opened_on=today,
                    last_evidence_on=today,
                )
            )
    Flag.objects.bulk_create(new_flags, ignore_conflicts=True)
    _sweep_evidence_add(new_flags)
    return len(new_flags)


def _sweep_evidence_add(new_flags: list[Flag]) -> None:
    """The evidence row of each flag the sweep opened. ignore_conflicts leaves the new rows
    without ids, so they are found again: this run's open flags of the rule that have no
    evidence yet (a concurrent run's flag gets its row from whichever run comes first)."""
    if not new_flags:
        return
    entries = {flag.patient_id: flag.latest_evidence for flag in new_flags}
    opened = Flag.objects.filter(
        patient_id__in=list(entries),
        rule=FlagRule.MISSING_CHECKINS,
        status=FlagStatus.OPEN,
        evidence_rows__isnull=True,
    ).values_list("pk", "patient_id", "opened_on")
    FlagEvidence.objects.bulk_create(
        [
            FlagEvidence(flag_id=pk, on=on, data=entries[patient_id])
            for pk, patient_id, on in opened
        ],
        ignore_conflicts=True,
    )


def _stub_day(on: date) -> rules.Day:
    # missing_checkins reads only the latest date.
    return rules.Day(on=on, back_pain=0, leg_pain=0, numbness=0)
