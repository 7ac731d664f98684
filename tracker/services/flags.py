"""Worsening flags: run the rules of CLINICAL.md §4 (tracker/rules.py) and keep the flags in step.

Order of arrival never matters: a check-in dated `on` re-runs the rules at every check-in date
from `on` onwards (just `on` when it is the newest, the common case), and each evaluated date's
evidence is added to, or taken off, the rule's unresolved flag. So a late or offline batch ends
with the same flags as the same data sent in order. A flag that loses all its evidence to later
data before any therapist touched it is withdrawn; one a therapist acknowledged stays.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tracker import rules
from tracker.models import (
    CheckIn,
    Flag,
    FlagRule,
    FlagStatus,
    PatientProfile,
    User,
)
from tracker.selectors.adherence import Version, adherence_for_rule, adherence_versions

DAY_FIELDS = (
    "date",
    "back_pain",
    "leg_pain",
    "numbness",
    "numbness_areas",
    "can_walk_on_heels",
    "can_walk_on_toes",
    "bowel_bladder_change",
    "saddle_numbness",
    "night_pain",
    "stopped_walking",
    "walking_minutes",
)


@dataclass
class FlagChanges:
    touched: list[Flag]  # opened or given new evidence, for the check-in's response
    opened_urgent: list[Flag]  # the care team must hear of these at once


def day_from_row(row: tuple) -> rules.Day:
    return rules.Day(
        on=row[0],
        back_pain=row[1],
        leg_pain=row[2],
        numbness=row[3],
        numbness_areas=frozenset(row[4] or ()),
        can_walk_on_heels=row[5],
        can_walk_on_toes=row[6],
        bowel_bladder_change=row[7],
        saddle_numbness=row[8],
        night_pain=row[9],
        stopped_walking=row[10],
        walking_minutes=row[11],
    )


# The rows of the bounded history, as one SQL statement. Written out rather than built with
# the ORM: compiling eight nested subqueries took Django ~3 ms a check-in, three times what the
# database needs to run them (issue 4: rules for one check-in under 5 ms). Portable SQL: it runs
# on PostgreSQL and SQLite alike, and the patient/date unique index serves every branch.
_TABLE = CheckIn._meta.db_table
_ROWS = f"SELECT id FROM {_TABLE} WHERE patient_id = %(patient)s"  # noqa: S608
_CALM = "back_pain < %(level)s AND leg_pain < %(level)s"
_FIRST = rules.BASELINE_CHECKINS  # the first N check-ins a baseline reads
_RUN_FIRST = rules.PERSISTENT_PAIN_MEAN_DAYS  # a run's first 3-day mean
# Only constants are interpolated into the text; every value goes as a query parameter.
_HISTORY_SQL = f"""
SELECT * FROM {_TABLE} c WHERE c.patient_id = %(patient)s AND (
  c.date >= %(window_start)s
  OR c.id IN ({_ROWS} AND date < %(window_start)s ORDER BY date DESC LIMIT 1)
  OR c.id IN ({_ROWS} ORDER BY date LIMIT {_FIRST})
  OR c.id IN ({_ROWS} AND walking_minutes IS NOT NULL ORDER BY date LIMIT {_FIRST})
  OR c.id IN ({_ROWS} AND date >= %(episode_from)s ORDER BY date LIMIT {_FIRST})
  OR c.id IN ({_ROWS} AND date >= %(programme_from)s ORDER BY date LIMIT {_FIRST})
  OR c.id IN ({_ROWS} AND date < %(window_start)s AND {_CALM} ORDER BY date DESC LIMIT 1)
  OR c.id IN ({_ROWS} AND date < %(window_start)s AND date > (
      SELECT date FROM {_TABLE} WHERE patient_id = %(patient)s
      AND date < %(window_start)s AND {_CALM} ORDER BY date DESC LIMIT 1
  ) ORDER BY date LIMIT {_RUN_FIRST})
  OR c.id IN ({_ROWS} AND date < %(window_start)s AND numbness = 0 ORDER BY date DESC LIMIT 1)
  OR c.id IN ({_ROWS} AND date < %(window_start)s AND date > (
      SELECT date FROM {_TABLE} WHERE patient_id = %(patient)s
      AND date < %(window_start)s AND numbness = 0 ORDER BY date DESC LIMIT 1
  ) ORDER BY date LIMIT 1)
) ORDER BY c.date
"""  # noqa: S608
# A date after every check-in: the branch of a baseline that does not apply selects nothing.
_NEVER = date(9999, 12, 31)


def patient_history(
    *,
    patient: User,
    since: date,
    episode_from: date | None = None,
    programme_started_on: date | None = None,
) -> rules.History:
    """What the rules need to judge every date from `since` on, in one query of bounded size
    whatever the length of the history (issue 4: evaluation cost independent of history):

    - every check-in from `since` minus the longest look-back window on;
    - the check-in just before that (sudden_worsening's "previous check-in");
    - the first 3 check-ins overall, of the numbness episode, with walking minutes, and since the
      programme began (the baselines of numbness_worsening, claudication, conservative_failure);
    - for the unbroken runs of persistent_pain and pregnancy_persistent: the last check-in before
      the window that breaks the run and the first ones after it, so the run's start and its
      first 3-day mean come out exactly as over the whole history.

    Rules evaluated on this subset give the same findings as on the whole history for every
    date >= since (a property test checks this against the whole history).
    """
    params = {
        "patient": patient.pk,
        "window_start": (since - timedelta(days=rules.LOOKBACK_DAYS)).isoformat(),
        "episode_from": (episode_from or _NEVER).isoformat(),
        "programme_from": (programme_started_on or _NEVER).isoformat(),
        "level": rules.PERSISTENT_PAIN_LEVEL,
    }
    rows = CheckIn.objects.raw(_HISTORY_SQL, params)
    return rules.History(
        [day_from_row(tuple(getattr(row, name) for name in DAY_FIELDS)) for row in rows]
    )


def _local_date(moment: datetime | None, profile: PatientProfile) -> date | None:
    return None if moment is None else timezone.localdate(moment, timezone=profile.tzinfo)


def _programme_facts(*, patient: User) -> tuple[dict, list[Version]]:
    """When the conservative programme began (its first version's start), and every version
    (adherence_drop's inputs come from them): one query."""
    versions = adherence_versions(patient_ids=[patient.pk]).get(patient.pk, [])
    started = min((version.starts_on for version in versions), default=None)
    return {"programme_started_on": started}, versions


def _set_evidence(flag: Flag, when: date, evidence: dict | None) -> bool:
    """Put (or with None, take off) the evidence for one date; True when the flag changed."""
    key = when.isoformat()
    kept = [entry for entry in flag.evidence if entry.get("date") != key]
    if evidence is not None:
        kept.append(evidence)
    kept.sort(key=lambda entry: entry.get("date", ""))
    if kept == flag.evidence:
        return False
    flag.evidence = kept
    if kept:
        flag.last_evidence_on = date.fromisoformat(kept[-1]["date"])
    return True


# savepoint=False: part of the check-in's transaction, with no SAVEPOINT round trips.
@transaction.atomic(savepoint=False)
def flags_evaluate_for_checkin(*, patient: User, profile: PatientProfile, on: date) -> FlagChanges:
    flags = list(Flag.objects.filter(patient=patient).order_by("opened_at"))
    unresolved = {flag.rule: flag for flag in flags if flag.status != FlagStatus.RESOLVED}
    # Worsening up to a resolved flag's last evidence has been dealt with by a therapist: late
    # data about those days does not open it again.
    settled_until: dict[str, date] = {}
    for flag in flags:
        if flag.status == FlagStatus.RESOLVED:
            settled = settled_until.get(flag.rule, date.min)
            settled_until[flag.rule] = max(settled, flag.last_evidence_on)
    numbness_resolved = [
        flag.resolved_at
        for flag in flags
        if flag.rule == FlagRule.NUMBNESS_WORSENING and flag.status == FlagStatus.RESOLVED
    ]
    resolved_on = _local_date(max(numbness_resolved, default=None), profile)
    # The numbness episode starts again the day after its last flag was resolved.
    episode_from = resolved_on + timedelta(days=1) if resolved_on else None
    programme, versions = _programme_facts(patient=patient)
    history = patient_history(
        patient=patient,
        since=on,
        episode_from=episode_from,
        programme_started_on=programme["programme_started_on"],
    )
    if not history.days:
        return FlagChanges(touched=[], opened_urgent=[])
    today = timezone.localdate(timezone=profile.tzinfo)
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

    created: list[Flag] = []
    changed: dict[int, Flag] = {}
    touched: dict[str, Flag] = {}
    for when in [d for d in history.dates if d >= on]:
        at_facts = facts if when == latest else earlier_facts
        findings = {finding.rule: finding for finding in rules.evaluate(history, when, at_facts)}
        for rule in (r.__name__ for r in rules.CHECKIN_RULES):
            if rule == "adherence_drop" and when != latest:
                continue
            if when <= settled_until.get(rule, date.min):
                continue
            finding = findings.get(rule)
            if finding is not None and finding.rests_only_on_days_until(
                settled_until.get(rule, date.min)
            ):
                finding = None  # the nights a therapist already resolved, seen from a later day
            flag = unresolved.get(rule)
            if finding is None:
                if flag is not None and _set_evidence(flag, when, None) and flag.pk:
                    changed[flag.pk] = flag
                continue
            if flag is None:
                flag = Flag(
                    patient=patient,
                    rule=rule,
                    severity=finding.severity,
                    evidence=[],
                    last_evidence_on=when,
                )
                unresolved[rule] = flag
                created.append(flag)
            if _set_evidence(flag, when, finding.evidence):
                touched[rule] = flag
                if flag.pk:
                    changed[flag.pk] = flag

    withdrawn = [
        flag.pk for flag in changed.values() if not flag.evidence and flag.status == FlagStatus.OPEN
    ]
    if withdrawn:
        Flag.objects.filter(pk__in=withdrawn).delete()
    created = [flag for flag in created if flag.evidence]
    if created:
        Flag.objects.bulk_create(created)
    updates = [flag for pk, flag in changed.items() if pk not in withdrawn]
    if updates:
        now = timezone.now()
        for flag in updates:
            flag.updated_at = now
        Flag.objects.bulk_update(updates, ["evidence", "last_evidence_on", "updated_at"])
    _missing_checkins_update(patient=patient, history=history, today=today, flags=unresolved)

    kept = [flag for flag in touched.values() if flag.pk not in withdrawn and flag.evidence]
    return FlagChanges(
        touched=sorted(kept, key=lambda flag: -rules.SEVERITY_RANK[flag.severity]),
        opened_urgent=[flag for flag in created if flag.is_urgent],
    )


def _missing_checkins_update(
    *, patient: User, history: rules.History, today: date, flags: dict[str, Flag]
) -> None:
    # The one rule that closes by itself: a check-in arriving ends "no check-in for 3 days".
    finding = rules.missing_checkins(history, today)
    flag = flags.get(FlagRule.MISSING_CHECKINS)
    if finding is None and flag is not None:
        Flag.objects.filter(pk=flag.pk).update(
            status=FlagStatus.RESOLVED,
            resolved_at=timezone.now(),
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
            user__flags__status__in=[FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED],
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
                    last_evidence_on=today,
                )
            )
    Flag.objects.bulk_create(new_flags, ignore_conflicts=True)
    return len(new_flags)


def _stub_day(on: date) -> rules.Day:
    # missing_checkins reads only the latest date.
    return rules.Day(on=on, back_pain=0, leg_pain=0, numbness=0)


def flag_acknowledge(*, flag: Flag, by: User, note: str = "") -> Flag:
    updated = Flag.objects.filter(pk=flag.pk, status=FlagStatus.OPEN).update(
        status=FlagStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=by,
        acknowledged_note=note,
    )
    flag.refresh_from_db()
    if not updated and flag.status == FlagStatus.RESOLVED:
        raise ValidationError({"status": ["This flag is already resolved."]})
    return flag


def flag_resolve(*, flag: Flag, by: User, note: str = "") -> Flag:
    Flag.objects.filter(pk=flag.pk).exclude(status=FlagStatus.RESOLVED).update(
        status=FlagStatus.RESOLVED, resolved_at=timezone.now(), resolved_by=by, resolved_note=note
    )
    flag.refresh_from_db()
    return flag
