"""Worsening flags: run the rules of CLINICAL.md §4 (tracker/rules.py) and keep the flags in step.

Order of arrival never matters: a check-in dated `on` re-runs the rules at every check-in date
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

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reminders.selectors import notification_was_sent
from reminders.services.notifications import digest_items_discard
from tracker import rules
from tracker.models import (
    UNRESOLVED_STATUSES,
    Flag,
    FlagEvidence,
    FlagRule,
    FlagStatus,
    PatientProfile,
    User,
)
from tracker.patient_calendar import local_today
from tracker.selectors.adherence import adherence_rule_facts, adherence_rule_inputs
from tracker.services.flag_history import DAY_FIELDS, patient_history
from tracker.services.flag_writes import evidence_read, flags_and_evidence_write, flags_insert
from tracker.services.raw_rows import fetched, select_list

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
    return None if moment is None else local_today(profile, moment)


def _answers(day: rules.Day) -> dict[str, Any]:
    values = {name: getattr(day, name) for name in ANSWER_FIELDS}
    values["numbness_areas"] = sorted(day.numbness_areas)
    return values


def _is_changed(entry: dict[str, Any]) -> bool:
    return "changed_at" in entry


def _entries(flag: Flag) -> dict[date, dict[str, Any]]:
    """The evidence of `flag` this evaluation holds, by date (see _evidence_load)."""
    entries: dict[date, dict[str, Any]] = flag.__dict__.setdefault("_entries", {})
    return entries


@dataclass
class _Evaluation:
    """The patient's flags during one evaluation, and what it did to them.

    Evidence is read only where the evaluation can change it: the dates from the first
    evaluated one on, and the entries a correction marked (few). Dates before that stay in the
    database untouched, so a flag with a year of evidence costs what one with a week does
    (issue 16). A flag whose whole evidence is needed (a correction taking entries away) is
    read whole then (`complete`)."""

    patient: User
    now: datetime
    unresolved: dict[str, Flag]
    # Worsening up to a resolved flag's last evidence has been dealt with by a therapist: late
    # data about those days does not open it again.
    settled_until: dict[str, date]
    created: list[Flag] = field(default_factory=list)
    changed: dict[int, Flag] = field(default_factory=dict)
    touched: dict[str, Flag] = field(default_factory=dict)
    written: dict[int, set[date]] = field(default_factory=dict)  # id(flag) -> dates to upsert
    removed: dict[int, set[date]] = field(default_factory=dict)  # flag.pk -> dates to delete
    complete: set[int] = field(default_factory=set)  # id(flag) of flags read whole
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

    def _put(self, flag: Flag, when: date, entry: dict[str, Any]) -> None:
        _entries(flag)[when] = entry
        self.written.setdefault(id(flag), set()).add(when)
        _summarise(flag, complete=id(flag) in self.complete)

    def add_evidence(self, rule: str, when: date, finding: rules.Finding) -> None:
        flag = self.unresolved.get(rule)
        if flag is None:
            flag = Flag(
                patient=self.patient,
                rule=rule,
                severity=finding.severity,
                opened_on=when,
                last_evidence_on=when,
            )
            self.unresolved[rule] = flag
            self.created.append(flag)
            self.complete.add(id(flag))
        if _entries(flag).get(when) != finding.evidence:
            self._put(flag, when, finding.evidence)
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
        entry = _entries(flag).get(day.on)
        if entry is None or _is_changed(entry):
            return
        marked = {**entry, "changed_at": self.now.isoformat(), "answer_now": _answers(day)}
        self._put(flag, day.on, marked)
        self.changed[flag.pk] = flag

    def read_whole(self, flag: Flag) -> None:
        """Every evidence entry of `flag`, this run's own changes kept over the stored ones."""
        if id(flag) in self.complete:
            return
        held = _entries(flag)
        for _, on, data, _ in evidence_read([flag.pk]):
            held.setdefault(on, data)
        self.complete.add(id(flag))

    def remove(self, flag: Flag, dates: set[date]) -> None:
        held = _entries(flag)
        for when in dates:
            held.pop(when, None)
            self.written.get(id(flag), set()).discard(when)
        self.removed.setdefault(flag.pk, set()).update(dates)
        _summarise(flag, complete=True)


def _summarise(flag: Flag, *, complete: bool) -> None:
    """The flag's dates, its newest entry and when an answer last changed, from its evidence:
    all of it when `complete`, else the entries held merged with what the row already says
    (entries are only added or marked then, so the first date can only move earlier)."""
    held = _entries(flag)
    if not held:
        return
    first, last = min(held), max(held)
    if not complete:
        first, last = min(first, flag.opened_on), max(last, flag.last_evidence_on)
    flag.opened_on, flag.last_evidence_on = first, last
    if last in held:
        flag.latest_evidence = held[last]
    # Every marked entry is held (_evidence_load reads them all), so this is the whole story.
    changed = [entry["changed_at"] for entry in held.values() if _is_changed(entry)]
    flag.answer_changed_at = datetime.fromisoformat(max(changed)) if changed else None


