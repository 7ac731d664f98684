"""Mutation check of the clinical rules' tests: does every threshold change fail a test?

For each constant of tracker/rules/thresholds.py, rewrite its definition to `NAME = ±1 + …`
(aliases of MCID_POINTS follow it), and apply a few one-line changes to the rules and their
callers; run the rules' tests; report the changes no test caught ("survivors").

    .venv/bin/python bench/rules_mutations.py            # every mutant
    .venv/bin/python bench/rules_mutations.py NIGHT      # only names containing NIGHT

Each mutant runs the fast, database-free rule tests first and the database tests only when those
pass. The files are restored after each run (and by `git checkout` if it is interrupted).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = ROOT / "tracker/rules/thresholds.py"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:xdist", "-p", "no:cacheprovider"]
FAST = ["tests/tracker/rules", "tests/tracker/test_rules.py"]
SLOW = [
    "tests/tracker/services/test_flag_guards.py",
    "tests/tracker/services/test_checkin_reminder_skip.py",
    "tests/tracker/services/test_bounded_history.py",
    "tests/tracker/selectors/test_adherence.py",
    "tests/tracker/services/test_flags.py",
]

# (label, file, exact text, replacement): one-line changes the tests must catch.
CODE_MUTANTS = [
    (
        "numbness 3-day window cut to 2 days",
        "tracker/rules/symptoms.py",
        "window = history.last_days(t, NUMBNESS_WINDOW_DAYS)",
        "window = history.last_days(t, 2)",
    ),
    (
        "persistent pain: first 3-day mean replaced by the first day",
        "tracker/rules/symptoms.py",
        "start.on, start.on + timedelta(days=PERSISTENT_PAIN_MEAN_DAYS - 1)",
        "start.on, start.on",
    ),
    (
        "claudication baseline cut from 3 reports to 2",
        "tracker/rules/symptoms.py",
        "baseline_days = reported[:CLAUDICATION_BASELINE_REPORTS]",
        "baseline_days = reported[:2]",
    ),
    (
        "resolved-flag guard removed",
        "tracker/services/flags.py",
        "if day.on <= settled:\n            continue",
        "if day.on <= settled:\n            pass",
    ),
    (
        "today's check-in reminder no longer skipped",
        "tracker/services/checkins.py",
        "                checkin_recorded(user=patient, on=on)",
        "                pass",
    ),
    (
        "adherence: only the current version counts (the old caseload)",
        "tracker/selectors/adherence.py",
        "return next((v for v in versions if v.starts_on <= day), None)",
        "return versions[0] if versions and versions[0].starts_on <= day else None",
    ),
    (
        "adherence: no cap per exercise",
        "tracker/selectors/adherence.py",
        "credited = sum(min(count, -(-owed[ex] // 7)) for ex, count in logged.items())",
        "credited = sum(logged.values())",
    ),
]


def constant_mutants() -> list[tuple[str, str, str, str]]:
    text = THRESHOLDS.read_text()
    found = []
    for match in re.finditer(r"^([A-Z][A-Z0-9_]+) = ", text, flags=re.MULTILINE):
        name = match.group(1)
        for delta in ("1", "-1"):
            found.append(
                (
                    f"{name} {'+' if delta == '1' else ''}{delta}",
                    str(THRESHOLDS.relative_to(ROOT)),
                    # With the newline: NUMBNESS_RISE_POINTS is not PAIN_DOWN_NUMBNESS_RISE_POINTS.
                    "\n" + match.group(0),
                    f"\n{name} = {delta} + ",
                )
            )
    return found


def killed(paths: list[str]) -> bool:
    result = subprocess.run([*PYTEST, *paths], cwd=ROOT, capture_output=True, text=True)
    return result.returncode != 0


def main(pattern: str = "") -> int:
    mutants = [m for m in constant_mutants() + CODE_MUTANTS if pattern.lower() in m[0].lower()]
    survivors = []
    print(f"{'mutant':<62} result")
    for label, relative, old, new in mutants:
        path = ROOT / relative
        original = path.read_text()
        if original.count(old) != 1:
            print(f"{label:<62} NOT APPLIED (text not found once)")
            survivors.append(label)
            continue
        started = time.monotonic()
        try:
            path.write_text(original.replace(old, new, 1))
            by = "fast" if killed(FAST) else "db" if killed(SLOW) else None
        finally:
            path.write_text(original)
        seconds = time.monotonic() - started
        print(
            f"{label:<62} {'killed (' + by + ')' if by else 'SURVIVED'} {seconds:.0f}s", flush=True
        )
        if by is None:
            survivors.append(label)
    caught = len(mutants) - len(survivors)
    print(f"\n{caught} of {len(mutants)} killed; survivors: {survivors or 'none'}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
