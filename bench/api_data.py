"""The patients bench/api_load.py and bench/api_profile.py post for: each with a programme, a
care-team therapist, reminders (so a check-in skips one) and `days` of history ending yesterday,
whose worsening flags have been gathering evidence all along (pain that never eases, night pain
most nights), so a one-year patient's flags carry about a year of evidence.

One history per length is built through the product's services (check-ins stored, then the rules
run over it as if each had arrived on its day); the other patients of that length get copies of
its rows, which is what makes seeding hundreds of year-long patients take seconds, not hours.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

PASSWORD_LENGTH = 16
TIMEZONE = "Asia/Shanghai"
TEMPLATE = "disc_recovery"
MISSING_SHARE = 0.15


def local_today() -> date:
    """The bench patients' local date."""
    from zoneinfo import ZoneInfo

    return timezone.localdate(timezone=ZoneInfo(TIMEZONE))


def checkin_body(rng: random.Random, on: date) -> str:
    """A check-in POST body as a patient's phone sends it."""
    import json

    values = _checkin_values(rng, on)
    values["date"] = on.isoformat()
    return json.dumps(values, separators=(",", ":"))


def _checkin_values(rng: random.Random, on: date) -> dict:
    back = rng.randint(5, 7)
    return {
        "date": on,
        "back_pain": back,
        "leg_pain": max(4, back - rng.randint(0, 2)),
        "numbness": rng.randint(1, 3),
        "numbness_areas": ["left_back_of_thigh"],
        "can_walk_on_heels": True,
        "can_walk_on_toes": True,
        "bowel_bladder_change": False,
        "saddle_numbness": False,
        "night_pain": rng.random() < 0.8,
        "calf_cramps": rng.random() < 0.1,
        "stopped_walking": False,
        "walking_minutes": rng.choice([10, 20, 30]),
        "note": "",
    }


def _programme(*, patient, therapist, today: date, days: int):
    from tracker.services.assignments import assignment_change

    assignment = assignment_change(
        patient=patient, therapist=therapist, template_key=TEMPLATE, starts_on=today
    )
    # Further back than the API's limit for a programme's start: set directly, as seed_demo does.
    assignment.starts_on = today - timedelta(days=days)
    assignment.save(update_fields=["starts_on"])
    return assignment


def _sessions_for(patient, items, rng: random.Random, today: date, days: int) -> list:
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from tracker.models import SessionLog

    zone = ZoneInfo(TIMEZONE)
    rows = []
    for offset in range(days, 0, -1):
        on = today - timedelta(days=offset)
        for item in items:
            if rng.random() < 0.6:
                at = datetime.combine(on, time(rng.randint(8, 20), rng.randint(0, 59)), zone)
                rows.append(
                    SessionLog(
                        patient=patient,
                        item=item,
                        exercise=item.exercise,
                        performed_at=at,
                        performed_on=on,
                        sets=item.sets,
                        reps=item.reps,
                        minutes=item.minutes,
                    )
                )
    return rows


def _flag_copies(source_flags: list, patient) -> tuple[list, list]:
    """The source patient's flags and their evidence rows, for another patient."""
    from tracker.models import Flag

    try:
        from tracker.models import FlagEvidence
    except ImportError:  # before evidence had a table of its own (issue 16)
        FlagEvidence = None
    flags, evidence = [], []
    for flag in source_flags:
        copy = Flag(
            patient=patient,
            rule=flag.rule,
            severity=flag.severity,
            status=flag.status,
            opened_on=flag.opened_on,
            last_evidence_on=flag.last_evidence_on,
            answer_changed_at=flag.answer_changed_at,
            latest_evidence=getattr(flag, "latest_evidence", {}),
            withdrawn_at=flag.withdrawn_at,
            resolved_at=flag.resolved_at,
            resolved_note=flag.resolved_note,
        )
        flags.append(copy)
        if FlagEvidence is None:
            copy.evidence = flag.evidence
            evidence.append([])
            continue
        evidence.append(
            [
                FlagEvidence(on=row.on, data=row.data, changed_at=row.changed_at)
                for row in flag.evidence_rows.all()
            ]
        )
    return flags, evidence


