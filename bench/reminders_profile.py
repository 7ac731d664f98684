"""Where a reminder's CPU goes, in-process: the dispatcher for N due stand-up schedules, then
their send tasks (batches of REMINDERS_SEND_BATCH_SIZE) through Celery's own task call
(`apply()`, signals and the Django fixup included), against the bench's push stand-in in a
separate process (its CPU is not counted). Run by hand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rehab .venv/bin/python \
        bench/reminders_profile.py --n 2000 --db-name rehab_bench_reminders_profile

It drops and re-creates --db-name. Prints CPU (process_time) per delivery for the dispatcher
and the sends, SQL statements per batch, and the top functions by cumulative and own time
under cProfile (cProfile inflates Python-heavy code: read the shares, not the milliseconds).
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _stand_in() -> tuple[subprocess.Popen, str]:
    code = (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); "
        "from bench.reminders import PushStandIn; "
        "s = PushStandIn(); print(s.url, flush=True); time.sleep(3600)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def _top(profile: cProfile.Profile, key: str, count: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.strip_dirs().sort_stats(key).print_stats(count)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--db-name", default="rehab_bench_reminders_profile")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--posts", type=int, default=400, help="push requests profiled alone")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bench.reminders import INTERVAL, prepare_environment, seed_patients, setup_django

    args.hanging = 0
    env = prepare_environment(args)
    env["CELERY_BROKER_URL"] = "memory://"
    env.pop("BENCH_INSTRUMENT", None)
    stand_in, url = _stand_in()
    try:
        setup_django(env)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from reminders import services
        from reminders.models import Delivery, ReminderSchedule, Status
        from reminders.tasks import deliveries_send_task

        provisional = datetime.now(UTC) + timedelta(days=1)
        seed_patients(args.n, provisional, url)
        # Half of them due now (as in the bench's window, but at once): dispatched without
        # the profiler; then the other half, under it.
        pks = sorted(ReminderSchedule.objects.values_list("pk", flat=True))
        halves = (pks[: len(pks) // 2], pks[len(pks) // 2 :])
        ids: list[int] = []
        dispatch_profile = cProfile.Profile()
        for index, half_pks in enumerate(halves):
            ReminderSchedule.objects.filter(pk__in=half_pks).update(
                next_due_at=datetime.now(UTC) - timedelta(seconds=1)
            )
            if index:
                dispatch_profile.enable()
            cpu = time.process_time()
            result = services.reminders_dispatch(time_budget_seconds=600)
            dispatch_cpu = time.process_time() - cpu
            dispatch_profile.disable()
            ids.extend(result.delivery_ids)
            if not index:
                print(
                    f"dispatcher: {result.schedules} schedules, {result.deliveries} deliveries, "
                    f"{result.batches} batches, "
                    f"{1000 * dispatch_cpu / max(1, result.deliveries):.3f} ms CPU a delivery "
                    "(no profiler)"
                )
        print(_top(dispatch_profile, "cumulative", args.top))
        ids.sort()
        _ = INTERVAL
        profile = cProfile.Profile()
        from django.conf import settings

        size = getattr(settings, "REMINDERS_SEND_BATCH_SIZE", 50)
        batches = [ids[i : i + size] for i in range(0, len(ids), size)]
        # A warm-up batch (imports, the VAPID signature, the HTTP connection), not counted.
        deliveries_send_task.apply(args=(batches.pop(0),))
        counted = sum(len(b) for b in batches)
        half = len(batches) // 2
        cpu = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            for batch in batches[:half]:
                deliveries_send_task.apply(args=(batch,))
        plain_cpu = time.process_time() - cpu
        plain_n = sum(len(b) for b in batches[:half])
        profile.enable()
        for batch in batches[half:]:
            deliveries_send_task.apply(args=(batch,))
        profile.disable()
        sent = Delivery.objects.filter(status=Status.SENT).count()
        print(
            f"sends: {counted} rows in {len(batches)} batches of {size}; "
            f"{1000 * plain_cpu / max(1, plain_n):.3f} ms CPU a delivery (no profiler, "
            f"{plain_n} rows); {len(queries) / max(1, half):.1f} SQL statements a batch; "
            f"{sent} sent"
        )
        print(_top(profile, "cumulative", args.top))
        print(_top(profile, "tottime", args.top))
        # The requests themselves run on the push threads, which cProfile does not see: here
        # the same call (`_post`: endpoint check, VAPID header, encryption, HTTP) on this thread.
        from reminders.channels import push
        from reminders.models import PushSubscription

        sample = list(Delivery.objects.select_related("schedule")[: args.posts])
        subscriptions = {s.user_id: s for s in PushSubscription.objects.all()}
        jobs = [(d, subscriptions[d.user_id], push.payload(d)) for d in sample]
        cpu = time.process_time()
        for delivery, subscription, data in jobs[: len(jobs) // 2]:
            push._post(subscription, delivery, data)
        post_cpu = time.process_time() - cpu
        posts = cProfile.Profile()
        posts.enable()
        for delivery, subscription, data in jobs[len(jobs) // 2 :]:
            push._post(subscription, delivery, data)
        posts.disable()
        print(
            f"one push request (_post, on one thread): "
            f"{1000 * post_cpu / max(1, len(jobs) // 2):.3f} ms CPU (no profiler)"
        )
        print(_top(posts, "cumulative", args.top))
    finally:
        stand_in.terminate()


if __name__ == "__main__":
    main()
