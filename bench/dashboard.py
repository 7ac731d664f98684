"""The therapist dashboard and the worsening rules at size (issue 4, "Performance"). Run by hand,
not by the tests (PostgreSQL on 127.0.0.1:5432, trust auth):

    .venv/bin/python bench/dashboard.py [--patients 500] [--days 365] [--runs 40] [--keep-db]

It creates its own database (rehab_bench_dashboard, marked as the bench's with a comment; it
refuses to touch a database of that name it did not make), migrates it, and gives one therapist
--patients patients with --days days of check-ins and exercise sessions each (bulk inserts; varied
stories: improving, stuck, worsening, numbness rising while pain falls, red flags, lapsed). Flags
come from the product's own flags_evaluate_for_checkin over the whole history for --evaluate
patients, direct Flag rows for about a third of the others, and flags_sweep. Then, in this
process with DEBUG off and persistent connections, Django's test Client times the caseload page
and patient pages --runs times each (p50/p95, queries per page), and the rules are timed for one
new check-in with 30, 365 and 1000 days of history: tracker.rules.evaluate alone (in memory) and
the whole flags_evaluate_for_checkin (reads, rules, writes). Prints the figures, writes
bench/results/dashboard.json and drops the database (unless --keep-db).

Targets (issue 4): caseload < 300 ms, patient page < 150 ms, rules for one check-in < 5 ms and
independent of history length.
"""

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DB_MARK = "created by bench/dashboard.py"
TZ = ZoneInfo("Asia/Shanghai")
SITES = ["buttock", "back_of_thigh", "outer_calf", "top_of_foot", "sole", "toes"]
# Django's mark of an unusable password: nobody signs in; the Client uses force_login.
NO_PASSWORD = "!"  # noqa: S105
TARGET_MS = {"caseload": 300, "patient_page": 150, "rules_per_checkin": 5}


# --- helpers --------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def summary(samples_ms: list[float]) -> dict:
    return {
        "runs": len(samples_ms),
        "p50_ms": round(percentile(samples_ms, 0.5), 3),
        "p95_ms": round(percentile(samples_ms, 0.95), 3),
        "min_ms": round(min(samples_ms), 3),
        "max_ms": round(max(samples_ms), 3),
        "mean_ms": round(statistics.fmean(samples_ms), 3),
    }


def admin_connect(admin_url: str):
    import psycopg

    return psycopg.connect(admin_url, autocommit=True, connect_timeout=10)


def _mark(connection, name: str) -> str | None:
    row = connection.execute(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database"
        " WHERE datname = %s",
        [name],
    ).fetchone()
    return None if row is None else row[0]


def database_create(admin_url: str, name: str) -> None:
    from psycopg import sql

    with admin_connect(admin_url) as connection:
        mark = _mark(connection, name)
        if mark is not None:
            if mark != DB_MARK:
                raise SystemExit(f"Database {name!r} exists and was not made by this script.")
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(DB_MARK)
            )
        )


def database_drop(admin_url: str, name: str) -> None:
    from psycopg import sql

    with admin_connect(admin_url) as connection:
        if _mark(connection, name) == DB_MARK:
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )


# --- data -------------------------------------------------------------------------------------


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


