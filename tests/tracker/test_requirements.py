"""The dependency files: runtime and development apart, both locked with hashes, the production
image on the runtime lock only, and every package the code imports declared by name."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"tracker", "exercises", "reminders", "tests", "bench", "scripts", "manage"}
# Tools for tests, checks, running locally and the benchmarks: never in the production image.
DEV_ONLY = {
    "pytest",
    "pytest-django",
    "pytest-xdist",
    "factory-boy",
    "time-machine",
    "schemathesis",
    "hypothesis",
    "ruff",
    "mypy",
    "django-stubs",
    "django-stubs-ext",
    "djangorestframework-stubs",
    "celery-types",
    "types-pyyaml",
    "playwright",
    "honcho",
    "django-celery-beat",
    "pip-tools",
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(path: Path) -> dict[str, str]:
    """name -> version of each `name==version` line (extras dropped), continuation lines too."""
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            pins[_normal(match.group(1))] = match.group(3)
    return pins


RUNTIME_IN = _requirements(ROOT / "requirements.in")
DEV_IN = _requirements(ROOT / "requirements-dev.in")
RUNTIME_LOCK = _requirements(ROOT / "requirements.txt")
DEV_LOCK = _requirements(ROOT / "requirements-dev.txt")


def test_no_development_tool_is_in_the_runtime_lock():
    assert RUNTIME_LOCK, "requirements.txt pins nothing"
    assert not DEV_ONLY & set(RUNTIME_LOCK), sorted(DEV_ONLY & set(RUNTIME_LOCK))
    assert not DEV_ONLY & set(RUNTIME_IN)
    assert DEV_ONLY - {"pip-tools"} <= set(DEV_IN)


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_each_lock_pins_every_package_with_hashes(lock):
    text = (ROOT / lock).read_text()
    assert "pip-compile --generate-hashes" in text
    entries: dict[str, list[str]] = {}
    for line in text.splitlines():
        if re.match(r"^[A-Za-z0-9]", line):
            current = entries.setdefault(line.split()[0], [])
        elif line.strip().startswith("--hash=sha256:"):
            current.append(line)
    assert entries
    for requirement, hashes in entries.items():
        assert "==" in requirement, requirement
        assert hashes, f"{lock}: {requirement} has no hash"


def test_the_locks_hold_what_the_in_files_pin():
    for name, version in RUNTIME_IN.items():
        assert RUNTIME_LOCK.get(name) == version, name
    for name, version in DEV_IN.items():
        assert DEV_LOCK.get(name) == version, name
    # The dev lock is constrained by the runtime one: a package in both has one version.
    assert "-c requirements.txt" in (ROOT / "requirements-dev.in").read_text()
    for name in set(RUNTIME_LOCK) & set(DEV_LOCK):
        assert RUNTIME_LOCK[name] == DEV_LOCK[name], name


def test_the_production_image_installs_the_runtime_lock_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert installs == ["RUN pip install --no-cache-dir --require-hashes -r requirements.txt"], (
        installs
    )
    assert "requirements-dev" not in dockerfile


def test_make_installs_both_locks_and_reinstalls_when_either_changes():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(VENV)/.installed: requirements.txt requirements-dev.txt\n" in makefile
    assert "--require-hashes -r requirements.txt -r requirements-dev.txt" in makefile


def _imported_top_levels(folders: list[str]) -> set[str]:
    names = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - OURS


def _declared_for(import_names: set[str], declared: set[str]) -> list[str]:
    distributions = packages_distributions()
    missing = []
    for name in sorted(import_names):
        dists = {_normal(d) for d in distributions.get(name, [])}
        if not dists:
            missing.append(f"{name} (not installed)")
        elif not dists & declared:
            missing.append(f"{name} (from {', '.join(sorted(dists))})")
    return missing


def test_every_package_the_product_imports_is_declared_in_requirements_in():
    imported = _imported_top_levels(["tracker", "exercises", "reminders"])
    assert {"py_vapid", "http_ece", "urllib3", "cryptography", "yaml"} <= imported
    assert _declared_for(imported, set(RUNTIME_IN)) == []


def test_every_package_the_tests_scripts_and_benchmarks_import_is_declared():
    imported = _imported_top_levels(["tests", "bench", "scripts"])
    assert _declared_for(imported, set(RUNTIME_IN) | set(DEV_IN)) == []