def _evidence_load(flags: list[Flag], *, since: date) -> None:
    """Hold each unresolved flag's evidence from `since` on and its marked entries: one query,
    and none at all for today's first check-in of a patient without corrections (the flags'
    newest evidence is older than today and nothing is marked)."""
    wanted = [
        flag.pk
        for flag in flags
        if flag.last_evidence_on >= since or flag.answer_changed_at is not None
    ]
    for flag in flags:
        flag.__dict__["_entries"] = {}
    if not wanted:
        return
    by_pk = {flag.pk: flag for flag in flags}
    for flag_id, on, data, _ in evidence_read(wanted, since=since):
        _entries(by_pk[flag_id])[on] = data


# The patient's flags, oldest first. Written out: compiling the ORM's query cost ~1 ms of CPU a
# check-in (issue 16); the columns are converted as the ORM converts them.
_FLAG_FIELDS = [field.name for field in Flag._meta.concrete_fields]
_FLAGS_SQL = (
    f"SELECT {select_list(Flag, 'f', _FLAG_FIELDS)} FROM {Flag._meta.db_table} f "  # noqa: S608
    "WHERE f.patient_id = %s ORDER BY f.opened_at"
)


def _evaluation_start(
    *, patient: User, profile: PatientProfile, now: datetime, since: date
) -> tuple[Any, ...]:
    """The patient's flags, the resolved flags' settled dates and the numbness episode's start."""
    flags: list[Flag] = fetched(Flag, _FLAG_FIELDS, _FLAGS_SQL, [patient.pk])
    settled_until: dict[str, date] = {}
    for flag in flags:
        if flag.status == FlagStatus.RESOLVED:
            settled = settled_until.get(flag.rule, date.min)
            settled_until[flag.rule] = max(settled, flag.last_evidence_on)
    unresolved = {flag.rule: flag for flag in flags if flag.status in UNRESOLVED_STATUSES}
    _evidence_load(list(unresolved.values()), since=since)
    run = _Evaluation(
        patient=patient,
        now=now,
        unresolved=unresolved,
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
    run, episode_from = _evaluation_start(patient=patient, profile=profile, now=now, since=on)
    # The programme's versions and the sessions adherence_drop counts: one query.
    versions, done = adherence_rule_inputs(patient=patient)
    started = min((version.starts_on for version in versions), default=None)
    history = patient_history(
        patient=patient, since=on, episode_from=episode_from, programme_started_on=started
    )
    if not history.days:
        return FlagChanges(touched=[], opened_urgent=[])
    latest = history.dates[-1]
    facts = rules.Facts(
        is_pregnant=profile.is_pregnant,
        numbness_episode_from=episode_from,
        programme_started_on=started,
        # adherence_drop's inputs: the one definition of adherence (selectors/adherence.py).
        **adherence_rule_facts(versions, done, t=latest),
    )
    # Adherence is about the most recent week, so it is judged at the newest check-in only.
    earlier_facts = rules.Facts(**{**vars(facts), "prescribed_last_7": 0})
    for day in [d for d in history.days if d.on >= on]:
        _evaluate_day(run, history, day, facts if day.on == latest else earlier_facts, latest)
    withdrawn = _flags_save(run)
    today = local_today(profile, now)
    _missing_checkins_update(history=history, today=today, flags=run.unresolved, now=now)
    kept = [flag for flag in run.touched.values() if flag.pk not in withdrawn and _entries(flag)]
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
    dropped. At most four statements: new flags, changed flags, evidence upserted (these two one
    statement on PostgreSQL), and (after a correction only) evidence deleted."""
    withdrawn: set[int] = set()
    for flag in run.changed.values():
        held = _entries(flag)
        if not any(_is_changed(entry) for entry in held.values()) or run.was_told(flag):
            continue
        run.read_whole(flag)
        held = _entries(flag)
        marked = {when for when, entry in held.items() if _is_changed(entry)}
        if len(marked) < len(held):
            run.remove(flag, marked)
        elif flag.status == FlagStatus.OPEN:
            flag.status = FlagStatus.WITHDRAWN
            flag.withdrawn_at = run.now
            withdrawn.add(flag.pk)
            digest_items_discard(key_prefix=flag_notification_prefix(flag))
    if run.created:
        flags_insert(run.created)
    changed = list(run.changed.values())
    for flag in changed:
        flag.updated_at = run.now
    evidence = [
        (flag.pk, when, _entries(flag)[when], _changed_at(_entries(flag)[when]))
        for flag in [*run.created, *changed]
        for when in sorted(run.written.get(id(flag), ()))
    ]
    flags_and_evidence_write(changed, evidence)
    gone = Q()
    for pk, dates in run.removed.items():
        if dates:
            gone |= Q(flag_id=pk, on__in=sorted(dates))
    if gone:
        FlagEvidence.objects.filter(gone).delete()
    return withdrawn


def _changed_at(entry: dict[str, Any]) -> datetime | None:
    return datetime.fromisoformat(entry["changed_at"]) if _is_changed(entry) else None


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


# The hourly sweep lives beside this module; callers import it from here as before.
from tracker.services.flag_sweep import flags_sweep  # noqa: E402

__all__ = ["FlagChanges", "flag_notification_prefix", "flags_evaluate_for_checkin", "flags_sweep"]
