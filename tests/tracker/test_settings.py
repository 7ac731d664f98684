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


def _print_settings(tmp_path, env, *names):
    code = "import django; django.setup(); from django.conf import settings as s; " + "; ".join(
        f"print(repr(getattr(s, {name!r}, None)))" for name in names
    )
    result = run_django(tmp_path, env, "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_x_forwarded_proto_is_trusted_only_where_the_operator_says(tmp_path):
    [trusted] = _print_settings(tmp_path, PRODUCTION, "SECURE_PROXY_SSL_HEADER")
    [direct] = _print_settings(
        tmp_path, {**PRODUCTION, "TRUST_X_FORWARDED_PROTO": "false"}, "SECURE_PROXY_SSL_HEADER"
    )
    [local] = _print_settings(tmp_path, {}, "SECURE_PROXY_SSL_HEADER")

    assert trusted == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert direct == local == "None"


def test_sign_in_and_session_limits_come_from_the_environment(tmp_path):
    values = _print_settings(
        tmp_path,
        {
            "TRUSTED_PROXIES": "10.0.0.2,172.18.0.0/16",
            "LOGIN_FAILURE_LIMIT": "3",
            "LOGIN_LOCKOUT_MINUTES": "30",
            "STAFF_SESSION_IDLE_MINUTES": "10",
            "API_TOKEN_IDLE_HOURS": "24",
            "API_TOKEN_MAX_DAYS": "7",
        },
        "TRUSTED_PROXIES",
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        "STAFF_SESSION_IDLE_MINUTES",
        "REST_KNOX",
    )

    assert values[0] == "['10.0.0.2', '172.18.0.0/16']"
    assert values[1:4] == ["3", "datetime.timedelta(seconds=1800)", "10"]
    assert "'TOKEN_TTL': datetime.timedelta(days=1)" in values[4]
    assert "'AUTO_REFRESH_MAX_TTL': datetime.timedelta(days=7)" in values[4]


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.local", "10.0.0.0/33"])
def test_a_trusted_proxy_that_is_no_address_stops_start_up(tmp_path, value):
    result = run_django(tmp_path, {"TRUSTED_PROXIES": value})

    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr
