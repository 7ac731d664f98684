"""Where a check-in's time goes, in-process (issue 16): cProfile over N requests of each kind sent
through Django's whole stack (middleware, DRF, the view, the services), the SQL statements each
issued (CaptureQueriesContext), and the CPU per request without the profiler.

    DATABASE_URL=postgres://.../rehab_x .venv/bin/python bench/api_profile.py [--requests 100]

Uses the database it is given (migrated, catalogue loaded); it adds bench patients to it.
Prints a per-step table (cumulative time of the functions that make each step, under cProfile,
process CPU time, inflated alike by the profiler; the shares are what to read) and writes
bench/results/api_profile.json.
"""

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

# step -> (file fragment, function name) pairs whose cumulative time is that step.
STEPS = {
    "authentication": [("tracker/auth_backends.py", "authenticate_credentials")],
    # On PostgreSQL the renewal is written by the token read itself (in "authentication").
    "token renewal": [("tracker/auth_backends.py", "_renew")],
    "parsing": [("rest_framework/request.py", "_parse")],
    # The hand check (tracker/serializers/fast_input.py) includes the serializer's is_valid
    # when it hands an input over; elsewhere is_valid is the step.
    "validation": [
        ("rest_framework/serializers.py", "is_valid"),
        ("tracker/serializers/fast_input.py", "_validated"),
    ],
    "storing": [
        ("tracker/services/checkins.py", "_store"),
        ("tracker/services/sessions.py", "create"),
    ],
    "profile lock + read": [
        ("tracker/services/checkins.py", "_profile_and_checkin_locked"),
        ("tracker/services/checkins.py", "patient_profile_for_update"),
    ],
    "rules": [("tracker/rules/__init__.py", "evaluate")],
    "flags (all, incl. rules)": [("tracker/services/flags.py", "flags_evaluate_for_checkin")],
    "flags read": [("tracker/services/flags.py", "_evaluation_start")],
    "adherence (programme + sessions)": [
        ("tracker/selectors/adherence.py", "adherence_rule_inputs"),
        ("tracker/selectors/adherence.py", "adherence_rule_facts"),
    ],
    "flag history read": [("tracker/services/flag_history.py", "patient_history")],
    "flag writes": [("tracker/services/flags.py", "_flags_save")],
    "urgent notifications": [("tracker/services/flag_notifications.py", "flags_notify_urgent")],
    # Digest items and the reminder bookkeeping run in a task enqueued on commit: in the request
    # only the enqueueing (Celery's delay, run by the commit); the task's own work runs inline
    # only when SIDE_WORK_INLINE is set.
    "side work enqueued on commit": [
        ("celery/app/task.py", "delay"),
        ("tracker/services/side_work.py", "_publish"),
    ],
    "digest (side work)": [("tracker/services/flag_notifications.py", "flags_digest_add")],
    "reminders skip (side work)": [("reminders/services/schedules.py", "checkin_recorded")],
    "reminders (session, side work)": [("reminders/services/schedules.py", "activity_recorded")],
    "audit": [("tracker/services/audit.py", "audit_record")],
    "idempotency record": [("tracker/idempotency.py", "_record")],
    "response serialization": [
        ("rest_framework/serializers.py", "data"),
        ("tracker/serializers/flags.py", "checkin_submitted_data"),
        ("tracker/serializers/records.py", "session_data"),
    ],
    "rendering": [("rest_framework/renderers.py", "render"), ("django/template/base.py", "render")],
    "translation": [("django/utils/translation/trans_real.py", "gettext")],
    "whole request": [("django/core/handlers/base.py", "get_response")],
}


