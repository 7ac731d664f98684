"""Reminders at scale: our dispatcher + outbox against one django-celery-beat PeriodicTask per
patient, on PostgreSQL and Redis, each for the same window. Run by hand, not by the tests:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rehab .venv/bin/python bench/reminders.py

It uses its own database (rehab_bench, dropped and re-created) and its own redis-server on a
free port, so nothing else on the machine is disturbed. N stand-up schedules (35-minute
interval, due times spread evenly) each with one push subscription pointing at a local push
stand-in; the dispatcher ticks every 15 s (as beat would run it) and one Celery worker sends.
Prints due vs sent, duplicates, lateness (due -> sent) p50/p95/p99/max, the dispatcher's time
per tick and CPU seconds, then the same for django-celery-beat, side by side; writes JSON to
bench/results/.
"""

import argparse
import json
import os
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
BENCH_DB = "rehab_bench"


# --- The task django-celery-beat runs for each patient (imported by the bench's worker) --------


@shared_task(name="bench.beat_stand_up", ignore_result=True)
def beat_stand_up(patient: int) -> None:
    # Only records when it ran: the comparison is about scheduling, so the alternative is spared
    # the cost of actually sending (which favours it).
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.REDIS_URL).rpush("bench:beat", f"{patient} {time.time()}")


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
    bench_url = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    admin = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    admin += ["-U", parts.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", "--force", *admin, BENCH_DB], check=True)
    subprocess.run(["createdb", *admin, BENCH_DB], check=True)
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
        "VAR_DIR": str(ROOT / "var" / "bench"),
        "PYTHONPATH": str(ROOT),
        "VAPID_PUBLIC_KEY": vapid["public_key"],
        "VAPID_PRIVATE_KEY": vapid["private_key"],
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


def seed_patients(n: int, start: datetime, push_url: str) -> None:
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
                    endpoint=f"{push_url}/push/{i}",
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


def run_ours(args, env: dict, procs: Processes, push: PushStandIn) -> dict:
    from reminders import services
    from reminders.models import Delivery, InboxMessage, Status

    print(f"[ours] seeding {args.n:,} stand-up schedules …", flush=True)
    seeded = time.monotonic()
    start = datetime.now(UTC) + timedelta(seconds=30 + args.n / 4000)
    seed_patients(args.n, start, push.url)
    print(f"[ours] seeded in {time.monotonic() - seeded:.0f}s", flush=True)
    logs = Path(env["_LOGS"])
    procs.start(
        "ours-worker",
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
            "--hostname=ours@%h",
        ],
    )
    wait_for_log(logs / "ours-worker.log", " ready.", 60)
    while datetime.now(UTC) < start:
        time.sleep(0.2)
    window_end = start + timedelta(minutes=args.minutes)
    ticks, tick_cpu, sweep_times = [], [], []
    print(f"[ours] dispatching every 15 s for {args.minutes} min …", flush=True)
    # Ticks until one starts after the window, so everything due inside it has been claimed.
    while True:
        last = datetime.now(UTC) > window_end
        tick_started = time.monotonic()
        cpu_started = time.thread_time()
        services.reminders_dispatch(time_budget_seconds=12)
        ticks.append(time.monotonic() - tick_started)
        tick_cpu.append(time.thread_time() - cpu_started)
        swept = time.monotonic()
        services.deliveries_sweep()
        sweep_times.append(time.monotonic() - swept)
        if last:
            break
        time.sleep(max(0.0, 15 - (time.monotonic() - tick_started)))
    # Reminders due inside the window, and a grace minute for the last tick's sends.
    deadline = time.monotonic() + 60
    due_rows = Delivery.objects.filter(due_at__lte=window_end, channel="push")
    while time.monotonic() < deadline and due_rows.filter(status=Status.PENDING).exists():
        services.deliveries_sweep()
        time.sleep(2)
    worker_cpu = procs.stop("ours-worker")

    spacing = INTERVAL / args.n
    expected_due = min(args.n, int((window_end - start) / spacing) + 1)
    written = due_rows.count()
    sent = due_rows.filter(status=Status.SENT)
    lateness = [
        (sent_at - due_at).total_seconds()
        for due_at, sent_at in sent.values_list("due_at", "sent_at").iterator(chunk_size=5000)
    ]
    requests_per_endpoint = push.counts.copy()
    duplicates = sum(count - 1 for count in requests_per_endpoint.values() if count > 1)
    return {
        "n": args.n,
        "window_seconds": (window_end - start).total_seconds(),
        "due": expected_due,
        "outbox_rows_written": written,
        "sent": len(lateness),
        "not_sent": dict(
            Counter(due_rows.exclude(status=Status.SENT).values_list("status", flat=True))
        ),
        "duplicates_at_push_service": duplicates,
        "duplicate_outbox_rows": written
        - due_rows.values("schedule_id", "due_at").distinct().count(),
        "lateness_seconds": lateness_summary(lateness),
        "dispatcher_tick_seconds": {
            "mean": statistics.fmean(ticks),
            "max": max(ticks),
            "ticks": len(ticks),
        },
        "dispatcher_cpu_seconds": sum(tick_cpu),
        "sweeper_tick_seconds_max": max(sweep_times),
        "worker_cpu_seconds": worker_cpu,
        # Written by the dispatcher with each reminder, the last tick's included.
        "inbox_messages_written": InboxMessage.objects.count(),
        "attempts_over_1": Delivery.objects.filter(attempts__gt=1).count(),
    }