def seed(*, patients: int, days: int, evaluate: int, rng: random.Random) -> dict:
    from django.db import connection, transaction

    from exercises.models import ProgrammeTemplate
    from tracker.models import (
        AssignmentItem,
        CareTeamMember,
        CheckIn,
        Clinic,
        Flag,
        FlagEvidence,
        PatientProfile,
        ProgrammeAssignment,
        SessionLog,
        User,
    )
    from tracker.rules import SEVERITY
    from tracker.services.flags import flags_evaluate_for_checkin, flags_sweep

    started = time.monotonic()
    today = datetime.now(TZ).date()
    first_day = today - timedelta(days=days - 1)
    clinics = [Clinic.objects.create(name=f"Bench clinic {n}") for n in range(2)]
    therapist = User.objects.create(
        username="bench_therapist",
        role=User.Role.THERAPIST,
        clinic=clinics[0],
        password=NO_PASSWORD,
    )
    templates = list(ProgrammeTemplate.objects.prefetch_related("items__exercise"))
    users = User.objects.bulk_create(
        User(username=f"bench_patient_{n:04d}", role=User.Role.PATIENT, password=NO_PASSWORD)
        for n in range(patients)
    )
    PatientProfile.objects.bulk_create(
        PatientProfile(
            user=user,
            clinic=clinics[1] if n % 7 == 0 else clinics[0],
            display_name=f"Patient {n:04d}",
            language=rng.choice(["zh-hans", "en"]),
            is_pregnant=rng.random() < 0.03,
            episode_started_on=first_day - timedelta(days=rng.randint(0, 30)),
        )
        for n, user in enumerate(users)
    )
    CareTeamMember.objects.bulk_create(
        CareTeamMember(patient=user, therapist=therapist) for user in users
    )

    kinds: dict[str, int] = {}
    checkin_rows = session_rows = 0
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
            checkin_rows += len(batch_checkins)
            session_rows += len(batch_sessions)
            batch_checkins, batch_sessions = [], []
            print(f"  {index + 1}/{patients} patients", flush=True)

    # Flags: the product's evaluation over the whole history for a sample (as seed_demo does),
    # direct rows for about a third of the rest, then the missing-check-in sweep.
    profiles = {p.user_id: p for p in PatientProfile.objects.filter(user__in=users)}
    evaluated = rng.sample(users, k=min(evaluate, len(users)))
    evaluate_started = time.monotonic()
    for user in evaluated:
        with transaction.atomic():
            flags_evaluate_for_checkin(patient=user, profile=profiles[user.pk], on=first_day)
    evaluate_seconds = time.monotonic() - evaluate_started
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
    FlagEvidence.objects.bulk_create(
        FlagEvidence(flag=flag, on=on, data={"date": on.isoformat()})
        for flag in direct
        for on in (
            flag.opened_on + timedelta(days=k)
            for k in range((flag.last_evidence_on - flag.opened_on).days + 1)
        )
    )
    flags_sweep()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "therapist": therapist,
        "patients": users,
        "checkins": checkin_rows,
        "sessions": session_rows,
        "flags": Flag.objects.count(),
        "flags_unresolved_patients": Flag.objects.exclude(status="resolved")
        .values("patient")
        .distinct()
        .count(),
        "stories": kinds,
        "evaluated_patients": len(evaluated),
        "evaluate_whole_history_s_per_patient": round(evaluate_seconds / max(len(evaluated), 1), 3),
        "seed_seconds": round(time.monotonic() - started, 1),
    }


# --- timing -----------------------------------------------------------------------------------


