"""docker-compose.yml cannot run here (no Docker engine), so check what it would run."""

import importlib
import re
import shlex
from pathlib import Path

import pytest
import yaml

from tracker import env

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["web", "worker", "beat"]


def command_words(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    words = shlex.split(command if isinstance(command, str) else " ".join(command))
    if words[:2] == ["sh", "-c"]:
        return shlex.split(words[2])
    return words


def test_compose_has_every_service_the_product_needs():
    assert set(SERVICES) >= {"web", "worker", "beat", "db", "redis"}
    for name in ["web", "worker", "db", "redis"]:
        assert "healthcheck" in SERVICES[name], name
    assert {"pg-data", "redis-data"} <= set(COMPOSE["volumes"])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_run_in_production_mode_against_db_and_redis(service):
    environment = SERVICES[service]["environment"]
    assert environment["APP_ENV"] == "production"
    # Compose substitutes ${VAR}; what remains must be a URL our settings accept.
    database = re.sub(r"\$\{[^}]+\}", "secret", environment["DATABASE_URL"])
    monkey = {"DATABASE_URL": database, "REDIS_URL": environment["REDIS_URL"]}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in monkey.items():
            patch.setenv(key, value)
        assert env.read_database("DATABASE_URL", "")["ENGINE"].endswith("postgresql")
        assert env.read_broker_url("REDIS_URL", "").startswith("redis://redis:")
    assert set(SERVICES[service]["depends_on"]) == {"db", "redis"}


def test_web_runs_migrations_then_gunicorn_on_the_real_wsgi_app():
    words = command_words("web")
    assert "migrate" in words
    target = words[words.index("gunicorn") + 1]
    module, attribute = target.split(":")
    assert callable(getattr(importlib.import_module(module), attribute))


@pytest.mark.parametrize(("service", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_celery_services_point_at_the_real_celery_app(service, subcommand):
    words = command_words(service)
    assert words[:3] == ["celery", "-A", "tracker"]
    assert words[3] == subcommand
    module = importlib.import_module(words[2])
    assert module.celery_app.main == "tracker"


def test_dockerfile_installs_the_pinned_requirements():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --require-hashes -r requirements.txt" in dockerfile
    declared = (ROOT / "requirements.in").read_text()
    for package in ["gunicorn==", "celery[redis]==", "psycopg[binary]=="]:
        assert package in declared
    # The lock (extras resolved into packages of their own), each with its hashes.
    locked = (ROOT / "requirements.txt").read_text()
    for package in ["gunicorn==", "celery==", "redis==", "psycopg==", "psycopg-binary=="]:
        assert f"\n{package}" in locked


def test_procfile_starts_web_worker_and_beat():
    processes = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert set(processes) == {"web", "worker", "beat"}
    assert "celery -A tracker worker" in processes["worker"]
    assert "celery -A tracker beat" in processes["beat"]


def _published(service: str) -> list[str]:
    return [str(port) for port in SERVICES[service].get("ports", [])]


def test_gunicorn_is_published_to_the_host_s_loopback_only():
    # Django trusts X-Forwarded-Proto in production: whoever reaches gunicorn directly could
    # claim HTTPS. Only the TLS proxy on the host may reach it.
    assert _published("web"), "the proxy needs a port to reach"
    for port in _published("web"):
        assert port.startswith("127.0.0.1:"), port


@pytest.mark.parametrize("service", ["worker", "beat", "db", "redis"])
def test_no_other_service_is_published(service):
    assert _published(service) == []
