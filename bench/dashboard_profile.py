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

--steps prints, instead of the --top functions, the cumulative CPU milliseconds per request
under cProfile of the functions that make each step of a page (STEPS: they overlap, e.g. SQL is
inside the selectors and translation inside rendering; a function that does not exist in the
tree being measured is left out), so a change can be read step by step.
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

# (step, "module:function") for --steps; cumulative time, so the steps overlap.
STEPS = [
    ("request, whole", "django.core.handlers.base:BaseHandler.get_response"),
    ("session and user", "django.contrib.auth.middleware:get_user"),
    ("view", "tracker.views.dashboard:caseload"),
    ("  filter options (2 queries)", "tracker.selectors.dashboard:caseload_filter_options"),
    ("  filter form", "tracker.views.dashboard:CaseloadFilterForm.__init__"),
    ("  filter form validation", "django.forms.forms:BaseForm.full_clean"),
    ("  count", "tracker.selectors.dashboard:CaseloadPaginator.count"),
    ("  page's patients (query)", "django.db.models.query:QuerySet._fetch_all"),
    ("  rows' data (selector)", "tracker.selectors.caseload_rows:caseload_rows"),
    ("  rows' data (selector)", "tracker.selectors.dashboard:caseload_rows"),  # before the split
    ("    adherence", "tracker.selectors.adherence:adherence_last_7_by_patient"),
    ("    sparklines (data)", "tracker.charts:sparkline"),
    ("    flag chips", "tracker.selectors.caseload_rows:flag_chip"),
    ("    flag chips", "tracker.selectors.dashboard:flag_chip"),
    ("  audit of the reads", "tracker.services.audit:audit_record_reads"),
    ("  unread messages per row", "tracker.selectors.messages:messages_unread_by_patient"),
    ("  header and rows' unread", "tracker.selectors.messages:caseload_unread_counts"),
    ("rendering (templates)", "django.template.base:Template.render"),
    ("  rows' HTML", "tracker.templatetags.caseload:caseload_rows_html"),
    ("    sparklines (SVG)", "tracker.templatetags.dashboard:sparkline"),
    ("    sparklines (SVG)", "tracker.templatetags.dashboard:sparkline_markup"),
    ("    reverse()", "django.urls.base:reverse"),
    ("  filter form widgets", "django.forms.boundfield:BoundField.__str__"),
    ("  filter form widgets", "tracker.templatetags.caseload:filter_select"),
    ("  filter form widgets", "tracker.templatetags.caseload:filter_checkbox"),
    ("  header unread counts", "tracker.selectors.messages:staff_unread_counts"),
    ("translation (gettext)", "django.utils.translation.trans_real:gettext"),
    ("translation (ngettext)", "django.utils.translation.trans_real:ngettext"),
    ("SQL execute", "django.db.backends.utils:CursorWrapper._execute"),
    ("gzip", "django.middleware.gzip:GZipMiddleware.process_response"),
]


def step_keys() -> list[tuple[str, tuple]]:
    """STEPS as pstats keys, leaving out what the tree does not have."""
    import importlib
    import inspect

    found = []
    for label, where in STEPS:
        module_name, _, qualname = where.partition(":")
        try:
            target = importlib.import_module(module_name)
            for part in qualname.split("."):
                target = getattr(target, part)
        except (ImportError, AttributeError):
            continue
        target = inspect.unwrap(getattr(target, "fget", target))
        if isinstance(target, property):
            target = target.fget
        func = getattr(target, "func", target)  # cached_property
        code = func.__code__
        found.append((label, (code.co_filename, code.co_firstlineno, code.co_name)))
    return found


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
    parser.add_argument("--steps", action="store_true", help="a table of STEPS, not --top")
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
        if args.steps:
            stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
            steps: dict[str, list[float]] = {}  # label: [ms, calls] (a label's functions added up)
            for label, key in step_keys():
                if key in stats:
                    step = steps.setdefault(label, [0.0, 0.0])
                    step[0] += 1000 * stats[key][3] / args.runs
                    step[1] += stats[key][1] / args.runs
            for label, (ms, calls) in steps.items():
                print(f"  {label:<34} {ms:7.2f} ms  ({calls:g} calls)")
            continue
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
