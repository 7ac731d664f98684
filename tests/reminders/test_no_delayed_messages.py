"""Guard: no code in the project schedules a Celery task for later (eta / countdown, or
Task.retry and autoretry, which use a countdown). With Redis such messages are redelivered
after the visibility timeout and run twice; reminders wait in the database instead."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "venv", "var", "node_modules", ".git", "staticfiles", "__pycache__"}
FORBIDDEN_KEYWORDS = {"eta", "countdown", "autoretry_for", "retry_backoff", "default_retry_delay"}


def project_files():
    for path in ROOT.rglob("*.py"):
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def delayed_calls(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg in FORBIDDEN_KEYWORDS:
                found.append(f"line {node.lineno}: {keyword.arg}=")
        if isinstance(node.func, ast.Attribute) and node.func.attr == "retry":
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "self":
                found.append(f"line {node.lineno}: self.retry()")
    return found


def test_the_guard_catches_each_form():
    source = (
        "t.apply_async((1,), eta=when)\n"
        "t.apply_async(countdown=60)\n"
        "t.s(1).set(countdown=5)\n"
        "@shared_task(autoretry_for=(E,))\ndef f(self): self.retry(exc=e)\n"
    )
    assert len(delayed_calls(source)) == 5
    assert delayed_calls("t.delay_on_commit(1)\nt.apply_async(expires=15)\n") == []


def test_no_project_code_schedules_a_task_with_eta_or_countdown():
    offenders = {}
    for path in project_files():
        found = delayed_calls(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(ROOT))] = found

    assert offenders == {}
    assert any(path.name == "tasks.py" for path in project_files())
