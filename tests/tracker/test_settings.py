"""Settings refuse bad values with a message that names the variable (tracker/env.py)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "rehab.example.org",
    "SITE_URL": "https://rehab.example.org",
    "DATABASE_URL": "postgres://rehab@db:5432/rehab",
    "REDIS_URL": "redis://redis:6379/0",
}


def run_django(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "APP_ENV", "DEBUG"}
    }
    clean.update({"VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "tracker.settings"})
    clean.update(env)
    command = args or ("-c", "import django; django.setup()")
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "mysql://root@localhost/rehab"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://postgres@localhost:5432"}, "names no database"),
        ({"REDIS_URL": "http://localhost:6379"}, "REDIS_URL"),
        ({"EMAIL_URL": "carrier-pigeon://coop"}, "EMAIL_URL"),
        ({"APP_ENV": "staging"}, "APP_ENV='staging' is not one of"),
        ({"DB_CONN_MAX_AGE": "forever"}, "DB_CONN_MAX_AGE='forever' is not a whole number"),
        ({**PRODUCTION, "SECRET_KEY": ""}, "SECRET_KEY is required"),
        ({**PRODUCTION, "SECRET_KEY": "short"}, "SECRET_KEY must be at least 50"),
        ({**PRODUCTION, "SECRET_KEY": "ab" * 40}, "SECRET_KEY must be at least 50"),
        ({**PRODUCTION, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required"),
        ({**PRODUCTION, "DEBUG": "true"}, "DEBUG must be off"),
        ({**PRODUCTION, "SITE_URL": ""}, "SITE_URL is required"),
        ({**PRODUCTION, "SITE_URL": "http://rehab.example.org"}, "SITE_URL='http://rehab"),
        ({**PRODUCTION, "SITE_URL": "https://rehab.example.org/app"}, "no path"),
        ({"SITE_URL": "rehab.example.org"}, "SITE_URL='rehab.example.org' must be"),
    ],
)
def test_bad_setting_stops_start_up_with_a_clear_message(tmp_path, env, named):
    result = run_django(tmp_path, env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_defaults_need_no_services_and_generate_a_local_secret_key(tmp_path):
    result = run_django(
        tmp_path,
        {},
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, len(s.SECRET_KEY))",
    )

    assert result.returncode == 0, result.stderr
    engine, broker, key_length = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert int(key_length) >= 50
    assert (tmp_path / "var" / "secret_key").exists()


def test_local_secret_key_is_kept_between_runs(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECRET_KEY)"
    )
    first = run_django(tmp_path, {}, "-c", code)
    second = run_django(tmp_path, {}, "-c", code)

    assert first.stdout == second.stdout != ""


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = run_django(
        tmp_path, PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
