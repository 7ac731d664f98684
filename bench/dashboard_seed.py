"""Data for bench/dashboard.py: patients with varied year-long (or longer) stories, bulk inserted;
flags from the product's own rules for a sample, direct rows for about a third of the rest, and
the missing-check-in sweep."""

import random
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
SITES = ["buttock", "back_of_thigh", "outer_calf", "top_of_foot", "sole", "toes"]
# Django's mark of an unusable password: nobody signs in; the bench signs in with force_login.
NO_PASSWORD = "!"  # noqa: S105


def _story(rng: random.Random, days: int):
    """Functions of t in [0, 1] (first day to today) for back pain, leg pain and numbness."""
    kind = rng.choices(
        ["improving", "stuck", "worsening", "pain_down_numbness_up", "relapse", "mild"],
        weights=[35, 15, 10, 8, 12, 20],
    )[0]
    b0, l0, n0 = rng.uniform(4, 8), rng.uniform(4, 8.5), rng.uniform(1, 5)

    def line(a, b):
        return lambda t: a + (b - a) * t

    def after(turn, before, later):
        return lambda t: before(t) if t < turn else later(t)

    if kind == "improving":
        return kind, line(b0, 1.5), line(l0, 1.5), line(n0, 0.5)
    if kind == "stuck":
        return kind, line(b0, b0), line(l0, l0), line(n0, n0)
    if kind == "worsening":
        return kind, line(b0 - 2, b0 + 1.5), line(l0 - 2, l0 + 2), line(n0, n0 + 3)
    if kind == "pain_down_numbness_up":
        turn = 1 - rng.uniform(20, 40) / days
        return (
            kind,
            line(b0, b0 - 1),
            after(turn, line(l0, l0), lambda t: l0 - 4 * (t - turn) / (1 - turn)),
            after(turn, line(n0, n0), lambda t: n0 + 5 * (t - turn) / (1 - turn)),
        )
    if kind == "relapse":
        turn = rng.uniform(0.5, 0.9)
        return (
            kind,
            after(turn, line(b0, 2), line(2, b0)),
            after(turn, line(l0, 2), line(2, l0)),
            line(n0, n0),
        )
    return kind, line(2.5, 1.5), line(2, 1), line(1, 0.5)


def _score(value: float, rng: random.Random) -> int:
    return max(0, min(10, round(value + rng.gauss(0, 0.8))))


def seed(
    *,
    patients: int,
    days: int,
    small: int,
    long_patients: int,
    long_days: int,
    evaluate: int,
    rng: random.Random,
) -> dict:
    """`patients` patients with `days` of history seen by bench_therapist_all, the first `small`
    of them also by bench_therapist_small, and `long_patients` with `long_days` of history seen
    by bench_therapist_long."""
    from django.db import connection

    from tracker.models import CareTeamMember, Clinic, Flag, User

    started = time.monotonic()
    clinics = [Clinic.objects.create(name=f"Bench clinic {n}") for n in range(2)]
    therapists = {
        name: User.objects.create(
            username=f"bench_therapist_{name}",
            role=User.Role.THERAPIST,
            clinic=clinics[0],
            password=NO_PASSWORD,
        )
        for name in ("all", "small", "long")
    }
    counts = {"checkins": 0, "sessions": 0, "stories": {}}
    users = _seed_group(
        prefix="bench_patient",
        patients=patients,
        days=days,
        clinics=clinics,
        therapist=therapists["all"],
        evaluate=evaluate,
        rng=rng,
        counts=counts,
    )
    CareTeamMember.objects.bulk_create(
        CareTeamMember(patient=user, therapist=therapists["small"]) for user in users[:small]
    )
    long_users = _seed_group(
        prefix="bench_long",
        patients=long_patients,
        days=long_days,
        clinics=clinics,
        therapist=therapists["long"],
        evaluate=min(evaluate, long_patients),
        rng=rng,
        counts=counts,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "checkins": counts["checkins"],
        "sessions": counts["sessions"],
        "stories": counts["stories"],
        "flags": Flag.objects.count(),
        "flags_unresolved_patients": Flag.objects.exclude(status="resolved")
        .values("patient")
        .distinct()
        .count(),
        "patients": [u.username for u in users],
        "long_patients": [u.username for u in long_users],
        "seed_seconds": round(time.monotonic() - started, 1),
    }