def seed(*, therapist, count: int, days: int, prefix: str, today: date | None = None) -> list:
    """`count` patients with `days` days of history; returns their users."""
    from tracker.models import CheckIn, Flag, SessionLog
    from tracker.services.flags import flags_evaluate_for_checkin
    from tracker.services.patients import patient_create

    today = today or local_today()
    rng = random.Random(days)
    # Some days missing (paper diaries to type in later: the backfills), none of the last three.
    values = [
        _checkin_values(rng, today - timedelta(days=n))
        for n in range(days, 0, -1)
        if n <= 3 or rng.random() >= MISSING_SHARE
    ]
    users = []
    source = None
    for i in range(count):
        profile = patient_create(
            therapist=therapist,
            username=f"{prefix}{i:04d}",
            password="bench-" + "x" * PASSWORD_LENGTH,
            display_name=f"{prefix} {i}",
            timezone=TIMEZONE,
            language="zh-hans",
        )
        patient = profile.user
        with transaction.atomic():
            assignment = _programme(patient=patient, therapist=therapist, today=today, days=days)
            items = list(assignment.items.select_related("exercise"))
            CheckIn.objects.bulk_create([CheckIn(patient=patient, **v) for v in values])
            SessionLog.objects.bulk_create(_sessions_for(patient, items, rng, today, days))
            if source is None and values:
                flags_evaluate_for_checkin(patient=patient, profile=profile, on=values[0]["date"])
                source = list(Flag.objects.filter(patient=patient))
                if hasattr(Flag, "evidence_rows"):
                    source = list(
                        Flag.objects.filter(patient=patient).prefetch_related("evidence_rows")
                    )
            elif source:
                flags, evidence = _flag_copies(source, patient)
                Flag.objects.bulk_create(flags)
                rows = []
                for flag, entries in zip(flags, evidence, strict=True):
                    for row in entries:
                        row.flag = flag
                        rows.append(row)
                if rows:
                    type(rows[0]).objects.bulk_create(rows)
        users.append(patient)
    return users


def token(user) -> str:
    """An API token last used (so last renewed) a day ago: the day's first request renews it,
    as a patient's daily check-in does (knox renews at most once a minute, so a token made just
    now would skip the renewal)."""
    from knox.models import AuthToken
    from knox.settings import knox_settings

    instance, key = AuthToken.objects.create(user=user)
    yesterday = timezone.now() - timedelta(days=1)
    AuthToken.objects.filter(pk=instance.pk).update(
        created=yesterday, expiry=yesterday + knox_settings.TOKEN_TTL
    )
    return key


def today_snapshot(user_ids: list[int]) -> list:
    """The patients' flags as they stand before a round of today's check-ins (today_undo)."""
    from tracker.models import Flag

    return list(Flag.objects.filter(patient_id__in=user_ids))


def today_undo(user_ids: list[int], today: date, snapshot: list) -> None:
    """Take back a round of today's check-ins, so the next round is again each patient's first
    of the day: today's check-ins (and revisions) and evidence go, flags opened since go, the
    others get back the values of `snapshot`, tokens are again last renewed a day ago. Audit
    events and idempotency records stay (the next round's keys are new)."""
    from knox.models import AuthToken
    from knox.settings import knox_settings

    from tracker.models import CheckIn, Flag, FlagEvidence

    with transaction.atomic():
        CheckIn.objects.filter(patient_id__in=user_ids, date=today).delete()
        FlagEvidence.objects.filter(flag__patient_id__in=user_ids, on=today).delete()
        Flag.objects.filter(patient_id__in=user_ids).exclude(
            pk__in=[flag.pk for flag in snapshot]
        ).delete()
        fields = [f.name for f in Flag._meta.concrete_fields if not f.primary_key]
        Flag.objects.bulk_update(snapshot, fields, batch_size=200)
        yesterday = timezone.now() - timedelta(days=1)
        AuthToken.objects.filter(user_id__in=user_ids).update(
            expiry=yesterday + knox_settings.TOKEN_TTL
        )
