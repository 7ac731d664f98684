"""Check-in POSTs under load, against a bare Django JSON view served by the same gunicorn
(issue 3, "Performance"). Run by hand, not by the tests (PostgreSQL on 127.0.0.1:5432, trust auth):

    .venv/bin/python bench/api_load.py [--clients 50] [--seconds 30] [--keep-db]

It creates its own database (rehab_bench_api, marked as the bench's with a comment; it refuses to
touch a database of that name it did not create), migrates it, creates a therapist and
clients x --patients-per-client patients through the product's services with a token each, and
starts gunicorn (2 sync workers as in docker-compose.yml, on 127.0.0.1 and a free port; DEBUG off,
DB_CONN_MAX_AGE=60, settings bench.api_load_settings = the product's + /bench/bare/). After a
warm-up, a second process runs --clients concurrent keep-alive HTTP clients (asyncio) for
--seconds: first check-in POSTs (each client is one patient at a time, one new past date per
request, a fresh Idempotency-Key each, so they are inserts), then GETs of /bench/bare/. Prints
requests/s, p50/p95/p99 latency and errors of each and the ratios; writes them to
bench/results/api_load.json; stops gunicorn and drops the database (unless --keep-db).

gunicorn's sync worker closes the connection after every response, so the clients reconnect
whenever told `Connection: close` (the figures include that connect); with
--worker-class gthread they keep their connections.
"""

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "logs"
DB_MARK = "created by bench/api_load.py"
# Nobody signs in with it: the clients use tokens.
PASSWORD = secrets.token_urlsafe(16)
CHECKIN_PATH = "/api/v1/checkins/"
BARE_PATH = "/bench/bare/"
# Distinct past dates per patient: safely inside the 90-day window whatever the patient's local
# date (Asia/Shanghai is ahead of UTC by up to a day).
BACKDATE_DAYS = range(1, 89)
REQUEST_TIMEOUT = 30.0
MAX_REQUESTS_PER_CLIENT = 1_000_000


# --- Helpers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


# --- The load generator (runs in its own process; no Django here) -----------------------------


class Connection:
    """One HTTP/1.1 connection to gunicorn, reopened when the server closes it."""

    def __init__(self, port: int, stats: Counter) -> None:
        self.port, self.stats = port, stats
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> int:
        """Send one request, read the whole response; returns its status. A keep-alive
        connection the server dropped while idle is retried once on a fresh one (safe: GETs, and
        POSTs carry an Idempotency-Key)."""
        for attempt in (1, 2):
            reused = self.writer is not None
            if not reused:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.stats["connections"] += 1
            try:
                self.writer.write(raw)
                await self.writer.drain()
                status, keep = await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if reused and attempt == 1:
                    self.stats["stale_connection_retries"] += 1
                    continue
                raise
            if not keep:
                await self.close()
            return status
        raise AssertionError("unreachable")

    async def _response(self) -> tuple[int, bool]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, status = lines[0].split(" ", 2)[:2]
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip().lower()
        keep = version == "HTTP/1.1" and headers.get("connection") != "close"
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")  # the empty trailer
        else:
            await self.reader.read()
            keep = False
        return int(status), keep


def checkin_body(rng: random.Random, on: date) -> bytes:
    pain = rng.randint(0, 8)
    return json.dumps(
        {
            "date": on.isoformat(),
            "back_pain": pain,
            "leg_pain": max(0, pain - rng.randint(0, 3)),
            "numbness": rng.randint(0, 5),
            "numbness_areas": rng.sample(["left_back_of_thigh", "left_outer_calf"], k=1),
            "can_walk_on_heels": True,
            "can_walk_on_toes": True,
            "bowel_bladder_change": False,
            "saddle_numbness": False,
            "night_pain": rng.random() < 0.2,
            "calf_cramps": rng.random() < 0.1,
            "stopped_walking": False,
            "walking_minutes": rng.choice([None, 10, 20, 30]),
            "note": "bench",
        },
        separators=(",", ":"),
    ).encode()