def time_pages(client, urls: list[str], runs: int) -> tuple[dict, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:3]:
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(urls[0])
    # Counted now: the captured list is read from the connection's log, which the next
    # request clears.
    queries = len(captured)
    samples = []
    for n in range(runs):
        url = urls[n % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return summary(samples), queries, len(response.content)


def _history(days: int, rng: random.Random):
    from tracker import rules

    today = date(2026, 3, 10)
    return rules.History(
        [
            rules.Day(
                on=today - timedelta(days=days - 1 - n),
                back_pain=rng.randint(2, 7),
                leg_pain=rng.randint(2, 8),
                numbness=rng.randint(0, 6),
                numbness_areas=frozenset({"left_buttock", "left_back_of_thigh"}),
                night_pain=rng.random() < 0.2,
                walking_minutes=rng.randint(15, 45),
            )
            for n in range(days)
        ]
    )


def time_rules(rng: random.Random, runs: int) -> dict:
    from tracker import rules

    out = {}
    for days in (30, 365, 1000):
        history = _history(days, rng)
        t = history.dates[-1]
        facts = rules.Facts(
            programme_started_on=history.dates[0],
            prescribed_last_7=21,
            done_last_7=12,
            done_previous_7=15,
        )
        for _ in range(50):
            rules.evaluate(history, t, facts)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            rules.evaluate(history, t, facts)
            samples.append((time.perf_counter() - started) * 1000)
        out[str(days)] = summary(samples)
    return out


def time_flag_evaluation(therapist, rng: random.Random, runs: int) -> dict:
    from django.db import transaction

    from tracker.models import CheckIn, PatientProfile, User
    from tracker.services.assignments import assignment_change
    from tracker.services.flags import flags_evaluate_for_checkin

    today = datetime.now(TZ).date()
    out = {}
    for days in (30, 365, 1000):
        user = User.objects.create(username=f"bench_history_{days}", password=NO_PASSWORD)
        profile = PatientProfile.objects.create(user=user, display_name=f"History {days}")
        assignment_change(patient=user, therapist=therapist, template_key="disc_recovery")
        history = _history(days, rng)
        shift = today - history.dates[-1]
        CheckIn.objects.bulk_create(
            CheckIn(
                patient=user,
                date=day.on + shift,
                back_pain=day.back_pain,
                leg_pain=day.leg_pain,
                numbness=day.numbness,
                numbness_areas=sorted(day.numbness_areas),
                night_pain=day.night_pain,
                walking_minutes=day.walking_minutes,
            )
            for day in history.days
        )
        # The first call opens whatever flags the history calls for; the timed ones are what a
        # new check-in costs in steady state: read the history, run every rule, update flags.
        with transaction.atomic():
            flags_evaluate_for_checkin(patient=user, profile=profile, on=today)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            with transaction.atomic():
                flags_evaluate_for_checkin(patient=user, profile=profile, on=today)
            samples.append((time.perf_counter() - started) * 1000)
        out[str(days)] = summary(samples)
    return out


def line(name: str, figures: dict, target: float | None = None) -> str:
    verdict = ""
    if target is not None:
        verdict = "  ok" if figures["p95_ms"] < target else f"  OVER the {target} ms target"
    return (
        f"  {name:<40} p50 {figures['p50_ms']:>8.2f} ms   p95 {figures['p95_ms']:>8.2f} ms"
        f"   ({figures['runs']} runs){verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=500, help="(500)")
    parser.add_argument("--days", type=int, default=365, help="of history per patient (365)")
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page (40)")
    parser.add_argument(
        "--evaluate", type=int, default=40, help="patients whose flags the rules compute (40)"
    )
    parser.add_argument("--seed", type=int, default=20260310)
    parser.add_argument("--keep-db", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a maintenance database to create the bench database from",
    )
    parser.add_argument("--db-name", default="rehab_bench_dashboard")
    args = parser.parse_args()
    if args.db_name in {"rehab", "rehab_bench", "rehab_bench_api"}:
        parser.error(f"{args.db_name} belongs to someone else")
    if urlsplit(args.postgres).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--postgres must be on this machine")
    if not 1 <= args.patients <= 5000 or not 30 <= args.days <= 1100:
        parser.error("--patients 1..5000, --days 30..1100")

    rng = random.Random(args.seed)
    database_url = urlunsplit(urlsplit(args.postgres)._replace(path=f"/{args.db_name}"))
    os.environ.update(
        {
            "APP_ENV": "development",
            "DEBUG": "false",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "60",
            "ALLOWED_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "VAR_DIR": str(ROOT / "var" / "bench_dashboard"),
        }
    )
    for key in ("REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL"):
        os.environ.pop(key, None)
    sys.path.insert(0, str(ROOT))
    print(f"database {args.db_name}: creating and migrating", flush=True)
    database_create(args.postgres, args.db_name)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", verbosity=0)
        print(
            f"seeding {args.patients} patients x {args.days} days of check-ins and sessions",
            flush=True,
        )
        data = seed(patients=args.patients, days=args.days, evaluate=args.evaluate, rng=rng)
        print(
            f"  {data['checkins']} check-ins, {data['sessions']} sessions, {data['flags']} flags"
            f" ({data['flags_unresolved_patients']} patients flagged) in {data['seed_seconds']}s",
            flush=True,
        )
        therapist = data["therapist"]
        client = Client()
        client.force_login(therapist)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"

        print("timing pages", flush=True)
        pages = {}
        caseload, caseload_queries, caseload_bytes = time_pages(client, ["/therapist/"], args.runs)
        pages["caseload"] = {**caseload, "queries": caseload_queries, "bytes": caseload_bytes}
        flagged, flagged_queries, _ = time_pages(client, ["/therapist/?flagged=on"], args.runs)
        pages["caseload_flagged_only"] = {**flagged, "queries": flagged_queries}
        last, last_queries, _ = time_pages(client, ["/therapist/?page=10"], args.runs)
        pages["caseload_page_10"] = {**last, "queries": last_queries}
        sample = rng.sample(data["patients"], k=min(10, len(data["patients"])))
        for days in (365, 90, 30):
            urls = [f"/therapist/patients/{user.public_id}/?range={days}" for user in sample]
            figures, queries, size = time_pages(client, urls, args.runs)
            pages[f"patient_page_{days}_days"] = {**figures, "queries": queries, "bytes": size}

        print("timing the rules for one new check-in", flush=True)
        rules_only = time_rules(rng, runs=max(args.runs * 10, 200))
        whole = time_flag_evaluation(therapist, rng, runs=max(args.runs, 30))
        server_version = connection.cursor().connection.info.server_version
    finally:
        if not args.keep_db:
            from django.apps import apps

            if apps.ready:
                from django.db import connections

                connections.close_all()
            database_drop(args.postgres, args.db_name)

    print()
    print(f"Dashboard, {args.patients} patients x {args.days} days (PostgreSQL {server_version})")
    print(
        line("caseload (page 1 of 50)", pages["caseload"], TARGET_MS["caseload"])
        + f"  {pages['caseload']['queries']} queries"
    )
    print(line("caseload, flagged only", pages["caseload_flagged_only"], TARGET_MS["caseload"]))
    print(line("caseload, page 10", pages["caseload_page_10"], TARGET_MS["caseload"]))
    for days in (365, 90, 30):
        figures = pages[f"patient_page_{days}_days"]
        print(
            line(f"patient page, {days} days", figures, TARGET_MS["patient_page"])
            + f"  {figures['queries']} queries"
        )
    print("Rules for one new check-in")
    for days, figures in rules_only.items():
        print(line(f"rules.evaluate, {days} days", figures, TARGET_MS["rules_per_checkin"]))
    for days, figures in whole.items():
        print(
            line(
                f"flags_evaluate_for_checkin, {days} days",
                figures,
                TARGET_MS["rules_per_checkin"],
            )
        )
    print(
        "  whole-history evaluation (seeding, ~365 dates):"
        f" {data['evaluate_whole_history_s_per_patient']} s a patient"
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "postgres": server_version,
        },
        "config": {
            "patients": args.patients,
            "days": args.days,
            "runs": args.runs,
            "evaluated_patients": data["evaluated_patients"],
            "seed": args.seed,
        },
        "data": {
            key: data[key]
            for key in (
                "checkins",
                "sessions",
                "flags",
                "flags_unresolved_patients",
                "stories",
                "seed_seconds",
                "evaluate_whole_history_s_per_patient",
            )
        },
        "targets_ms": TARGET_MS,
        "pages": pages,
        "rules_evaluate": rules_only,
        "flags_evaluate_for_checkin": whole,
    }
    (RESULTS / "dashboard.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {RESULTS / 'dashboard.json'}")


if __name__ == "__main__":
    main()
