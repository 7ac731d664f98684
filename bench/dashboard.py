"""The therapist's caseload and patient pages under load, against bare Django (issue 16). Run by
hand, not by the tests (PostgreSQL on 127.0.0.1:5432, trust auth; wrk on the PATH):

    python bench/dashboard.py [--patients 2000] [--small 500] [--days 365] [--long-days 1000]
                              [--seconds 20] [--connections 10] [--keep-db] [--reuse-db]

It creates its own database (rehab_speedpages_bench, marked as the bench's with a comment; it
refuses to touch a database of that name it did not make), migrates it and seeds it
(bench/dashboard_seed.py): --patients patients with --days days of check-ins and sessions seen by
one therapist, the first --small of them also by a second therapist, and --long patients with
--long-days of history seen by a third. --reuse-db keeps an earlier run's data (--keep-db).

Then it starts gunicorn (2 sync workers, as deployed; DEBUG off, persistent connections) with
the product's settings plus /bench/bare/, a plain JsonResponse behind the same middleware, and
runs wrk (one thread, --connections connections, --seconds each, signed in, Accept-Language
zh-hans, Accept-Encoding gzip) against, in this order: bare, the caseload as the --small
therapist, the caseload as the --patients therapist, patient pages (range=365) of ten --days
patients, patient pages (range=365) of ten --long-days patients, bare again. For each it reads the
gunicorn workers' and their PostgreSQL backends' utime+stime from /proc before and after, so
CPU per request is the server's, not the load generator's (whose CPU it prints too).

In this process (same settings) it counts each page's queries and bytes (raw and gzipped), times
where a request's time goes under cProfile (SQL, templates, translation, charts), and EXPLAIN
ANALYZEs the caseload's ordering query (page 1 of 50 rows). Prints everything, writes
bench/results/dashboard.json and drops the database (unless --keep-db or --reuse-db).

Targets (issue 16): caseload <= 60 ms worker CPU at 500 and 2,000 patients; patient page <= 40 ms
at 365 and 1,000 days of history; HTML compressed.
"""

import argparse
import cProfile
import gzip
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "logs"
DB_MARK = "created by bench/dashboard.py"
BARE_PATH = "/bench/bare/"
TARGET_CPU_MS = {"caseload": 60, "patient_page": 40}
LANGUAGE = "zh-hans"

# --- database --------------------------------------------------------------------------------


def _mark(connection, name: str) -> str | None:
    row = connection.execute(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database"
        " WHERE datname = %s",
        [name],
    ).fetchone()
    return None if row is None else row[0]


def database_prepare(admin_url: str, name: str, *, reuse: bool) -> bool:
    """Create the bench database (True), or keep an earlier run's with --reuse-db (False)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        mark = _mark(connection, name)
        if mark is not None and mark != DB_MARK:
            raise SystemExit(f"Database {name!r} exists and was not made by this script.")
        if mark is not None and reuse:
            return False
        if mark is not None:
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(DB_MARK)
            )
        )
    return True


def database_drop(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        if _mark(connection, name) == DB_MARK:
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )


# --- gunicorn and /proc ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (Linux /proc), 0 if it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Gunicorn:
    def __init__(self, env: dict, workers: int) -> None:
        self.port = free_port()
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log = LOGS / "dashboard-gunicorn.log"
        self.log.write_text("")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "tracker.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={workers}",
                "--worker-class=sync",
                f"--chdir={ROOT}",
                "--timeout=60",
                "--graceful-timeout=10",
                "--no-control-socket",
                f"--error-logfile={self.log}",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def get(self, path: str, headers: dict) -> tuple[int, bytes, dict]:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            connection.close()

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            try:
                if self.get(BARE_PATH, {})[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {timeout}s; see {self.log}")

    def workers(self) -> list[int]:
        pid = self.process.pid
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def postgres_backends(connection, name: str) -> list[int]:
    """The PostgreSQL backends serving the bench database, but this process's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        return [row[0] for row in cursor.fetchall()]


WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests": %%d, "duration_us": %%d, "bytes": %%d,'
    .. ' "status_errors": %%d, "socket_errors": %%d, "p50_us": %%d, "p95_us": %%d,'
    .. ' "p99_us": %%d}\\n', summary.requests, summary.duration, summary.bytes,
    summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99)))
