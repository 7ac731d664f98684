"""In-process profile of the caseload and the patient page on a database bench/dashboard.py kept
(--keep-db), for finding where a request's time goes. Run by hand:

    python bench/dashboard_profile.py [--db-name rehab_speedpages_bench] [--runs 30]
                                      [--page caseload_small|caseload_all|patient_365|patient_long]
                                      [--top 40] [--sort tottime|cumulative] [--language zh-hans]
    python bench/dashboard_profile.py --db-name rehab_x --seed    # seed an empty database first

For each page: CPU per request (time.process_time over --runs requests through Django's test
Client, no profiler), SQL statements, bytes raw and gzipped; then the same requests under
cProfile (CPU time), the --top functions by --sort. Same settings as the bench (DEBUG off).

--seed migrates the (empty, existing) database --db-name, loads the catalogue and seeds it as
bench/dashboard.py does with its defaults (2,000 + 10 patients, minutes), writing the seed's
summary to bench/results/dashboard-seed-DBNAME.json; later runs without --seed reuse it (and
fall back to dashboard-seed.json, the file bench/dashboard.py writes for the database it kept).
"""

import argparse
import cProfile
import gzip
import io
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-name", default="rehab_speedpages_bench")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--page", action="append", default=[])
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--language", default="zh-hans")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--seed", action="store_true", help="migrate and seed --db-name first")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.dashboard import bench_environment

    bench_environment(f"postgres://postgres@127.0.0.1:5432/{args.db_name}")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tracker.models import User

    results = ROOT / "bench" / "results"
    seed_file = results / f"dashboard-seed-{args.db_name}.json"
    if args.seed:
        import random

        from django.core.management import call_command

        from bench.dashboard_seed import seed

        call_command("migrate", verbosity=0)
        call_command("load_catalogue", verbosity=0)
        data = seed(
            patients=2000,
            days=365,
            small=500,
            long_patients=10,
            long_days=1000,
            evaluate=20,
            rng=random.Random(20260310),
        )
        results.mkdir(parents=True, exist_ok=True)
        seed_file.write_text(json.dumps(data, indent=2) + "\n")
    if not seed_file.exists():
        seed_file = results / "dashboard-seed.json"
    data = json.loads(seed_file.read_text())
    users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
    pages = {
        "caseload_small": ("small", ["/therapist/"]),
        "caseload_all": ("all", ["/therapist/"]),
        "patient_365": (
            "small",
            [f"/therapist/patients/{users[n].public_id}/?range=365" for n in data["patients"][:10]],
        ),
        "patient_long": (
            "long",
            [
                f"/therapist/patients/{users[n].public_id}/?range=365"
                for n in data["long_patients"][:10]
            ],
        ),
    }
    for name in args.page or list(pages):
        who, paths = pages[name]
        client = Client(HTTP_ACCEPT_LANGUAGE=args.language)
        client.force_login(users[f"bench_therapist_{who}"])
        for path in paths[:3]:
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as captured:
            plain = client.get(paths[0])
        queries = len(captured)  # before the next request resets the connection's log
        if args.show_sql:
            for query in captured.captured_queries:
                print("   ", query["sql"][:300])
        raw = len(plain.content)
        zipped = len(gzip.compress(plain.content, 6))
        samples = []
        for n in range(args.runs):
            started = time.process_time()
            client.get(paths[n % len(paths)])
            samples.append(1000 * (time.process_time() - started))
        samples.sort()
        cpu = sum(samples) / len(samples)
        print(
            f"{name}: {cpu:.1f} ms CPU a request (min {samples[0]:.1f}, median"
            f" {samples[len(samples) // 2]:.1f}; this process, SQL client side included),"
            f" {queries} queries, {raw:,} bytes raw, {zipped:,} gzipped",
            flush=True,
        )
        if args.no_profile:
            continue
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on SQL
        profiler.enable()
        for n in range(args.runs):
            client.get(paths[n % len(paths)])
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