def checkin_requests(port: int, tokens: list[str], today: date, seed: int):
    """A patient's check-ins, one past date each; then the client's next patient. When all its
    patients have used every date, later requests update an earlier date (counted as 200s)."""
    rng = random.Random(seed)
    n = 0
    while True:
        token = tokens[(n // len(BACKDATE_DAYS)) % len(tokens)]
        on = today - timedelta(days=BACKDATE_DAYS[n % len(BACKDATE_DAYS)])
        body = checkin_body(rng, on)
        yield (
            f"POST {CHECKIN_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Token {token}\r\nIdempotency-Key: {uuid.uuid4()}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        n += 1


def bare_requests(port: int):
    raw = (
        f"GET {BARE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\r\n"
    ).encode()
    while True:
        yield raw


async def _client(requests, port, deadline, max_requests, ok, latencies, statuses, stats) -> None:
    connection = Connection(port, stats)
    try:
        for _, raw in zip(range(max_requests), requests, strict=False):
            if time.monotonic() >= deadline:
                break
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(connection.request(raw), REQUEST_TIMEOUT)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                statuses[type(error).__name__] += 1
                await connection.close()
                continue
            latencies.append(time.perf_counter() - started)
            statuses[str(status)] += 1
            if status not in ok:
                stats["errors"] += 1
    finally:
        await connection.close()


async def _load(spec: dict) -> dict:
    port, clients, seconds = spec["port"], spec["clients"], spec["seconds"]
    latencies: list[float] = []
    statuses: Counter = Counter()
    stats: Counter = Counter()
    if spec["kind"] == "checkin":
        today = date.fromisoformat(spec["today"])
        groups = [spec["tokens"][i::clients] for i in range(clients)]
        streams = [checkin_requests(port, groups[i], today, seed=i) for i in range(clients)]
        ok = {200, 201}
    else:
        streams = [bare_requests(port) for _ in range(clients)]
        ok = {200}
    started = time.monotonic()
    deadline = started + seconds
    args = (port, deadline, spec["max_requests"], ok, latencies, statuses, stats)
    await asyncio.gather(*(_client(stream, *args) for stream in streams))
    elapsed = time.monotonic() - started
    errors = stats.pop("errors", 0) + sum(v for k, v in statuses.items() if not k.isdigit())
    return {
        "requests": len(latencies),
        "elapsed_s": round(elapsed, 3),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "max_ms": ms(max(latencies, default=None)),
        "errors": errors,
        "statuses": dict(sorted(statuses.items())),
        **dict(stats),
    }


def load_process(spec: dict, pipe) -> None:
    cpu = time.process_time()
    result = asyncio.run(_load(spec))
    result["client_cpu_s"] = round(time.process_time() - cpu, 2)
    pipe.send(result)
    pipe.close()


def run_load(spec: dict) -> dict:
    """Run one load phase in a second process (spawned: no Django, no inherited sockets)."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=load_process, args=(spec, send), daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(spec["seconds"] + REQUEST_TIMEOUT + 30):
            raise SystemExit(f"the load generator did not finish ({spec['kind']})")
        return receive.recv()
    finally:
        process.join(10)
        if process.is_alive():
            process.terminate()
            process.join(5)


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
            "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "bench.api_load_settings",
            "VAR_DIR": str(ROOT / "var" / "bench_api_load"),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def seed(patients: int, warm: int) -> tuple[list[str], list[str]]:
    """A therapist and patients through the product's services, a token each: (load, warm-up)."""
    from knox.models import AuthToken

    from tracker.services.accounts import therapist_create
    from tracker.services.patients import patient_create

    therapist, _ = therapist_create(
        username="bench_therapist", password=PASSWORD, clinic_name="Bench clinic"
    )
    tokens = []
    for i in range(patients + warm):
        name = f"bench_patient_{i:04d}" if i < patients else f"bench_warmup_{i - patients}"
        profile = patient_create(
            therapist=therapist,
            username=name,
            password=PASSWORD,
            display_name=name.replace("_", " "),
            timezone="Asia/Shanghai",
            language="zh-hans",
        )
        tokens.append(AuthToken.objects.create(user=profile.user)[1])
    return tokens[:patients], tokens[patients:]


def database_counts(usernames_like: str = "bench_patient_") -> dict:
    from tracker.models import CheckIn, IdempotencyRecord

    return {
        "checkins": CheckIn.objects.filter(patient__username__startswith=usernames_like).count(),
        "idempotency_records": IdempotencyRecord.objects.filter(
            user__username__startswith=usernames_like
        ).count(),
    }


class Gunicorn:
    def __init__(self, env: dict, workers: int, worker_class: str, threads: int) -> None:
        self.port = free_port()
        self.log = LOGS / "api_load-gunicorn.log"
        self.log.write_text("")  # this run's log only
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
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


# --- Main ----------------------------------------------------------------------------------------


def line(name: str, r: dict) -> str:
    return (
        f"{name:<15} {r['requests_per_s']:8.1f} req/s   p50 {r['p50_ms'] or 0:8.1f} ms   "
        f"p95 {r['p95_ms'] or 0:8.1f} ms   errors {r['errors']}   "
        f"workers' CPU {r.get('server_cpu_ms_per_request', 0):.2f} ms/request   "
        f"({r['requests']} requests, statuses {r['statuses']}, "
        f"{r.get('connections', 0)} connections)"
    )


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each phase (30)")
    parser.add_argument("--keep-db", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--patients-per-client",
        type=int,
        default=2,
        help=f"patients each client cycles through, {len(BACKDATE_DAYS)} new dates each (2)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--worker-class", choices=["sync", "gthread"], default="sync", help="(sync)"
    )
    parser.add_argument("--threads", type=int, default=1, help="per worker, gthread only (1)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a maintenance database to create the bench database from",
    )
    parser.add_argument("--db-name", default="rehab_bench_api")
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000 or not 0 < args.seconds <= 600:
        parser.error("--clients 1..1000, --seconds up to 600")
    if urlsplit(args.postgres).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("--postgres must be on this machine")

    LOGS.mkdir(parents=True, exist_ok=True)
    load_before = round(os.getloadavg()[0], 2)
    database_url = urlunsplit(urlsplit(args.postgres)._replace(path=f"/{args.db_name}"))
    env = server_env(database_url)
    print(f"database {args.db_name}: creating and migrating", flush=True)
    database_create(args.postgres, args.db_name)
    gunicorn = None
    try:
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        patients = args.clients * args.patients_per_client
        print(f"creating a therapist and {patients} patients with tokens", flush=True)
        started = time.monotonic()
        tokens, warm_tokens = seed(patients, warm=args.workers)
        print(f"  done in {time.monotonic() - started:.0f}s", flush=True)
        before = database_counts()
        connections.close_all()

        gunicorn = Gunicorn(env, args.workers, args.worker_class, args.threads)
        gunicorn.wait_ready()
        print(
            f"gunicorn on 127.0.0.1:{gunicorn.port}, {args.workers} {args.worker_class} workers;"
            " warming up",
            flush=True,
        )
        today = datetime.now(UTC).date()
        common = {"port": gunicorn.port, "today": today.isoformat()}
        for kind, tokens_ in (("checkin", warm_tokens), ("bare", [])):
            warm = run_load(
                {**common, "kind": kind, "tokens": tokens_, "clients": args.workers}
                | {"seconds": 3, "max_requests": 40}
            )
            if warm["errors"]:
                raise SystemExit(f"warm-up of {kind} failed: {warm['statuses']}; {gunicorn.log}")

        results = {}
        for kind in ("checkin", "bare"):
            print(f"{kind}: {args.clients} clients for {args.seconds:g}s", flush=True)
            cpu = gunicorn.workers_cpu_seconds()
            result = run_load(
                {**common, "kind": kind, "tokens": tokens, "clients": args.clients}
                | {"seconds": args.seconds, "max_requests": MAX_REQUESTS_PER_CLIENT}
            )
            cpu = gunicorn.workers_cpu_seconds() - cpu
            result["server_workers_cpu_s"] = round(cpu, 2)
            result["server_cpu_ms_per_request"] = round(1000 * cpu / max(result["requests"], 1), 3)
            results[kind] = result
            time.sleep(2)
        after = database_counts()
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

    checkin, bare = results["checkin"], results["bare"]
    stored = {k: after[k] - before[k] for k in after}
    inserts = checkin["statuses"].get("201", 0)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "setup": {
            "clients": args.clients,
            "seconds": args.seconds,
            "patients": len(tokens),
            "gunicorn": f"{args.workers} {args.worker_class} workers"
            + (f" x {args.threads} threads" if args.worker_class == "gthread" else ""),
            "database": "PostgreSQL, CONN_MAX_AGE=60",
            "cpus": os.cpu_count(),
            "load_average_1m": {"at_start": load_before, "at_end": round(os.getloadavg()[0], 2)},
            "python": platform.python_version(),
            "checkin_request": f"POST {CHECKIN_PATH} (token, Idempotency-Key, new past date)",
            "bare_request": f"GET {BARE_PATH} (JsonResponse, same middleware)",
        },
        "checkin": checkin,
        "bare": bare,
        "checkin_vs_bare": {
            "throughput": ratio(checkin["requests_per_s"], bare["requests_per_s"]),
            "p50": ratio(checkin["p50_ms"], bare["p50_ms"]),
            "p95": ratio(checkin["p95_ms"], bare["p95_ms"]),
        },
        "stored_during_checkin_phase": {**stored, "expected_checkins": inserts},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "api_load.json"
    out.write_text(json.dumps(report, indent=2) + "\n")

    print()
    print(line("check-in POST", checkin))
    print(line("bare JSON GET", bare))
    r = report["checkin_vs_bare"]
    print(
        f"check-in / bare: throughput {r['throughput']}x, p50 {r['p50']}x, p95 {r['p95']}x"
        f"   (check-ins stored {stored['checkins']}, 201s {inserts})"
    )
    print(f"written to {out.relative_to(ROOT)}; gunicorn log {gunicorn.log.relative_to(ROOT)}")
    if checkin["errors"] or bare["errors"] or stored["checkins"] != inserts:
        sys.exit(1)


if __name__ == "__main__":
    main()