def _seed_group(
    *,
    prefix: str,
    patients: int,
    days: int,
    clinics: list,
    therapist,
    evaluate: int,
    rng: random.Random,
    counts: dict,
) -> list:
    from django.db import transaction

    from exercises.models import ProgrammeTemplate
    from tracker.models import (
        AssignmentItem,
        CareTeamMember,
        CheckIn,
        Flag,
        FlagEvidence,
        PatientProfile,
        ProgrammeAssignment,
        SessionLog,
        User,
    )
    from tracker.rules import SEVERITY
    from tracker.services.flags import flags_evaluate_for_checkin, flags_sweep

    today = datetime.now(TZ).date()
    first_day = today - timedelta(days=days - 1)
    templates = list(ProgrammeTemplate.objects.prefetch_related("items__exercise"))
    users = User.objects.bulk_create(
        User(username=f"{prefix}_{n:04d}", role=User.Role.PATIENT, password=NO_PASSWORD)
        for n in range(patients)
    )
    PatientProfile.objects.bulk_create(
        PatientProfile(
            user=user,
            clinic=clinics[1] if n % 7 == 0 else clinics[0],
            display_name=f"{prefix.split('_')[1].title()} {n:04d}",
            language=rng.choice(["zh-hans", "en"]),
            is_pregnant=rng.random() < 0.03,
            episode_started_on=first_day - timedelta(days=rng.randint(0, 30)),
        )
        for n, user in enumerate(users)
    )
    CareTeamMember.objects.bulk_create(
        CareTeamMember(patient=user, therapist=therapist) for user in users
    )

    kinds = counts["stories"]
    batch_checkins, batch_sessions = [], []
    for index, user in enumerate(users):
        kind, back, leg, numb = _story(rng, days)
        kinds[kind] = kinds.get(kind, 0) + 1
        # One to three programme versions; sessions follow the version in effect that day.
        versions = []
        changes = sorted(rng.sample(range(30, days - 14), k=rng.randint(0, 2)))
        starts = [0, *changes]
        for number, offset in enumerate(starts, start=1):
            template = rng.choice(templates)
            assignment = ProgrammeAssignment.objects.create(
                patient=user,
                template=template,
                version=number,
                is_current=number == len(starts),
                starts_on=first_day + timedelta(days=offset),
                created_by=therapist,
            )
            items = AssignmentItem.objects.bulk_create(
                AssignmentItem(
                    assignment=assignment,
                    exercise=item.exercise,
                    position=item.position,
                    sets=item.sets or item.exercise.sets,
                    reps=item.reps or item.exercise.reps,
                    minutes=item.minutes or item.exercise.minutes,
                    days_per_week=item.days_per_week,
                )
                for item in template.items.all()
            )
            versions.append((offset, items))
        rate = rng.uniform(0.75, 0.98)
        lapsed = rng.randint(4, 20) if rng.random() < 0.08 else 0
        adherence = rng.uniform(0.3, 0.95)
        side = rng.choice(["left", "right"])
        walks = rng.random() < 0.3
        walk0 = rng.uniform(20, 60)
        red_flag_day = days - rng.randint(1, 10) if rng.random() < 0.01 else None
        weak_day = days - rng.randint(1, 10) if rng.random() < 0.02 else None
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            t = offset / max(days - 1, 1)
            if offset < days - lapsed and rng.random() < rate:
                n = _score(numb(t), rng)
                leg_pain = _score(leg(t), rng)
                reach = 0 if n == 0 else min(len(SITES), 1 + n // 2)
                walking = (
                    max(0, round(walk0 * (1.2 - 0.6 * t) + rng.gauss(0, 4))) if walks else None
                )
                batch_checkins.append(
                    CheckIn(
                        patient=user,
                        date=day,
                        back_pain=_score(back(t), rng),
                        leg_pain=leg_pain,
                        numbness=n,
                        numbness_areas=[f"{side}_{site}" for site in SITES[:reach]],
                        can_walk_on_heels=not (weak_day and offset >= weak_day),
                        bowel_bladder_change=bool(red_flag_day and offset >= red_flag_day),
                        night_pain=leg_pain >= 7 and rng.random() < 0.5,
                        stopped_walking=walking is not None and walking < 10,
                        walking_minutes=walking,
                    )
                )
            items = next(items for start, items in reversed(versions) if start <= offset)
            for item in items:
                if rng.random() < adherence * item.days_per_week / 7:
                    at = datetime.combine(day, dtime(rng.randint(7, 21), rng.randint(0, 59)), TZ)
                    batch_sessions.append(
                        SessionLog(
                            patient=user,
                            item=item,
                            exercise=item.exercise,
                            performed_at=at,
                            performed_on=day,
                            sets=item.sets,
                            reps=item.reps,
                            minutes=item.minutes,
                            difficulty=rng.choice(["easy", "right", "right", "hard"]),
                        )
                    )
        if len(batch_sessions) > 20_000 or index == len(users) - 1:
            CheckIn.objects.bulk_create(batch_checkins, batch_size=5000)
            SessionLog.objects.bulk_create(batch_sessions, batch_size=5000)
            counts["checkins"] += len(batch_checkins)
            counts["sessions"] += len(batch_sessions)
            batch_checkins, batch_sessions = [], []
            print(f"  {prefix}: {index + 1}/{patients} patients", flush=True)

    # Flags: the product's evaluation over the whole history for a sample (as seed_demo does),
    # direct rows for about a third of the rest, then the missing-check-in sweep.
    profiles = {p.user_id: p for p in PatientProfile.objects.filter(user__in=users)}
    evaluated = rng.sample(users, k=min(evaluate, len(users)))
    for user in evaluated:
        with transaction.atomic():
            flags_evaluate_for_checkin(patient=user, profile=profiles[user.pk], on=first_day)
    evaluated_ids = {user.pk for user in evaluated}
    direct = []
    rules = list(SEVERITY)
    rules.remove("missing_checkins")
    for user in users:
        if user.pk in evaluated_ids or rng.random() > 0.33:
            continue
        for rule in rng.sample(rules, k=rng.choice([1, 1, 1, 2, 3])):
            last = today - timedelta(days=rng.randint(0, 30))
            span = rng.randint(1, 10)
            direct.append(
                Flag(
                    patient=user,
                    rule=rule,
                    severity=SEVERITY[rule],
                    status=rng.choice(["open", "open", "open", "acknowledged"]),
                    latest_evidence={"date": last.isoformat()},
                    opened_on=last - timedelta(days=span - 1),
                    last_evidence_on=last,
                )
            )
    Flag.objects.bulk_create(direct)
    # Their evidence: one row per flag and date (tracker.models.FlagEvidence).
    FlagEvidence.objects.bulk_create(
        FlagEvidence(flag=flag, on=day, data={"date": day.isoformat()})
        for flag in direct
        for day in (
            flag.opened_on + timedelta(days=k)
            for k in range((flag.last_evidence_on - flag.opened_on).days + 1)
        )
    )
    flags_sweep()
    return users