end
"""


def load(gunicorn: Gunicorn, connection, db_name: str, paths: list[str], headers: dict, args):
    """One wrk phase: throughput, latency, and the server's CPU per request."""
    script = LOGS / "dashboard-wrk.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)})
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "30s"]
    command += [arg for key, value in headers.items() for arg in ("-H", f"{key}: {value}")]
    command += ["-s", str(script), f"http://127.0.0.1:{gunicorn.port}"]
    workers, backends = gunicorn.workers(), postgres_backends(connection, db_name)
    before = {pid: cpu_seconds(pid) for pid in workers + backends}
    load_before = os.getloadavg()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    backends = sorted(set(backends) | set(postgres_backends(connection, db_name)))
    figures = json.loads(output.split("WRKJSON ", 1)[1])
    requests = max(figures["requests"], 1)
    worker_cpu = sum(cpu_seconds(pid) - before.get(pid, 0) for pid in workers)
    backend_cpu = sum(cpu_seconds(pid) - before.get(pid, 0) for pid in backends)
    wrk_cpu = (children_after.ru_utime + children_after.ru_stime) - (
        children.ru_utime + children.ru_stime
    )
    seconds = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "requests_per_s": round(figures["requests"] / seconds, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "p99_ms": round(figures["p99_us"] / 1000, 1),
        "errors": figures["status_errors"] + figures["socket_errors"],
        "worker_cpu_ms_per_request": round(1000 * worker_cpu / requests, 2),
        "postgres_cpu_ms_per_request": round(1000 * backend_cpu / requests, 2),
        "wrk_cpu_share": round(wrk_cpu / seconds, 3),
        "bytes_per_response_on_wire": round(figures["bytes"] / requests),
        "load_average_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
    }


# --- in-process figures -------------------------------------------------------------------------


def _profile_parts() -> list[tuple[str, tuple]]:
    """(label, pstats key) for the functions whose cumulative time is reported. Translation and
    charts are parts of the others (a template calls gettext; a selector draws a chart)."""
    import psycopg
    from django.core.handlers.base import BaseHandler
    from django.db.backends.utils import CursorWrapper
    from django.template.base import Template
    from django.utils.translation import trans_real

    from tracker import chart_svg, charts

    functions = [
        ("sql", CursorWrapper._execute),
        ("sql", psycopg.Cursor.fetchmany),
        ("sql", psycopg.Cursor.fetchall),
        ("sql", psycopg.Cursor.__iter__),
        ("templates", Template.render),
        ("translation", trans_real.gettext),
        ("translation", trans_real.ngettext),
        ("translation", trans_real.npgettext),
        ("charts", charts.sparkline),
        ("charts", charts.line_chart),
        ("charts", chart_svg.sparkline_svg),
        ("charts", chart_svg.line_chart_svg_body),
        ("request", BaseHandler.get_response),
    ]
    return [
        (label, (f.__code__.co_filename, f.__code__.co_firstlineno, f.__code__.co_name))
        for label, f in functions
    ]


def profile(client, paths: list[str], runs: int) -> dict:
    """Milliseconds per request under cProfile, by part (the parts overlap; see above)."""
    for path in paths[:3]:
        client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(runs):
        client.get(paths[n % len(paths)])
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    out: dict[str, float] = {}
    for label, key in _profile_parts():
        if key in stats:
            out[label] = out.get(label, 0) + 1000 * stats[key][3] / runs
    return {label: round(ms, 2) for label, ms in out.items()}


