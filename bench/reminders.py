"""Reminders at scale: the product's dispatcher + outbox, run as deployed (`celery beat` and a
`celery -A tracker worker` consuming every queue), against one django-celery-beat PeriodicTask
per patient, on PostgreSQL and Redis, each for the same window. Run by hand, not by the tests:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rehab .venv/bin/python bench/reminders.py

It uses its own database (--db-name, dropped and re-created) and its own redis-server on a free
port, so nothing else on the machine is disturbed. N stand-up schedules (35-minute interval, due
times spread evenly), each with one push subscription on a local push stand-in; --hanging of
them point at an endpoint that never answers. Beat enqueues the dispatcher every 15 s and the
sweeper every 10 s, exactly as in production; one worker sends. It prints, side by side with
django-celery-beat: due vs sent, duplicates, lateness (due -> sent) p50/p95/p99/max, CPU;
and for ours: worker CPU per delivery (whole worker, and per send task), the dispatcher's and
sweeper's runs (ran, expired, largest gap) and CPU per 120 s, new PostgreSQL connections in the
window (pg_stat_database.sessions), what was still queued when the window ended, the load
average; writes JSON to bench/results/.
"""

import argparse
import itertools
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from celery import shared_task

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
INTERVAL = timedelta(minutes=35)
BENCH_DB = "rehab_bench_reminders"


# --- The task django-celery-beat runs for each patient (imported by the bench's worker) --------


@shared_task(name="bench.beat_stand_up", ignore_result=True)
def beat_stand_up(patient: int) -> None:
    # Only records when it ran: the comparison is about scheduling, so the alternative is spared
    # the cost of actually sending (which favours it).
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.REDIS_URL).rpush("bench:beat", f"{patient} {time.time()}")


# --- Worker-side measurement (the bench's worker imports this module: CELERY_IMPORTS) ---------

_started: dict[str, tuple[float, float]] = {}


def _store():
    import redis
    from django.conf import settings

    global _redis
    try:
        return _redis
    except NameError:
        _redis = redis.Redis.from_url(settings.REDIS_URL)
        return _redis


def _on_prerun(task_id=None, task=None, **kwargs) -> None:
    _started[task_id] = (time.process_time(), time.time())


def _on_postrun(task_id=None, task=None, args=None, **kwargs) -> None:
    if task_id not in _started:
        return
    cpu_started, wall_started = _started.pop(task_id)
    count = len(args[0]) if task.name.endswith("deliveries_send_task") and args else 0
    record = {
        "name": task.name.rsplit(".", 1)[-1],
        "cpu": time.process_time() - cpu_started,
        "start": wall_started,
        "wall": time.time() - wall_started,
        "n": count,
        "queue": (task.request.delivery_info or {}).get("routing_key"),
    }
    _store().rpush("bench:tasks", json.dumps(record))


def _on_revoked(request=None, expired=False, **kwargs) -> None:
    name = getattr(request, "name", None) or getattr(request, "task_name", "?")
    _store().rpush("bench:expired" if expired else "bench:revoked", str(name))


if os.environ.get("BENCH_INSTRUMENT") == "1":
    from celery import signals

    signals.task_prerun.connect(_on_prerun, weak=False)
    signals.task_postrun.connect(_on_postrun, weak=False)
    signals.task_revoked.connect(_on_revoked, weak=False)


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


def lateness_summary(values: list[float]) -> dict:
    return {
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
        "max": max(values) if values else None,
    }