# --- The alternative: django-celery-beat, one PeriodicTask per patient ---------------------------


def run_beat(args, env: dict, procs: Processes) -> dict:
    import redis
    from django.conf import settings
    from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

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
    window_end = start + timedelta(minutes=args.minutes)
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
    rows = [
        ("patients (N)", ours["n"], beat and beat["n"]),
        ("reminders due in window", ours["due"], beat and beat["due"]),
        ("sent", ours["sent"], beat and beat["sent"]),
        ("duplicates", ours["duplicates_at_push_service"], beat and beat["duplicates"]),
        (
            "lateness p50 (s)",
            ours["lateness_seconds"]["p50"],
            beat and beat["lateness_seconds"]["p50"],
        ),
        (
            "lateness p95 (s)",
            ours["lateness_seconds"]["p95"],
            beat and beat["lateness_seconds"]["p95"],
        ),
        (
            "lateness p99 (s)",
            ours["lateness_seconds"]["p99"],
            beat and beat["lateness_seconds"]["p99"],
        ),
        (
            "lateness max (s)",
            ours["lateness_seconds"]["max"],
            beat and beat["lateness_seconds"]["max"],
        ),
        ("scheduler CPU (s)", ours["dispatcher_cpu_seconds"], beat and beat["beat_cpu_seconds"]),
        ("worker CPU (s)", ours["worker_cpu_seconds"], beat and beat["worker_cpu_seconds"]),
    ]
    print()
    print(f"{'':28} {'dispatcher+outbox':>18} {'celery-beat':>14} {'beat/ours':>10}")
    for label, mine, theirs in rows:
        ratio = ""
        if isinstance(mine, int | float) and isinstance(theirs, int | float) and mine:
            ratio = f"{theirs / mine:,.2f}×"
        print(f"{label:28} {fmt(mine):>18} {fmt(theirs):>14} {ratio:>10}")
    ticks = ours["dispatcher_tick_seconds"]
    print(
        f"\ndispatcher: {ticks['ticks']} ticks, {ticks['mean']:.3f}s mean, {ticks['max']:.3f}s max "
        f"per tick; outbox rows not sent: {ours['not_sent'] or 'none'}; duplicate outbox rows: "
        f"{ours['duplicate_outbox_rows']}"
    )
    if beat:
        first = fmt(beat["beat_first_task_after_seconds"])
        missing = beat["due"] - beat["sent"]
        print(
            f"celery-beat: first task ran {first}s after launch; {missing:,} due reminders had not "
            "run 60 s after the window (its lateness figures cover only the ones that ran)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--beat-n", type=int, default=None, help="default: the same N")
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=4)
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
