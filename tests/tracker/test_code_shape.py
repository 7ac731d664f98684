"""The shape the house style asks of the code: modules a reader can hold (~400 lines at most),
the lower layers not importing tracker, and the type checker strict where the domain lives."""

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("tracker", "exercises", "reminders")
MAX_LINES = 400


def _modules(app: str) -> list[Path]:
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def test_no_module_of_the_product_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for app in APPS
        for path in _modules(app)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


@pytest.mark.parametrize("app", ["exercises", "reminders"])
def test_the_lower_layers_never_import_tracker(app):
    importing = set()
    for path in _modules(app):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(name == "tracker" or name.startswith("tracker.") for name in names):
                importing.add(str(path.relative_to(ROOT)))
    assert importing == set()


def _mypy() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]


def test_mypy_checks_the_three_apps_with_the_django_and_drf_plugins():
    config = _mypy()
    assert config["files"] == list(APPS)
    assert config["plugins"] == ["mypy_django_plugin.main", "mypy_drf_plugin.main"]
    assert config["check_untyped_defs"] and config["no_implicit_optional"]


def test_mypy_is_strict_on_services_selectors_rules_and_tasks():
    strict = next(o for o in _mypy()["overrides"] if o.get("disallow_untyped_defs"))
    for flag in ("disallow_incomplete_defs", "disallow_untyped_calls", "warn_return_any"):
        assert strict[flag] is True, flag
    assert {
        "tracker.services.*",
        "tracker.selectors.*",
        "tracker.rules.*",
        "tracker.tasks",
        "exercises.services.*",
        "reminders.services.*",
        "reminders.selectors",
        "reminders.tasks",
    } <= set(strict["module"])
    # Each named module exists, so a rename cannot leave it unchecked by accident.
    for module in strict["module"]:
        path = ROOT / module.removesuffix(".*").replace(".", "/")
        assert path.is_dir() or path.with_suffix(".py").is_file(), module


def test_ci_and_make_run_the_type_checker():
    assert "$PY -m mypy" in (ROOT / ".ci/run").read_text()
    assert "typecheck:" in (ROOT / "Makefile").read_text()


@pytest.mark.parametrize(
    ("definition", "owner"),
    [
        ("MAX_BACKDATE_DAYS =", "tracker/patient_calendar.py"),
        ("def local_today(", "tracker/patient_calendar.py"),
        ("def is_english(", "reminders/languages.py"),
        ("def language_code(", "reminders/languages.py"),
        ("SEVERITY_RANK: ", "tracker/rules/catalogue.py"),
        ("THEN {int(rank)}", "tracker/selectors/__init__.py"),  # SEVERITY_RANK in SQL
    ],
)
def test_each_shared_concept_is_written_once_in_the_module_that_owns_it(definition, owner):
    defined_in = sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in _modules(app)
        if definition in path.read_text(encoding="utf-8")
    )
    assert defined_in == [owner]


def test_no_module_picks_the_language_by_hand():
    by_hand = sorted(
        str(path.relative_to(ROOT))
        for app in APPS
        for path in _modules(app)
        if 'startswith("en")' in (text := path.read_text(encoding="utf-8"))
        or "startswith('en')" in text
        # The code for translation.override is language_code's to give.
        or re.search(r"is_english\([^)]*\) else \"zh", text)
    )
    assert set(by_hand) <= {"reminders/languages.py"}  # only the owner


def _function_lines(path: str, name: str) -> int:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)
    assert node.end_lineno is not None
    return node.end_lineno - node.lineno + 1


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("tracker/services/assignments.py", "assignment_change"),  # 116 lines before issue 14
        ("tracker/services/flags.py", "flags_evaluate_for_checkin"),  # 91 before
    ],
)
def test_the_long_services_read_as_steps(path, name):
    assert _function_lines(path, name) <= 50


def test_the_big_modules_were_split_along_what_they_hold():
    # issue 14: views/patient.py, serializers.py, selectors/patient_app.py and rules.py were one
    # module each; the adherence and export logic of selectors/__init__.py has its own modules.
    for module in ("views/patient", "serializers", "selectors/patient_app", "rules"):
        assert not (ROOT / "tracker" / f"{module}.py").exists(), module
    for package in ("serializers", "selectors/patient_app", "rules"):
        assert (ROOT / "tracker" / package / "__init__.py").is_file(), package
    selectors = (ROOT / "tracker/selectors/__init__.py").read_text(encoding="utf-8")
    assert "def patient_adherence(" not in selectors and "def patient_export(" not in selectors
    assert "def patient_adherence(" in (ROOT / "tracker/selectors/adherence.py").read_text()
    assert "def patient_export(" in (ROOT / "tracker/selectors/export.py").read_text()


def test_checkin_record_is_gone():
    assert not [
        path
        for app in APPS
        for path in _modules(app)
        if "def checkin_record(" in path.read_text(encoding="utf-8")
    ]