class PushStandIn:
    """Answers 201 to every push, counting requests per endpoint (duplicates show here)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with outer.lock:
                    outer.counts[self.path] += 1
                if self.path.startswith("/hang/"):
                    time.sleep(120)  # never answers in time: the sender must give up
                    return
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


class Processes:
    def __init__(self, env: dict, logs: Path) -> None:
        self.env, self.logs, self.running = env, logs, {}

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - lives as long as the process
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[name] = process
        return process

    def stop(self, name: str) -> float:
        """Stop gracefully and return the CPU seconds it and its children used."""
        process = self.running.pop(name)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)


def wait_for_log(path: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise SystemExit(f"{path.name} did not say {text!r} within {timeout}s")


# --- Setup -------------------------------------------------------------------------------------


def prepare_environment(args) -> dict:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL=postgres://user@host:port/anydb (a PostgreSQL server).")
    parts = urlsplit(base)
    bench_url = urlunsplit(parts._replace(path=f"/{args.db_name}"))
    admin = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    admin += ["-U", parts.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", "--force", *admin, args.db_name], check=True)
    subprocess.run(["createdb", *admin, args.db_name], check=True)
    redis_port = free_port()
    sys.path.insert(0, str(ROOT))
    from reminders.management.commands.vapid_keys import generate_keys

    vapid = generate_keys()
    logs = ROOT / "var" / "bench" / "logs"  # outside the repository (var/ is ignored)
    logs.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": bench_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "DJANGO_SETTINGS_MODULE": "bench.reminders_settings",
        # As in production: DEBUG on would record every SQL statement in the worker.
        "DEBUG": "false",
        "VAR_DIR": str(ROOT / "var" / "bench"),
        "PYTHONPATH": str(ROOT),
        "VAPID_PUBLIC_KEY": vapid["public_key"],
        "VAPID_PRIVATE_KEY": vapid["private_key"],
        "BENCH_INSTRUMENT": "1",
        "_REDIS_PORT": str(redis_port),
        "_LOGS": str(logs),
    }


def setup_django(env: dict) -> None:
    os.environ.update({k: v for k, v in env.items() if not k.startswith("_")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _path(i: int, n: int, hanging: int) -> str:
    return "hang" if hanging and i % (n // hanging) == 1 else "push"


def seed_patients(n: int, start: datetime, push_url: str, hanging: int = 0) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from reminders.management.commands.vapid_keys import generate_keys
    from reminders.models import PushSubscription, ReminderSchedule

    # The browser side of a subscription: one key pair shared by every fake browser.
    browser = generate_keys()
    import base64

    auth = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
    User = get_user_model()
    spacing = INTERVAL / n
    for first in range(0, n, 10_000):
        chunk = range(first, min(n, first + 10_000))
        users = User.objects.bulk_create(
            # "!" is Django's unusable-password marker: these accounts cannot sign in.
            [User(username=f"bench{i}", password="!") for i in chunk],  # noqa: S106
            batch_size=5000,
        )
        ReminderSchedule.objects.bulk_create(
            [
                ReminderSchedule(
                    user=user,
                    kind="stand_up",
                    timezone="UTC",
                    active_from=datetime.min.time(),
                    active_until=datetime.max.time(),
                    interval_minutes=35,
                    times_of_day=[],
                    channels=["push"],
                    next_due_at=start + spacing * i,
                )
                for i, user in zip(chunk, users, strict=True)
            ],
            batch_size=5000,
        )
        PushSubscription.objects.bulk_create(
            [
                PushSubscription(
                    user=user,
                    # Every n/hanging-th patient's browser sits on a push service that hangs.
                    endpoint=f"{push_url}/{_path(i, n, hanging)}/{i}",
                    p256dh=browser["public_key"],
                    auth=auth,
                )
                for i, user in zip(chunk, users, strict=True)
            ],
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Our design --------------------------------------------------------------------------------


def celery_command(kind: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "tracker", kind, *extra]


def pg_sessions(db_name: str) -> int:
    """Sessions ever opened on the bench database (PostgreSQL 14+), from a separate psql."""
    out = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-Atc",
            # The bench's own database name (a command-line argument), not user input.
            f"SELECT sessions FROM pg_stat_database WHERE datname = '{db_name}'",  # noqa: S608
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip() or 0)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and all its descendants, live."""
    tick = os.sysconf("SC_CLK_TCK")
    parents, cpu = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += cpu.get(current, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == current)
    return total


def queue_lengths(store) -> dict:
    from reminders import queues

    return {name: store.llen(name) for name in ("celery", *queues.ALL)}


