"""The patient's request paths under load, against a bare Django JSON view served by the same
gunicorn in the same run (issue 16). Run by hand, not by the tests (PostgreSQL on 127.0.0.1:5432,
trust auth; Debian's `wrk`):

    python bench/api_load.py [--patients 300] [--seconds 20] [--connections 10] [--keep-db]

It creates its own database (rehab_bench_api, marked as the bench's with a comment; it refuses to
touch a database of that name it did not create), migrates it, loads the catalogue and seeds,
through the product's services (bench/api_data.py), --patients patients with a programme and 30
days of history and as many with 365 days, whose flags have gathered evidence all along. It
starts gunicorn (2 sync workers, as in issue 16's independent run; docker-compose.yml runs 3;
DEBUG off, DB_CONN_MAX_AGE=600, settings bench.api_load_settings: the product's plus /bench/bare/
and a statement counter) and runs wrk (bench/api_load.lua) phase by phase; requests/s are
counted on the server's side (bench/api_load_counter.py):

  bare               GET /bench/bare/ (JsonResponse behind the same middleware), first and last
  checkin_today_30   POST /api/v1/checkins/ for today, one per 30-day patient (what patients do),
                     in --rounds rounds with the round taken back in between (api_data.today_undo)
                     so that every request is the patient's first check-in of the day
  checkin_today_365  the same for the 365-day patients
  checkin_backfill   POST /api/v1/checkins/ for random past dates (1-88 days back) of random
                     365-day patients (some dates missing, most replaced)
  session_log        POST /api/v1/sessions/ of a programme item, random 365-day patients
  today_page         GET /app/ (HTML, signed-in session) of random 365-day patients

For each: requests/s and statuses as the server counted them, its share of bare's (the mean of
the two bare phases), p50/p95/p99, the workers' CPU per request (utime+stime of the worker
processes from /proc, before and after), the CPU of the PostgreSQL backends serving them, and
the SQL statements Django executed per request
(BEGIN/COMMIT not included), with the 1-minute load average before and after. Writes
bench/results/api_load.json; stops gunicorn and drops the
database (unless --keep-db). Exit status 1 if a request failed.
"""

import argparse
import contextlib
import functools
import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "logs"
LUA = ROOT / "bench" / "api_load.lua"
DB_MARK = "created by bench/api_load.py"
COUNTS_DIR = ROOT / "var" / "bench_api_load" / "statements"
BARE_PATH = "/bench/bare/"
CHECKIN_PATH = "/api/v1/checkins/"
SESSION_PATH = "/api/v1/sessions/"
TODAY_PATH = "/app/"
# Past dates for backfills: inside the 90-day window whatever the patients' local date.
BACKFILL_DAYS = (1, 88)
PASSWORD = secrets.token_urlsafe(16)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Database, data and gunicorn -----------------------------------------------------------------


def admin_connect(admin_url: str):
    import psycopg

    return psycopg.connect(admin_url, autocommit=True, connect_timeout=10)


def _mark(connection, name: str) -> str | None:
    """The database's comment ('' without one), None when there is no such database."""
    row = connection.execute(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database"
        " WHERE datname = %s",
        [name],
    ).fetchone()
    return None if row is None else row[0]


def _drop(connection, name: str) -> None:
    from psycopg import sql

    connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def database_create(admin_url: str, name: str) -> None:
    """A fresh database; one of that name survives only if an earlier run (--keep-db) made it."""
    from psycopg import sql

    with admin_connect(admin_url) as connection:
        mark = _mark(connection, name)
        if mark is not None:
            if mark != DB_MARK:
                raise SystemExit(f"Database {name!r} exists and was not made by this script.")
            _drop(connection, name)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(DB_MARK)
            )
        )


def database_drop(admin_url: str, name: str) -> None:
    with admin_connect(admin_url) as connection:
        if _mark(connection, name) == DB_MARK:
            _drop(connection, name)