def backend_cpu(connection) -> float:
    """CPU seconds so far of this connection's PostgreSQL backend (Linux /proc; 0 on SQLite)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def step_table(stats: pstats.Stats, requests: int) -> dict:
    table = {}
    for step, targets in STEPS.items():
        total = 0.0
        for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            for fragment, function in targets:
                if name == function and file.endswith(fragment):
                    total += ct
        table[step] = round(1000 * total / requests, 2)
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--days", type=int, nargs="+", default=[30, 365])
    parser.add_argument("--kinds", nargs="+", help="only these request kinds (and no Today page)")
    parser.add_argument("--pstats", help="a directory to write each kind's cProfile stats to")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import api_data
    from tracker.models import AssignmentItem
    from tracker.services.accounts import therapist_create

    settings.ALLOWED_HOSTS = ["*"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Bench patients sign in with tokens: their passwords need no costly hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    run = uuid.uuid4().hex[:6]
    therapist, _ = therapist_create(
        username=f"prof_t_{run}", password="bench-" + "x" * 16, clinic_name=f"Profile {run}"
    )
    report: dict = {"requests": args.requests}
    for days in args.days:
        users = api_data.seed(
            therapist=therapist, count=args.requests + 5, days=days, prefix=f"p{run}d{days}_"
        )
        tokens = [api_data.token(u) for u in users]
        today = api_data.local_today()
        rng = random.Random(1)
        items = {
            u.pk: str(
                AssignmentItem.objects.filter(assignment__patient=u).values_list(
                    "public_id", flat=True
                )[0]
            )
            for u in users
        }

        def checkin(i: int, on, rng=rng, tokens=tokens) -> tuple:
            body = api_data.checkin_body(rng, on)
            return (
                "/api/v1/checkins/",
                body,
                {
                    "HTTP_AUTHORIZATION": f"Token {tokens[i]}",
                    "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4()),
                },
            )

        def session(i: int, _on, items=items, users=users, tokens=tokens) -> tuple:
            body = json.dumps({"item": items[users[i].pk], "sets": 2, "reps": 10})
            return (
                "/api/v1/sessions/",
                body,
                {
                    "HTTP_AUTHORIZATION": f"Token {tokens[i]}",
                    "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4()),
                },
            )

        kinds = {
            "checkin_today": (checkin, lambda _i, today=today: today),
            "checkin_backfill": (
                checkin,
                lambda _i, today=today, rng=rng: today - timedelta(days=rng.randint(1, 88)),
            ),
            "session_log": (session, lambda _i: None),
        }
        for kind, (build, when) in kinds.items():
            if args.kinds and kind not in args.kinds:
                continue
            client = Client()
            # warm-up on the spare patients
            for i in range(args.requests, args.requests + 5):
                path, body, headers = build(i, when(i) if kind != "checkin_today" else today)
                client.post(path, body, content_type="application/json", **headers)
            half = args.requests // 2
            # CPU without the profiler, queries counted
            queries, cpu = [], 0.0
            statuses: dict = {}
            backend_before = backend_cpu(connection)
            for i in range(half):
                path, body, headers = build(i, when(i))
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    started = time.process_time()
                    response = client.post(path, body, content_type="application/json", **headers)
                    cpu += time.process_time() - started
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                queries.append(len(captured.captured_queries))
                if i == 0:
                    sql = [q["sql"][:160] for q in captured.captured_queries]
            backend = backend_cpu(connection) - backend_before
            profiler = cProfile.Profile(time.process_time)
            for i in range(half, args.requests):
                path, body, headers = build(i, when(i))
                profiler.enable()
                client.post(path, body, content_type="application/json", **headers)
                profiler.disable()
            stats = pstats.Stats(profiler)
            if args.pstats:
                Path(args.pstats).mkdir(parents=True, exist_ok=True)
                stats.dump_stats(Path(args.pstats) / f"{kind}_{days}d.pstats")
            report[f"{kind}_{days}d"] = {
                "cpu_ms_per_request": round(1000 * cpu / half, 2),
                "postgres_cpu_ms_per_request": round(1000 * backend / half, 2),
                "queries_per_request": {
                    "min": min(queries),
                    "max": max(queries),
                    "mean": round(sum(queries) / len(queries), 1),
                },
                "statuses": statuses,
                "steps_ms_under_cprofile": step_table(stats, args.requests - half),
                "first_request_sql": sql,
            }
            print(kind, days, json.dumps(report[f"{kind}_{days}d"], indent=1, default=str))
        if args.kinds:
            continue
        # Today page (HTML, signed in by session)
        client = Client()
        client.force_login(users[0])
        for _ in range(5):
            client.get("/app/")
        cpu, page_queries = 0.0, 0
        for _ in range(20):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.process_time()
                response = client.get("/app/")
                cpu += time.process_time() - started
            page_queries += len(captured.captured_queries)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(20):
            client.get("/app/")
        profiler.disable()
        report[f"today_page_{days}d"] = {
            "status": response.status_code,
            "cpu_ms_per_request": round(1000 * cpu / 20, 2),
            "queries_per_request": page_queries / 20,
            "steps_ms_under_cprofile": step_table(pstats.Stats(profiler), 20),
        }
        print("today", days, json.dumps(report[f"today_page_{days}d"], indent=1))
    out = ROOT / "bench" / "results" / "api_profile.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