def run_ours(args, env: dict, procs: Processes, push: PushStandIn) -> dict:
    import redis
    from django.conf import settings
    from django.db import connection

    from reminders.models import Delivery, InboxMessage, ReminderSchedule, Status

    print(f"[ours] seeding {args.n:,} stand-up schedules ({args.hanging} hanging) …", flush=True)
    seeded = time.monotonic()
    provisional = datetime.now(UTC) + timedelta(days=1)  # nothing due while seeding
    seed_patients(args.n, provisional, push.url, hanging=args.hanging)
    print(f"[ours] seeded in {time.monotonic() - seeded:.0f}s", flush=True)
    store = redis.Redis.from_url(settings.REDIS_URL)
    store.delete("bench:tasks", "bench:expired", "bench:revoked")
    logs = Path(env["_LOGS"])
    # As deployed: one worker on every queue (no -Q), and beat with the product's schedule.
    procs.start(
        "ours-worker",
        celery_command(
            "worker",
            "--pool=prefork",
            f"--concurrency={args.concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--hostname=ours@%h",
        ),
    )
    wait_for_log(logs / "ours-worker.log", " ready.", 120)
    procs.start(
        "ours-beat",
        celery_command("beat", "--loglevel=INFO", f"--schedule={logs / 'ours-beat-schedule'}"),
    )
    # The window opens once both run: the due times move there as a block (evenly spread).
    start = datetime.now(UTC) + timedelta(seconds=20)
    from django.db.models import F

    ReminderSchedule.objects.update(next_due_at=F("next_due_at") - (provisional - start))
    while datetime.now(UTC) < start:
        time.sleep(0.2)
    window_end = start + timedelta(seconds=args.window)
    load_samples = []
    sessions_start = pg_sessions(args.db_name)
    worker_pid, beat_pid = procs.running["ours-worker"].pid, procs.running["ours-beat"].pid
    worker_cpu_start, beat_cpu_start = tree_cpu(worker_pid), tree_cpu(beat_pid)
    print(f"[ours] window of {args.window:.0f} s (beat + worker) …", flush=True)
    while datetime.now(UTC) < window_end:
        load_samples.append(os.getloadavg()[0])
        time.sleep(5)
    sessions_end = pg_sessions(args.db_name)
    # What was still waiting when the window ended.
    cutoff = window_end
    due_rows = Delivery.objects.filter(due_at__lte=cutoff, channel="push")
    queued_at_end = {
        "broker_messages": queue_lengths(store),
        "outbox_rows_pending": due_rows.filter(status=Status.PENDING).count(),
        "outbox_rows_pending_not_hanging": due_rows.filter(status=Status.PENDING)
        .exclude(user__push_subscriptions__endpoint__contains="/hang/")
        .count(),
        "schedules_due_not_yet_dispatched": 0,
    }
    queued_at_end["schedules_due_not_yet_dispatched"] = ReminderSchedule.objects.filter(
        next_due_at__lte=cutoff - timedelta(seconds=1)
    ).count()
    # A grace minute for the last ticks' sends (everything due inside the window), then stop.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        ReminderSchedule.objects.filter(next_due_at__lte=cutoff, is_enabled=True).exists()
        or due_rows.filter(status=Status.PENDING)
        .exclude(user__push_subscriptions__endpoint__contains="/hang/")
        .exists()
    ):
        time.sleep(2)
    # CPU from the window's start until everything due in it was sent (startup excluded).
    worker_cpu = tree_cpu(worker_pid) - worker_cpu_start
    beat_cpu = tree_cpu(beat_pid) - beat_cpu_start
    procs.stop("ours-beat")
    procs.stop("ours-worker")

    tasks = [json.loads(item) for item in store.lrange("bench:tasks", 0, -1)]
    expired = Counter(
        item.decode().rsplit(".", 1)[-1] for item in store.lrange("bench:expired", 0, -1)
    )
    in_window = [t for t in tasks if start.timestamp() <= t["start"] < window_end.timestamp()]

    def runs(name: str) -> dict:
        mine = sorted((t for t in in_window if t["name"] == name), key=lambda t: t["start"])
        starts = [t["start"] for t in mine]
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        cpu = sum(t["cpu"] for t in mine)
        return {
            "ran": len(mine),
            "expired": expired.get(name, 0),
            "max_gap_seconds": max(gaps) if gaps else None,
            "cpu_seconds": cpu,
            "cpu_seconds_per_120s": cpu * 120 / args.window,
            "wall_seconds_max": max((t["wall"] for t in mine), default=None),
            "queues": sorted({t["queue"] for t in mine if t["queue"]}),
        }

    dispatch, sweep = runs("reminders_dispatch_task"), runs("deliveries_sweep_task")
    sends = [t for t in tasks if t["name"] == "deliveries_send_task"]

    spacing = INTERVAL / args.n
    expected_due = min(args.n, int((window_end - start) / spacing) + 1)
    hang_filter = {"user__push_subscriptions__endpoint__contains": "/hang/"}
    hanging_due = due_rows.filter(**hang_filter).count()
    normal = due_rows.exclude(**hang_filter)
    written = due_rows.count()
    sent = normal.filter(status=Status.SENT)
    # Where the lateness comes from: due -> written by the dispatcher (its 15 s tick, the
    # tick's own run time) and written -> sent (the queue and the send).
    lateness, to_dispatch, to_send = [], [], []
    for due_at, created_at, sent_at in sent.values_list("due_at", "created_at", "sent_at").iterator(
        chunk_size=5000
    ):
        lateness.append((sent_at - due_at).total_seconds())
        to_dispatch.append((created_at - due_at).total_seconds())
        to_send.append((sent_at - created_at).total_seconds())
    sent_in_window = sent.filter(sent_at__lte=window_end).count()
    # A reminder due in the window's last seconds cannot be out by its end (the dispatcher
    # ticks every 15 s): the ones due a minute (the p99 allowance) or more before it must be.
    settled = normal.filter(due_at__lte=window_end - timedelta(seconds=60))
    due_a_minute_before_end = settled.count()
    sent_a_minute_before_end = settled.filter(status=Status.SENT, sent_at__lte=window_end).count()
    counts = push.counts.copy()
    duplicates = sum(c - 1 for path, c in counts.items() if c > 1 and path.startswith("/push/"))
    sent_count = len(lateness)
    periodic_cpu = dispatch["cpu_seconds"] + sweep["cpu_seconds"]
    send_cpu = sum(t["cpu"] for t in sends)
    send_n = sum(t["n"] for t in sends)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {
        "n": args.n,
        "hanging_endpoints": args.hanging,
        "window_seconds": (window_end - start).total_seconds(),
        "due": expected_due,
        "due_on_hanging_endpoints": hanging_due,
        "outbox_rows_written": written,
        "sent": sent_count,
        "sent_within_window": sent_in_window,
        "due_a_minute_before_the_end": due_a_minute_before_end,
        "of_them_sent_within_window": sent_a_minute_before_end,
        "not_sent": dict(
            Counter(normal.exclude(status=Status.SENT).values_list("status", flat=True))
        ),
        "hanging_rows": dict(
            Counter(due_rows.filter(**hang_filter).values_list("status", flat=True))
        ),
        "duplicates_at_push_service": duplicates,
        "duplicate_outbox_rows": written
        - due_rows.values("schedule_id", "due_at").distinct().count(),
        "lateness_seconds": lateness_summary(lateness),
        "due_to_dispatched_seconds": lateness_summary(to_dispatch),
        "dispatched_to_sent_seconds": lateness_summary(to_send),
        "dispatcher": dispatch,
        "sweeper": sweep,
        "send_tasks": len(sends),
        "send_task_rows": send_n,
        "send_task_cpu_ms_per_row": 1000 * send_cpu / send_n if send_n else None,
        "worker_cpu_seconds": worker_cpu,
        "worker_cpu_ms_per_delivery": 1000 * (worker_cpu - periodic_cpu) / sent_count
        if sent_count
        else None,
        "worker_cpu_ms_per_delivery_including_dispatch": 1000 * worker_cpu / sent_count
        if sent_count
        else None,
        "beat_cpu_seconds": beat_cpu,
        "new_pg_connections_in_window": sessions_end - sessions_start,
        "queued_at_window_end": queued_at_end,
        "load_average_1min": {
            "mean": statistics.fmean(load_samples) if load_samples else None,
            "max": max(load_samples, default=None),
        },
        "inbox_messages_written": InboxMessage.objects.count(),
        "attempts_over_1": Delivery.objects.filter(attempts__gt=1).count(),
    }


