"""Worsening flags: run the rules of CLINICAL.md §4 (tracker/rules.py) and keep the flags in step.

Order of arrival never matters: a check-in dated `on` re-runs the rules at every check-in date
from typing import Any
from `on` onwards (just `on` when it is the newest, the common case), and each evaluated date's
evidence is added to the rule's unresolved flag, or marked as no longer met.

A flag's life (CLINICAL.md §4a): it opens on the date of its first evidence and stays open until
a therapist resolves it. When a correction (a same-day resubmission, or late data) no longer meets
the rule on a date, that date's evidence is kept and marked "answer changed by the patient at …"
with the new answers beside the old, if anyone was told of the flag (push, e-mail, inbox, a digest
that went out, or a therapist's acknowledgement). A flag nobody has been told of yet that loses all
its evidence is withdrawn: kept with its evidence as the record, no longer open.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reminders.selectors import notification_was_sent
from reminders.services.notifications import digest_items_discard
from tracker import rules
from tracker.models import (
    UNRESOLVED_STATUSES,
    Flag,
    FlagRule,
    FlagStatus,
    PatientProfile,
    User,
)
from tracker.selectors.adherence import Version, adherence_for_rule, adherence_versions
from tracker.services.flag_history import DAY_FIELDS, patient_history

# The answers of a day, as kept beside evidence a correction no longer supports.
ANSWER_FIELDS = tuple(name for name in DAY_FIELDS if name != "date")


@dataclass
class FlagChanges:
    touched: list[Flag]  # opened or given new evidence, for the check-in's response
    opened_urgent: list[Flag]  # the care team must hear of these at once


def flag_notification_prefix(flag: Flag) -> str:
    """The start of every notification key about this flag (one per therapist)."""
    return f"flag:{flag.public_id}:"


def _local_date(moment: datetime | None, profile: PatientProfile) -> date | None:
    return None if moment is None else timezone.localdate(moment, timezone=profile.tzinfo)


def _programme_facts(*, patient: User) -> tuple[dict[str, Any], list[Version]]:
    """When the conservative programme began (its first version's start), and every version
    (adherence_drop's inputs come from them): one query."""
    versions = adherence_versions(patient_ids=[patient.pk]).get(patient.pk, [])
    started = min((version.starts_on for version in versions), default=None)
    return {"programme_started_on": started}, versions


def _answers(day: rules.Day) -> dict[str, Any]:
    values = {name: getattr(day, name) for name in ANSWER_FIELDS}
    values["numbness_areas"] = sorted(day.numbness_areas)
    return values


def _is_changed(entry: dict[str, Any]) -> bool:
    return "changed_at" in entry


@dataclass
class _Evaluation:
    """The patient's flags during one evaluation, and what it did to them."""

    patient: User
    now: datetime
    unresolved: dict[str, Flag]
    # Worsening up to a resolved flag's last evidence has been dealt with by a therapist: late
    # data about those days does not open it again.
    settled_until: dict[str, date]
    created: list[Flag] = field(default_factory=list)
    changed: dict[int, Flag] = field(default_factory=dict)
    touched: dict[str, Flag] = field(default_factory=dict)
    _told: dict[int, bool] = field(default_factory=dict)

    def was_told(self, flag: Flag) -> bool:
        """Has anyone been told of this flag? Asked only when a correction takes evidence
        away, which is rare, so the check-in's usual path runs no extra query."""
        if flag.pk is None:
            return False
        if flag.pk not in self._told:
            self._told[flag.pk] = flag.status == FlagStatus.ACKNOWLEDGED or notification_was_sent(
                key_prefix=flag_notification_prefix(flag)
            )
        return self._told[flag.pk]

    def add_evidence(self, rule: str, when: date, finding: rules.Finding) -> None:
        flag = self.unresolved.get(rule)
        if flag is None:
            flag = Flag(
                patient=self.patient,
                rule=rule,
                severity=finding.severity,
                evidence=[],
                opened_on=when,
                last_evidence_on=when,
            )
            self.unresolved[rule] = flag
            self.created.append(flag)
        key = when.isoformat()
        kept = [entry for entry in flag.evidence if entry.get("date") != key]
        if _set_evidence(flag, [*kept, finding.evidence]):
            self.touched[rule] = flag
            if flag.pk:
                self.changed[flag.pk] = flag

    def mark_not_met(self, rule: str, day: rules.Day) -> None:
        """The rule no longer fires on a date it had evidence for: mark that evidence with the
        new answers (CLINICAL.md §4a). Whether the mark stays or the entry goes is settled once
        the whole run is known (_flags_save)."""
        flag = self.unresolved.get(rule)
        if flag is None or flag.pk is None:
            return
        if not flag.opened_on <= day.on <= flag.last_evidence_on:
            return  # no evidence on that date: the usual case, decided without a scan
        key = day.on.isoformat()
        entries = []
        for entry in flag.evidence:
            if entry.get("date") == key and not _is_changed(entry):
                entry = {**entry, "changed_at": self.now.isoformat(), "answer_now": _answers(day)}
            entries.append(entry)
        if _set_evidence(flag, entries):
            self.changed[flag.pk] = flag


def _set_evidence(flag: Flag, entries: list[dict[str, Any]]) -> bool:
    """Replace the flag's evidence (sorted by date) and the dates that follow from it; True
    when anything changed."""
    entries = sorted(entries, key=lambda entry: entry.get("date", ""))
    if entries == flag.evidence:
        return False
    flag.evidence = entries
    if entries:
        flag.opened_on = date.fromisoformat(entries[0]["date"])
        flag.last_evidence_on = date.fromisoformat(entries[-1]["date"])
    changed = [entry["changed_at"] for entry in entries if _is_changed(entry)]
    flag.answer_changed_at = datetime.fromisoformat(max(changed)) if changed else None
    return True


def _evaluation_start(*, patient: User, profile: PatientProfile, now: datetime) -> tuple[Any, ...]:
    """The patient's flags, the resolved flags' settled dates and the numbness episode's start."""
    flags = list(Flag.objects.filter(patient=patient).order_by("opened_at"))
    settled_until: dict[str, date] = {}
    for flag in flags:
        if flag.status == FlagStatus.RESOLVED:
            settled = settled_until.get(flag.rule, date.min)
            settled_until[flag.rule] = max(settled, flag.last_evidence_on)
    run = _Evaluation(
        patient=patient,
        now=now,
        unresolved={flag.rule: flag for flag in flags if flag.status in UNRESOLVED_STATUSES},
        settled_until=settled_until,
    )
    numbness_resolved = [
        flag.resolved_at
        for flag in flags
        if flag.rule == FlagRule.NUMBNESS_WORSENING
        and flag.status == FlagStatus.RESOLVED
        and flag.resolved_at is not None
    ]
    resolved_on = _local_date(max(numbness_resolved, default=None), profile)
    # The numbness episode starts again the day after its last flag was resolved.
    episode_from = resolved_on + timedelta(days=1) if resolved_on else None
    return run, episode_from


# savepoint=False: part of the check-in's transaction, with no SAVEPOINT round trips.
@transaction.atomic(savepoint=False)
def flags_evaluate_for_checkin(*, patient: User, profile: PatientProfile, on: date) -> FlagChanges:
    now = timezone.now()
    run, episode_from = _evaluation_start(patient=patient, profile=profile, now=now)
    programme, versions = _programme_facts(patient=patient)
    history = patient_history(
        patient=patient,
        since=on,
        episode_from=episode_from,
        programme_started_on=programme["programme_started_on"],
    )
    if not history.days:
        return FlagChanges(touched=[], opened_urgent=[])
    latest = history.dates[-1]
    facts = rules.Facts(
        is_pregnant=profile.is_pregnant,
        numbness_episode_from=episode_from,
        **programme,
        # adherence_drop's inputs: the one definition of adherence (selectors/adherence.py).
        **adherence_for_rule(patient=patient, versions=versions, t=latest),
    )
    # Adherence is about the most recent week, so it is judged at the newest check-in only.
    earlier_facts = rules.Facts(**{**vars(facts), "prescribed_last_7": 0})
    for day in [d for d in history.days if d.on >= on]:
        _evaluate_day(run, history, day, facts if day.on == latest else earlier_facts, latest)
    withdrawn = _flags_save(run)
    today = timezone.localdate(now, timezone=profile.tzinfo)
    _missing_checkins_update(history=history, today=today, flags=run.unresolved, now=now)
    kept = [flag for flag in run.touched.values() if flag.pk not in withdrawn and flag.evidence]
    return FlagChanges(
        touched=sorted(kept, key=lambda flag: -rules.SEVERITY_RANK[flag.severity]),
        opened_urgent=[flag for flag in run.created if flag.is_urgent],
    )


def _evaluate_day(
    run: _Evaluation, history: rules.History, day: rules.Day, facts: rules.Facts, latest: date
) -> None:
    findings = {finding.rule: finding for finding in rules.evaluate(history, day.on, facts)}
    for rule in (r.__name__ for r in rules.CHECKIN_RULES):
        if rule == "adherence_drop" and day.on != latest:
            continue
        settled = run.settled_until.get(rule, date.min)
        if day.on <= settled:
            continue
        finding = findings.get(rule)
        if finding is not None and finding.rests_only_on_days_until(settled):
            finding = None  # the nights a therapist already resolved, seen from a later day
        if finding is not None:
            run.add_evidence(rule, day.on, finding)
        else:
            run.mark_not_met(rule, day)


def _flags_save(run: _Evaluation) -> set[int]:
    """Write what the run did; returns the ids of the flags it withdrew.

    A flag someone was told of keeps its marked evidence. For one nobody was told of, marked
    entries simply go, unless nothing else is left: then it is withdrawn, keeping the marked
    entries as the record of what was withdrawn and why, and any digest item waiting for it is
    dropped."""
    withdrawn: set[int] = set()
    for flag in run.changed.values():
        if not any(_is_changed(entry) for entry in flag.evidence) or run.was_told(flag):
            continue
        fresh = [entry for entry in flag.evidence if not _is_changed(entry)]
        if fresh:
            _set_evidence(flag, fresh)
        elif flag.status == FlagStatus.OPEN:
            flag.status = FlagStatus.WITHDRAWN
            flag.withdrawn_at = run.now
            withdrawn.add(flag.pk)
            digest_items_discard(key_prefix=flag_notification_prefix(flag))
    if run.created:
        Flag.objects.bulk_create(run.created)
    if run.changed:
        for flag in run.changed.values():
            flag.updated_at = run.now
        Flag.objects.bulk_update(
            list(run.changed.values()),
            [
                "evidence",
                "opened_on",
                "last_evidence_on",
                "answer_changed_at",
                "status",
                "withdrawn_at",
                "updated_at",
            ],
        )
    return withdrawn


def _missing_checkins_update(
    *, history: rules.History, today: date, flags: dict[str, Flag], now: datetime
) -> None:
    # The one rule that closes by itself: a check-in arriving ends "no check-in for 3 days".
    finding = rules.missing_checkins(history, today)
    flag = flags.get(FlagRule.MISSING_CHECKINS)
    if finding is None and flag is not None:
        Flag.objects.filter(pk=flag.pk).update(
            status=FlagStatus.RESOLVED,
            resolved_at=now,
            resolved_note="Closed by itself: a check-in arrived.",
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
                    evidence=[{"date": today.isoformat(), **finding.evidence}],
                    opened_on=today,
                    last_evidence_on=today,
                )
            )
    Flag.objects.bulk_create(new_flags, ignore_conflicts=True)
    return len(new_flags)


def _stub_day(on: date) -> rules.Day:
    # missing_checkins reads only the latest date.
    return rules.Day(on=on, back_pain=0, leg_pain=0, numbness=0)