def page_facts(client, path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain = client.get(path)
    assert plain.status_code == 200, (path, plain.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = len(captured)
    zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    compressed = zipped.get("Content-Encoding") == "gzip"
    return {
        "queries": queries,
        "bytes_raw": len(plain.content),
        "bytes_sent_gzip_accepted": len(zipped.content),
        "compressed_by_server": compressed,
        "bytes_if_gzipped": len(gzip.compress(plain.content, 6)),
    }


def explain_ordering(therapist) -> dict:
    from tracker.selectors.dashboard import CASELOAD_PAGE_SIZE, caseload_patients

    text = caseload_patients(user=therapist)[:CASELOAD_PAGE_SIZE].explain(analyze=True)
    flag_loops = [
        int(match.group(1))
        for line in text.splitlines()
        if "tracker_flag" in line
        for match in [re.search(r"loops=(\d+)", line)]
        if match
    ]
    total = re.search(r"Execution Time: ([\d.]+) ms", text)
    return {
        "plan": text,
        "flag_scans_loops": flag_loops,
        "execution_ms": float(total.group(1)) if total else None,
    }


# --- main ---------------------------------------------------------------------------------------


def show(name: str, r: dict, bare_rps: float, target: float | None = None) -> str:
    verdict = ""
    if target is not None:
        over = r["worker_cpu_ms_per_request"] > target
        verdict = f"  OVER the {target} ms target" if over else f"  ok (<= {target} ms)"
    return (
        f"  {name:<26} {r['requests_per_s']:8.1f} req/s"
        f" ({100 * r['requests_per_s'] / bare_rps:5.2f} % of bare)"
        f"  p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  worker CPU"
        f" {r['worker_cpu_ms_per_request']:6.2f} ms/req (+{r['postgres_cpu_ms_per_request']:.2f}"
        f" PostgreSQL)  {r['errors']} errors  wrk {100 * r['wrk_cpu_share']:.0f} % of a core"
        f"  load {r['load_average_1min'][0]}->{r['load_average_1min'][1]}{verdict}"
    )


def bench_environment(database_url: str) -> dict[str, str]:
    """The settings the bench's server runs with (also bench/dashboard_profile.py's), put into
    os.environ: DEBUG off, the bench's database, no Redis, broker or mail server."""
    env = {
        "APP_ENV": "development",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "bench.dashboard_settings",
        "VAR_DIR": str(ROOT / "var" / "bench_dashboard"),
        "LOG_LEVEL": "WARNING",
        "STAFF_SESSION_IDLE_MINUTES": "120",
    }
    os.environ.update(env)
    for key in ("REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL"):
        os.environ.pop(key, None)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=2000, help="(2000)")
    parser.add_argument("--small", type=int, default=500, help="the smaller caseload (500)")
    parser.add_argument("--days", type=int, default=365, help="of history per patient (365)")
    parser.add_argument("--long", type=int, default=10, help="patients with --long-days (10)")
    parser.add_argument("--long-days", type=int, default=1000, help="(1000)")
    parser.add_argument("--evaluate", type=int, default=20, help="patients the rules flag (20)")
    parser.add_argument("--seconds", type=int, default=20, help="of wrk per phase (20)")
    parser.add_argument("--connections", type=int, default=10, help="wrk connections (10)")
    parser.add_argument("--profile-runs", type=int, default=20, help="(20)")
    parser.add_argument("--seed", type=int, default=20260310)
    parser.add_argument("--keep-db", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse-db", action="store_true", help="use a kept database as it is (and keep it)"
    )
    parser.add_argument("--label", default="", help="a name for this run in the results file")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a maintenance database to create the bench database from",
    )
    parser.add_argument("--db-name", default="rehab_speedpages_bench")
    args = parser.parse_args()
    if urlsplit(args.postgres).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--postgres must be on this machine")
    if not 1 <= args.small <= args.patients <= 5000 or not 30 <= args.days <= 1100:
        parser.error("--small <= --patients <= 5000, --days 30..1100")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install -y wrk)")

    rng = random.Random(args.seed)
    database_url = urlunsplit(urlsplit(args.postgres)._replace(path=f"/{args.db_name}"))
    env = bench_environment(database_url)
    sys.path.insert(0, str(ROOT))
    seed_file = RESULTS / "dashboard-seed.json"
    fresh = database_prepare(args.postgres, args.db_name, reuse=args.reuse_db)
    gunicorn = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from tracker.models import User

        if fresh:
            from bench.dashboard_seed import seed

            print(f"database {args.db_name}: migrating and seeding", flush=True)
            call_command("migrate", verbosity=0)
            data = seed(
                patients=args.patients,
                days=args.days,
                small=args.small,
                long_patients=args.long,
                long_days=args.long_days,
                evaluate=args.evaluate,
                rng=rng,
            )
            RESULTS.mkdir(parents=True, exist_ok=True)
            seed_file.write_text(json.dumps(data, indent=2) + "\n")
        else:
            data = json.loads(seed_file.read_text())
            print(f"database {args.db_name}: reusing the data of {seed_file.name}", flush=True)
        print(
            f"  {data['checkins']} check-ins, {data['sessions']} sessions, {data['flags']} flags"
            f" ({data['flags_unresolved_patients']} patients flagged)",
            flush=True,
        )
        therapists = {
            n: User.objects.get(username=f"bench_therapist_{n}") for n in ("all", "small", "long")
        }
        users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
        sample_365 = [users[n] for n in rng.sample(data["patients"][: args.small], k=10)]
        sample_long = [users[n] for n in data["long_patients"][:10]]
        phases = [
            ("bare", None, [BARE_PATH]),
            (f"caseload_{args.small}", "small", ["/therapist/"]),
            (f"caseload_{args.patients}", "all", ["/therapist/"]),
            (
                f"patient_page_{args.days}_days",
                "small",
                [f"/therapist/patients/{u.public_id}/?range=365" for u in sample_365],
            ),
            (
                f"patient_page_{args.long_days}_days",
                "long",
                [f"/therapist/patients/{u.public_id}/?range=365" for u in sample_long],
            ),
            ("bare_again", None, [BARE_PATH]),
        ]
        clients, cookies = {}, {}
        for name, therapist in therapists.items():
            client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGE)
            client.force_login(therapist)
            clients[name] = client
            cookies[name] = client.cookies["sessionid"].value

        print("in-process: queries, bytes, profile, EXPLAIN", flush=True)
        facts, parts = {}, {}
        for name, who, paths in phases:
            if who is None or name in facts:
                continue
            facts[name] = page_facts(clients[who], paths[0])
            parts[name] = profile(clients[who], paths, args.profile_runs)
        explain = {
            f"caseload_{args.small}": explain_ordering(therapists["small"]),
            f"caseload_{args.patients}": explain_ordering(therapists["all"]),
        }
        server_version = connection.cursor().connection.info.server_version

        gunicorn = Gunicorn({**os.environ, **env}, workers=2)
        gunicorn.wait_ready()
        started = datetime.now(UTC)
        print(
            f"gunicorn on 127.0.0.1:{gunicorn.port}, 2 sync workers; wrk {args.seconds} s"
            f" a phase, {args.connections} connections",
            flush=True,
        )
        loads = {}
        for name, who, paths in phases:
            headers = {"Accept-Language": LANGUAGE, "Accept-Encoding": "gzip"}
            if who is not None:
                headers["Cookie"] = f"sessionid={cookies[who]}"
            for path in paths[:2]:  # warm-up, and the page really is served (no redirect)
                status, _body, _ = gunicorn.get(path, headers)
                if status != 200:
                    raise SystemExit(f"{name}: {path} answered {status}; see {gunicorn.log}")
            loads[name] = load(gunicorn, connection, args.db_name, paths, headers, args)
            print(f"  {name}: done", flush=True)
        ended = datetime.now(UTC)
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        # A database reused for a before/after comparison is kept for the next run too.
        if not (args.keep_db or args.reuse_db):
            database_drop(args.postgres, args.db_name)

    bare_rps = (loads["bare"]["requests_per_s"] + loads["bare_again"]["requests_per_s"]) / 2
    bare_cpu = (
        loads["bare"]["worker_cpu_ms_per_request"]
        + loads["bare_again"]["worker_cpu_ms_per_request"]
    ) / 2
    print()
    print(
        f"Caseload and patient pages {args.label}: {args.patients} patients x {args.days} days,"
        f" PostgreSQL {server_version}, window {started:%H:%M:%S}-{ended:%H:%M:%S} UTC,"
        f" {os.cpu_count()} CPUs"
    )
    for name, _, _ in phases:
        target = None
        if name.startswith("caseload"):
            target = TARGET_CPU_MS["caseload"]
        elif name.startswith("patient_page"):
            target = TARGET_CPU_MS["patient_page"]
        print(show(name, loads[name], bare_rps, target))
        if name in facts:
            f, p = facts[name], parts[name]
            loads[name]["ratio_to_bare"] = round(loads[name]["requests_per_s"] / bare_rps, 4)
            loads[name]["cpu_ratio_to_bare"] = round(
                loads[name]["worker_cpu_ms_per_request"] / bare_cpu, 1
            )
            print(
                f"      {f['queries']} queries, {f['bytes_raw']:,} bytes raw,"
                f" {f['bytes_sent_gzip_accepted']:,} sent with gzip accepted"
                f" ({'compressed' if f['compressed_by_server'] else 'NOT compressed'};"
                f" gzip would be {f['bytes_if_gzipped']:,})"
            )
            print(
                "      in-process under cProfile, ms a request: "
                + ", ".join(f"{k} {v}" for k, v in sorted(p.items()))
            )
    for name, e in explain.items():
        print(
            f"  ordering query, {name}: {e['execution_ms']} ms; loops of the flag scans:"
            f" {e['flag_scans_loops']}"
        )

    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "label": args.label,
        "window_utc": [started.isoformat(timespec="seconds"), ended.isoformat(timespec="seconds")],
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "postgres": server_version,
        },
        "config": {
            k: getattr(args, k)
            for k in ("patients", "small", "days", "long", "long_days", "seconds", "connections")
        },
        "data": {
            k: data[k] for k in ("checkins", "sessions", "flags", "flags_unresolved_patients")
        },
        "targets_worker_cpu_ms": TARGET_CPU_MS,
        "bare_requests_per_s": bare_rps,
        "load": loads,
        "pages": facts,
        "profile_ms": parts,
        "explain": explain,
    }
    name = f"dashboard{'-' + args.label if args.label else ''}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {RESULTS / name}")


if __name__ == "__main__":
    main()