# --- The alternative: django-celery-beat, one PeriodicTask per patient ---------------------------


def run_beat(args, env: dict, procs: Processes) -> dict:
    import redis
    from django.conf import settings
    from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

    from reminders.models import Delivery, ReminderSchedule

    # Our schedules are left from the first run: switched off so our dispatcher (also in beat's
    # schedule) has nothing to do while the alternative is measured.
    ReminderSchedule.objects.update(is_enabled=False)
    Delivery.objects.filter(status="pending").update(status="skipped", last_error="bench over")
    n = args.beat_n
    print(f"[beat] creating {n:,} PeriodicTasks …", flush=True)
    every = IntervalSchedule.objects.create(every=35, period=IntervalSchedule.MINUTES)
    start = datetime.now(UTC) + timedelta(seconds=20 + n / 5000)
    spacing = INTERVAL / n
    for first in range(0, n, 10_000):
        PeriodicTask.objects.bulk_create(
            [
                PeriodicTask(
                    name=f"stand-up-{i}",
                    task="bench.beat_stand_up",
                    args=json.dumps([i]),
                    interval=every,
                    # Due at start + i·spacing: one interval after the "last run".
                    last_run_at=start + spacing * i - INTERVAL,
                )
                for i in range(first, min(n, first + 10_000))
            ],
            batch_size=5000,
        )
    PeriodicTasks.update_changed()
    store = redis.Redis.from_url(settings.REDIS_URL)
    store.delete("bench:beat", "celery")  # nothing left over from the first run
    logs = Path(env["_LOGS"])
    procs.start(
        "beat-worker",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tracker",
            "worker",
            "--pool=prefork",
            f"--concurrency={args.concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--hostname=beat@%h",
        ],
    )
    launched = time.monotonic()
    procs.start(
        "beat",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tracker",
            "beat",
            "--loglevel=INFO",
            "-S",
            "django_celery_beat.schedulers:DatabaseScheduler",
            f"--schedule={logs / 'celerybeat-schedule'}",
        ],
    )
    window_end = start + timedelta(seconds=args.window)
    first_seen = None
    while datetime.now(UTC) < window_end + timedelta(seconds=60):
        if first_seen is None and store.llen("bench:beat"):
            first_seen = time.monotonic() - launched
        time.sleep(1)
    beat_cpu = procs.stop("beat")
    worker_cpu = procs.stop("beat-worker")

    due_at = {i: start + spacing * i for i in range(n)}
    runs = [item.decode().split() for item in store.lrange("bench:beat", 0, -1)]
    seen = Counter(int(patient) for patient, _ in runs)
    lateness = [
        float(at) - due_at[int(patient)].timestamp()
        for patient, at in runs
        if due_at[int(patient)] <= window_end
    ]
    expected_due = min(n, int((window_end - start) / spacing) + 1)
    on_time_window = [i for i in range(n) if due_at[i] <= window_end]
    ran_for_due = sum(1 for i in on_time_window if seen[i])
    return {
        "n": n,
        "window_seconds": (window_end - start).total_seconds(),
        "due": expected_due,
        "sent": ran_for_due,
        "sent_late_after_window": sum(
            1 for patient, at in runs if float(at) > window_end.timestamp() + 60
        ),
        "duplicates": sum(count - 1 for count in seen.values() if count > 1),
        "lateness_seconds": lateness_summary(lateness),
        "beat_first_task_after_seconds": first_seen,
        "beat_cpu_seconds": beat_cpu,
        "worker_cpu_seconds": worker_cpu,
    }