def server_env(database_url: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # The bench's own services only: no shared Redis cache or broker from the caller.
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY", "EMAIL_URL"}
    }
    env.update(
        {
            "APP_ENV": "development",
            "DEBUG": "false",
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DB_CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "bench.api_load_settings",
            "VAR_DIR": str(ROOT / "var" / "bench_api_load"),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


class Gunicorn:
    def __init__(self, env: dict, workers: int, worker_class: str, threads: int) -> None:
        self.port = free_port()
        self.log = LOGS / "api_load-gunicorn.log"
        self.log.write_text("")  # this run's log only
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "tracker.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={workers}",
            f"--worker-class={worker_class}",
            f"--threads={threads}",
            f"--chdir={ROOT}",
            "--timeout=30",
            "--graceful-timeout=10",
            "--no-control-socket",
            f"--error-logfile={self.log}",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        import http.client

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                connection.request("GET", BARE_PATH)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {timeout}s; see {self.log}")

    def workers_cpu_seconds(self) -> float:
        """User + system CPU of the workers so far (Linux /proc)."""
        pid = self.process.pid
        total = 0
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM (graceful: workers finish their request), SIGKILL its own group if stuck."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


# --- Seeding and the request lists -------------------------------------------------------------


def seed(patients: int) -> dict:
    """The therapist, the 30- and 365-day patients, a token and a signed-in session each."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from bench import api_data
    from tracker.models import AssignmentItem
    from tracker.services.accounts import therapist_create

    # Nobody signs in with a password here: tokens and sessions are made directly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    therapist, _ = therapist_create(
        username="bench_therapist", password=PASSWORD, clinic_name="Bench clinic"
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    groups = {}
    for days in (30, 365):
        users = api_data.seed(
            therapist=therapist, count=patients, days=days, prefix=f"bench_{days}_"
        )
        rows = []
        for user in users:
            session = store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            item = (
                AssignmentItem.objects.filter(assignment__patient=user)
                .values_list("public_id", flat=True)
                .first()
            )
            rows.append(
                {
                    "user_id": user.pk,
                    "token": api_data.token(user),
                    "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                    "item": str(item),
                }
            )
        groups[days] = rows
    return groups


def request_lists(groups: dict, rng: random.Random, today, repeat: int) -> dict[str, list[str]]:
    """Each phase's requests, one tab-separated line each (bench/api_load.lua)."""
    from bench import api_data

    def post(path: str, patient: dict, body: str) -> str:
        return f"POST\t{path}\tAuthorization: Token {patient['token']}\t{body}"

    old = groups[365]
    lists = {
        "bare": [f"GET\t{BARE_PATH}\t\t"],
        "checkin_today_30": [
            post(CHECKIN_PATH, p, api_data.checkin_body(rng, today)) for p in groups[30]
        ],
        "checkin_today_365": [
            post(CHECKIN_PATH, p, api_data.checkin_body(rng, today)) for p in old
        ],
        "checkin_backfill": [
            post(
                CHECKIN_PATH,
                rng.choice(old),
                api_data.checkin_body(rng, today - timedelta(days=rng.randint(*BACKFILL_DAYS))),
            )
            for _ in range(repeat * len(old))
        ],
        "session_log": [
            post(SESSION_PATH, p, json.dumps({"item": p["item"], "sets": 2, "reps": 10}))
            for p in (rng.choice(old) for _ in range(repeat * len(old)))
        ],
        "today_page": [
            f"GET\t{TODAY_PATH}\tCookie: {p['cookie']}\t"
            for p in (rng.choice(old) for _ in range(repeat * len(old)))
        ],
    }
    return lists


def statements_so_far() -> tuple[int, int, float, dict[str, int]]:
    """(requests, SQL statements, when the last ended, requests by status) as the workers
    counted them (bench/api_load_counter.py)."""
    requests = statements = 0
    last = 0.0
    statuses: dict[str, int] = {}
    for path in COUNTS_DIR.glob("*"):
        with contextlib.suppress(ValueError, OSError):
            r, s, at, by_status = path.read_text().split()
            requests, statements, last = (
                requests + int(r),
                statements + int(s),
                max(last, float(at)),
            )
            for status, n in json.loads(by_status).items():
                statuses[status] = statuses.get(status, 0) + n
    return requests, statements, last, statuses


def drained() -> tuple[int, int, float, dict[str, int]]:
    """The counters once the workers have answered everything sent (unchanged for 2 s)."""
    before = statements_so_far()
    while True:
        time.sleep(2)
        now = statements_so_far()
        if now[0] == before[0]:
            return now
        before = now


def run_wrk(
    port: int, lines: list[str], *, seconds: float, connections: int, mode: str = "cycle"
) -> dict:
    threads = min(2, connections)
    path = RESULTS / "logs" / "wrk-requests.tsv"
    path.write_text("\n".join(lines) + "\n")
    command = [
        shutil.which("wrk") or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout=30s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        str(path),
        str(threads),
        mode,
    ]
    children = os.times()
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    wrk_cpu = (os.times().children_user - children.children_user) + (
        os.times().children_system - children.children_system
    )
    result = json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    result["wrk_cpu_s"] = round(wrk_cpu, 2)
    return result


def postgres_backends(args) -> list[int]:
    """The PostgreSQL backends serving the bench database (the workers' connections)."""
    with admin_connect(args.postgres) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [args.db_name]
        ).fetchall()
    return [row[0] for row in rows]


def measure(gunicorn, port: int, lines: list[str], args, mode: str) -> dict:
    """One wrk run over `lines`, as the server counted it."""
    from bench.dashboard import cpu_seconds

    counted = drained()
    cpu = gunicorn.workers_cpu_seconds()
    backends = postgres_backends(args)
    backends_cpu = {pid: cpu_seconds(pid) for pid in backends}
    began = time.time()
    raw = run_wrk(port, lines, seconds=args.seconds, connections=args.connections, mode=mode)
    after = drained()
    # Backends opened during the run started from 0 CPU; one that has exited since is not
    # counted (DB_CONN_MAX_AGE=600 keeps the workers' connections for the whole run).
    backends = sorted(set(backends) | set(postgres_backends(args)))
    postgres_cpu = sum(max(cpu_seconds(pid) - backends_cpu.get(pid, 0.0), 0.0) for pid in backends)
    # The server's count by status (wrk's own misses what a stopping thread leaves in flight).
    statuses = {
        status: count - counted[3].get(status, 0)
        for status, count in sorted(after[3].items())
        if count != counted[3].get(status, 0)
    }
    return {
        "requests": after[0] - counted[0],
        "statements": after[1] - counted[1],
        # Server side: from the run's start to its last answer (wrk's own clock runs to -d
        # even when every thread has stopped early).
        "seconds": max(after[2] - began, 1e-6),
        "cpu": gunicorn.workers_cpu_seconds() - cpu,
        "postgres_cpu": postgres_cpu,
        "statuses": statuses,
        "raw": raw,
    }


def phase(gunicorn, port: int, name: str, lines: list[str], args, mode: str, undo=None) -> dict:
    """A phase: one wrk run, or for today's check-ins `args.rounds` runs of the same list with
    `undo` between them (each patient's first check-in of the day every time), added up."""
    load = round(os.getloadavg()[0], 2)
    runs = []
    for number in range(args.rounds if undo is not None else 1):
        if number:
            undo()
        runs.append(measure(gunicorn, port, lines, args, mode))
    n = sum(run["requests"] for run in runs)
    seconds = sum(run["seconds"] for run in runs)
    statuses: dict[str, int] = {}
    for run in runs:
        for status, count in run["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    raws = [run["raw"] for run in runs]
    failed = sum(v for k, v in statuses.items() if not k.startswith("2"))
    failed += sum(
        raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
        for raw in raws
    )

    def worst(key: str) -> float:  # of the runs' percentiles
        return round(max(raw[key] for raw in raws) / 1000, 2)

    result = {
        "requests": n,
        "runs": len(runs),
        "seconds": round(seconds, 2),
        "requests_per_s": round(n / seconds, 1),
        "wrk_requests": sum(raw["requests"] for raw in raws),
        "p50_ms": worst("p50_us"),
        "p95_ms": worst("p95_us"),
        "p99_ms": worst("p99_us"),
        "statuses": statuses,
        "failed": failed,
        "worker_cpu_ms_per_request": round(1000 * sum(r["cpu"] for r in runs) / max(n, 1), 2),
        "postgres_cpu_ms_per_request": round(
            1000 * sum(r["postgres_cpu"] for r in runs) / max(n, 1), 2
        ),
        "sql_statements_per_request": round(sum(r["statements"] for r in runs) / max(n, 1), 2),
        "wrk_cpu_s": round(sum(raw["wrk_cpu_s"] for raw in raws), 2),
        "load_1m": {"before": load, "after": round(os.getloadavg()[0], 2)},
    }
    print(
        f"{name:<18} {result['requests_per_s']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
        f"p95 {result['p95_ms']:7.1f} ms  CPU {result['worker_cpu_ms_per_request']:6.2f} ms/req "
        f"(+{result['postgres_cpu_ms_per_request']:.2f} PostgreSQL)  "
        f"SQL {result['sql_statements_per_request']:5.2f}/req  {n} answered {statuses} in "
        f"{seconds:.1f} s  load {load}",
        flush=True,
    )
    return result


# --- Main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=300, help="of each history length")
    parser.add_argument("--seconds", type=float, default=20, help="longest phase (20)")
    parser.add_argument("--connections", type=int, default=10, help="wrk connections (10)")
    parser.add_argument(
        "--rounds", type=int, default=4, help="runs of each today's check-in phase (4)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--keep-db", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a maintenance database to create the bench database from",
    )
    parser.add_argument("--db-name", default="rehab_bench_api")
    args = parser.parse_args()
    if urlsplit(args.postgres).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--postgres must be on this machine")
    if shutil.which("wrk") is None:
        parser.error("needs wrk (apt-get install -y wrk)")

    LOGS.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(COUNTS_DIR, ignore_errors=True)
    COUNTS_DIR.mkdir(parents=True)
    started_at = datetime.now(UTC)
    database_url = urlunsplit(urlsplit(args.postgres)._replace(path=f"/{args.db_name}"))
    env = server_env(database_url)
    env["BENCH_STATEMENTS_DIR"] = str(COUNTS_DIR)
    print(f"database {args.db_name}: creating and migrating", flush=True)
    database_create(args.postgres, args.db_name)
    gunicorn = None
    results: dict = {}
    try:
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from bench import api_data

        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
        print(f"seeding {args.patients} patients with 30 days and as many with 365", flush=True)
        t0 = time.monotonic()
        groups = seed(args.patients)
        print(f"  done in {time.monotonic() - t0:.0f}s", flush=True)
        today = api_data.local_today()
        lists = request_lists(groups, random.Random(16), today, repeat=1)
        connections.close_all()

        gunicorn = Gunicorn(env, args.workers, "sync", 1)
        gunicorn.wait_ready()
        print(f"gunicorn on 127.0.0.1:{gunicorn.port}, {args.workers} sync workers", flush=True)
        # Warm-up: every path once per worker, on the bare view and the pages.
        warm = [*lists["bare"][:20], *lists["today_page"][:4]]
        run_wrk(gunicorn.port, warm, seconds=3, connections=2, mode="once")
        order = [
            "bare",
            "checkin_today_30",
            "checkin_today_365",
            "checkin_backfill",
            "session_log",
            "today_page",
        ]
        for name in order:
            undo = None
            if name.startswith("checkin_today"):
                ids = [p["user_id"] for p in groups[int(name.rsplit("_", 1)[1])]]
                snapshot = api_data.today_snapshot(ids)
                undo = functools.partial(api_data.today_undo, ids, today, snapshot)
            mode = "once" if undo is not None else "cycle"
            results[name] = phase(gunicorn, gunicorn.port, name, lists[name], args, mode, undo)
        results["bare_again"] = phase(
            gunicorn, gunicorn.port, "bare_again", lists["bare"], args, "cycle"
        )
        connections.close_all()
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        if not args.keep_db:
            from django.apps import apps

            if apps.ready:
                from django.db import connections

                connections.close_all()
            database_drop(args.postgres, args.db_name)

    bare = (results["bare"]["requests_per_s"] + results["bare_again"]["requests_per_s"]) / 2
    for result in results.values():
        result["share_of_bare"] = round(result["requests_per_s"] / bare, 4) if bare else None
    report = {
        "window": {
            "started": started_at.isoformat(timespec="seconds"),
            "ended": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        "setup": {
            "patients_per_history_length": args.patients,
            "connections": args.connections,
            "longest_phase_s": args.seconds,
            "checkin_today_rounds": args.rounds,
            "gunicorn": f"{args.workers} sync workers",
            "database": "PostgreSQL, CONN_MAX_AGE=600",
            "load_generator": "wrk (bench/api_load.lua)",
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "bare_requests_per_s_mean": round(bare, 1),
        "phases": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "api_load.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(f"{'phase':<18} {'req/s':>8} {'of bare':>8} {'CPU ms':>7} {'PG ms':>6} {'SQL':>6}")
    for name, r in results.items():
        print(
            f"{name:<18} {r['requests_per_s']:8.1f} {100 * r['share_of_bare']:7.1f}% "
            f"{r['worker_cpu_ms_per_request']:7.2f} {r['postgres_cpu_ms_per_request']:6.2f} "
            f"{r['sql_statements_per_request']:6.2f}"
        )
    print(f"written to {out.relative_to(ROOT)}; gunicorn log {LOGS.relative_to(ROOT)}")
    if any(r["failed"] for r in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
