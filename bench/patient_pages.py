"""What each of the patient's own pages costs, in-process (issue 16): worker CPU per request
(process_time) and SQL statements per page, for patients with a programme and a year of history.

    DATABASE_URL=postgres://.../rehab_x .venv/bin/python bench/patient_pages.py [--requests 100]
    ... bench/patient_pages.py --profile today       # and the top functions under cProfile

Uses the database it is given (migrated, catalogue loaded) with `DEBUG=false` settings; it adds
bench patients to it (bench/api_data.py). Every request goes through Django's whole stack
(middleware, session, the view, the template), each by a different patient in turn, each signed in
by a session. Writes bench/results/patient_pages.json.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("LOG_LEVEL", "ERROR")

GUIDE = "glute_bridge"  # in the bench patients' programme
PAGES = {
    "today": "/app/",
    "progress": "/app/progress/",
    "progress_90": "/app/progress/?range=90",
    "checkin_form": "/app/checkin/",
    "checkin_thanks": "/app/checkin/thanks/",
    "psfs": "/app/psfs/",
    "messages": "/app/messages/",
    "reminders": "/app/reminders/",
    "welcome": "/app/welcome/",
    "guides": "/app/guides/",
    "guide": "/app/guides/{guide}/",
    "player": "/app/guides/{guide}/play/",
    "offline": "/app/offline/",
}


# step -> (file fragment, function name) pairs whose cumulative time (under cProfile) is that
# step; the steps overlap (SQL and translation run inside the others).
STEPS = {
    "session": [("django/contrib/sessions/backends/db.py", "load")],
    "user": [("django/contrib/auth/__init__.py", "get_user")],
    "patient profile": [("tracker/selectors/patient_app/common.py", "patient_profile_for")],
    "view (reads + rendering)": [("tracker/views/app/common.py", "wrapper")],
    "reads (selectors)": [("tracker/selectors/patient_app/", "*")],
    "emergency screen": [("tracker/selectors/patient_app/emergency.py", "emergency_screen")],
    "rendering": [("django/template/backends/django.py", "render")],
    "unread count (in rendering)": [("tracker/selectors/messages.py", "messages_unread_count")],
    "translation": [
        ("django/utils/translation/trans_real.py", "gettext"),
        ("django/utils/translation/trans_real.py", "ngettext"),
    ],
    "url reversal": [("django/urls/base.py", "reverse")],
    "SQL building (ORM)": [("django/db/models/sql/compiler.py", "as_sql")],
    "SQL execution": [("django/db/backends/utils.py", "_execute_with_wrappers")],
    "gzip": [("django/middleware/gzip.py", "process_response")],
    "whole request": [("django/core/handlers/base.py", "get_response")],
}


def step_table(stats: pstats.Stats, requests: int) -> dict:
    """ms per request of each step; "*" counts the outermost calls into a module's functions."""
    table = {}
    for step, targets in STEPS.items():
        total = 0.0
        for (file, _line, name), (_cc, _nc, _tt, ct, callers) in stats.stats.items():
            for fragment, function in targets:
                if function == "*":
                    if fragment in file and not any(fragment in c[0] for c in callers):
                        total += ct
                elif name == function and file.endswith(fragment):
                    total += ct
        table[step] = round(1000 * total / requests, 2)
    return table


def _load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def _measure(clients: list, path: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu, queries, statuses, size = 0.0, [], {}, 0
    for i in range(requests):
        client = clients[i % len(clients)]
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
            cpu += time.process_time() - started
        queries.append(len(captured.captured_queries))
        if i == 0:
            sql = [q["sql"][:200] for q in captured.captured_queries]
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        size = len(response.content)
    return {
        "cpu_ms_per_request": round(1000 * cpu / requests, 2),
        "queries_per_request": {"min": min(queries), "max": max(queries)},
        "statuses": statuses,
        "gzipped_bytes": size,
        "first_request_sql": sql,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100, help="per page")
    parser.add_argument("--patients", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--pages", nargs="+", default=list(PAGES))
    parser.add_argument("--sql", action="store_true", help="print each page's SQL")
    parser.add_argument(
        "--profile", nargs="*", default=[], help="pages to run under cProfile: a per-step table"
    )
    parser.add_argument("--top", action="store_true", help="and the top functions under cProfile")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from bench import api_data
    from tracker.services.accounts import therapist_create

    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    run = uuid.uuid4().hex[:6]
    therapist, _ = therapist_create(
        username=f"pages_t_{run}", password="bench-" + "x" * 16, clinic_name=f"Pages {run}"
    )
    users = api_data.seed(
        therapist=therapist, count=args.patients, days=args.days, prefix=f"pp{run}_"
    )
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    load_before = _load_average()
    report: dict = {"requests": args.requests, "patients": args.patients, "days": args.days}
    for name in args.pages:
        path = PAGES[name].format(guide=GUIDE)
        for client in clients:  # warm-up: templates compiled, caches filled
            client.get(path)
        report[name] = _measure(clients, path, args.requests)
        shown = {k: v for k, v in report[name].items() if k != "first_request_sql"}
        print(f"{name:15} {json.dumps(shown)}", flush=True)
        if args.sql:
            print("\n".join(f"    {q}" for q in report[name]["first_request_sql"]))
        if name in args.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for i in range(args.requests):
                clients[i % len(clients)].get(path)
            profiler.disable()
            stats = pstats.Stats(profiler)
            report[name]["steps_ms_under_cprofile"] = steps = step_table(stats, args.requests)
            print(f"{name}: ms per request under cProfile, by step (steps overlap)")
            for step, ms in steps.items():
                print(f"    {step:30} {ms:8.2f}")
            if args.top:
                stats.sort_stats("cumulative").print_stats(45)
                stats.sort_stats("tottime").print_stats(25)
    report["load_average_1min"] = [load_before, _load_average()]
    print("load average (1 min) before/after:", report["load_average_1min"])
    out = ROOT / "bench" / "results" / "patient_pages.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