# --- Report --------------------------------------------------------------------------------------


def fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def report(ours: dict, beat: dict | None) -> None:
    def both(label: str, mine, theirs) -> tuple:
        return (label, mine, theirs)

    rows = [
        both("patients (N)", ours["n"], beat and beat["n"]),
        both("reminders due in window", ours["due"], beat and beat["due"]),
        both("  of them on hanging endpoints", ours["due_on_hanging_endpoints"], None),
        both("sent (others)", ours["sent"], beat and beat["sent"]),
        both("  sent before the window ended", ours["sent_within_window"], None),
        both("due ≥ 60 s before the end (others)", ours["due_a_minute_before_the_end"], None),
        both("  of them sent within the window", ours["of_them_sent_within_window"], None),
        both("duplicates", ours["duplicates_at_push_service"], beat and beat["duplicates"]),
    ]
    for key in ("p50", "p95", "p99", "max"):
        rows.append(
            both(
                f"lateness {key} (s)",
                ours["lateness_seconds"][key],
                beat and beat["lateness_seconds"][key],
            )
        )
    rows += [
        both(
            "scheduler CPU (s)",
            ours["dispatcher"]["cpu_seconds"] + ours["beat_cpu_seconds"],
            beat and beat["beat_cpu_seconds"],
        ),
        both("worker CPU (s)", ours["worker_cpu_seconds"], beat and beat["worker_cpu_seconds"]),
    ]
    print()
    print(f"{'':34} {'ours (beat+worker)':>18} {'celery-beat':>14} {'beat/ours':>10}")
    for label, mine, theirs in rows:
        ratio = ""
        if isinstance(mine, int | float) and isinstance(theirs, int | float) and mine:
            ratio = f"{theirs / mine:,.2f}×"
        print(f"{label:34} {fmt(mine):>18} {fmt(theirs):>14} {ratio:>10}")
    d, w = ours["dispatcher"], ours["sweeper"]
    load = ours["load_average_1min"]
    lines = [
        f"ours, {ours['window_seconds']:.0f} s window, load average {fmt(load['mean'])} "
        f"(max {fmt(load['max'])}) on {os.cpu_count()} cores:",
        f"  worker CPU per delivery: {fmt(ours['worker_cpu_ms_per_delivery'])} ms (whole worker,"
        " dispatcher and sweeper runs taken out; "
        f"{fmt(ours['worker_cpu_ms_per_delivery_including_dispatch'])} ms with them)",
        "  lateness split, p50 / p99 / max (s): due → written by the dispatcher "
        + " / ".join(fmt(ours["due_to_dispatched_seconds"][k]) for k in ("p50", "p99", "max"))
        + "; written → sent "
        + " / ".join(fmt(ours["dispatched_to_sent_seconds"][k]) for k in ("p50", "p99", "max")),
        f"  inside send tasks: {fmt(ours['send_task_cpu_ms_per_row'])} ms a row "
        f"({ours['send_tasks']:,} tasks for {ours['send_task_rows']:,} rows)",
        f"  dispatcher: {d['ran']} runs, {d['expired']} expired, largest gap "
        f"{fmt(d['max_gap_seconds'])} s, {fmt(d['cpu_seconds_per_120s'])} CPU-s per 120 s, "
        f"longest run {fmt(d['wall_seconds_max'])} s, queue {d['queues']}",
        f"  sweeper: {w['ran']} runs, {w['expired']} expired, largest gap "
        f"{fmt(w['max_gap_seconds'])} s, {fmt(w['cpu_seconds_per_120s'])} CPU-s per 120 s",
        f"  new PostgreSQL connections in the window: {ours['new_pg_connections_in_window']}",
        f"  still queued when the window ended: {ours['queued_at_window_end']}",
        f"  outbox rows not sent (others): {ours['not_sent'] or 'none'}; hanging endpoints' rows:"
        f" {ours['hanging_rows']}; duplicate outbox rows: {ours['duplicate_outbox_rows']}",
    ]
    print("\n" + "\n".join(lines))
    if beat:
        first = fmt(beat["beat_first_task_after_seconds"])
        missing = beat["due"] - beat["sent"]
        print(
            f"celery-beat: first task ran {first}s after launch; {missing:,} due reminders had not "
            "run 60 s after the window (its lateness figures cover only the ones that ran)"
        )


def deployed_concurrency() -> int:
    """The worker's --concurrency in docker-compose.yml, which the Procfile must repeat: the
    bench measures the worker as deployed."""
    found = {
        name: re.findall(r"celery -A tracker worker\b.*--concurrency=(\d+)", text)
        for name in ("docker-compose.yml", "Procfile")
        if (text := (ROOT / name).read_text())
    }
    values = {int(value) for matches in found.values() for value in matches}
    if len(values) != 1:
        raise SystemExit(f"docker-compose.yml and Procfile disagree on --concurrency: {found}")
    return values.pop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--beat-n", type=int, default=None, help="default: the same N")
    parser.add_argument("--window", type=float, default=300.0, help="seconds (at least 300)")
    parser.add_argument("--hanging", type=int, default=13, help="endpoints that never answer")
    parser.add_argument("--db-name", default=BENCH_DB)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=deployed_concurrency(),
        help="worker processes; default: what docker-compose.yml and the Procfile deploy",
    )
    parser.add_argument("--skip-beat", action="store_true")
    args = parser.parse_args()
    args.beat_n = args.beat_n or args.n

    env = prepare_environment(args)
    procs = Processes(env, Path(env["_LOGS"]))
    procs.start(
        "redis",
        [
            "redis-server",
            "--port",
            env["_REDIS_PORT"],
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
    )
    time.sleep(0.5)
    try:
        setup_django(env)
        push = PushStandIn()
        ours = run_ours(args, env, procs, push)
        RESULTS.mkdir(parents=True, exist_ok=True)
        partial = RESULTS / f"reminders-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-ours.json"
        partial.write_text(json.dumps({"ours": ours, "args": vars(args)}, indent=2))
        report(ours, None)
        beat = None if args.skip_beat else run_beat(args, env, procs)
    finally:
        procs.stop_all()
    report(ours, beat)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"reminders-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps({"ours": ours, "celery_beat": beat, "args": vars(args)}, indent=2))
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
