"""Strict readers for settings taken from the environment.

django-environ parses URLs, but it accepts a misspelt boolean as False and an unknown
URL scheme without complaint. A clinic's deployment must fail at start-up with a message
that names the variable instead, so every read goes through these functions.
"""

import ipaddress
import os
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}
BROKER_SCHEMES = {"redis", "rediss", "filesystem", "memory"}
EMAIL_SCHEMES = {
    "smtp",
    "smtps",
    "smtp+tls",
    "smtp+ssl",
    "consolemail",
    "filemail",
    "memorymail",
    "dummymail",
}


def read_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def read_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of: {', '.join(sorted(_TRUE | _FALSE))}."
    )


def read_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def read_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def read_networks(name: str) -> list[str]:
    """Comma-separated IP addresses or networks (`10.0.0.2`, `172.18.0.0/16`); empty by default."""
    items = read_list(name, [])
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network."
            ) from None
    return items


def read_choice(name: str, default: str, choices: set[str]) -> str:
    value = read_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(sorted(choices))}.")
    return value


def _scheme(name: str, url: str, allowed: set[str]) -> str:
    scheme = urlsplit(url).scheme
    if not scheme or scheme not in allowed:
        raise ImproperlyConfigured(
            f"{name}={url!r} is not a URL this product can use; "
            f"its scheme must be one of: {', '.join(sorted(allowed))}."
        )
    return scheme


def read_database(name: str, default: str) -> dict:
    url = read_str(name, default)
    scheme = _scheme(name, url, DATABASE_SCHEMES)
    config = environ.Env.db_url_config(url)
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={url!r} names no database (add /dbname).")
    return config


def read_broker_url(name: str, default: str) -> str:
    url = read_str(name, default)
    _scheme(name, url, BROKER_SCHEMES)
    if url.startswith(("redis", "rediss")) and not urlsplit(url).hostname:
        raise ImproperlyConfigured(f"{name}={url!r} names no host.")
    return url


def read_email_url(name: str, default: str) -> dict:
    url = read_str(name, default)
    _scheme(name, url, EMAIL_SCHEMES)
    return environ.Env.email_url_config(url)


def read_site_url(name: str, default: str, *, require_https: bool) -> str:
    """The product's public address (scheme and host, no path), for links in e-mails and pushes
    that are opened away from the site."""
    raw = os.environ.get(name, "").strip() or default
    parts = urlsplit(raw)
    allowed = {"https"} if require_https else {"http", "https"}
    if parts.scheme not in allowed or not parts.hostname or parts.path not in ("", "/"):
        raise ImproperlyConfigured(
            f"{name}={raw!r} must be a {' or '.join(sorted(allowed))} URL with a host and no path,"
            " e.g. https://rehab.example.org."
        )
    if parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(f"{name}={raw!r} must not carry a query, fragment or login.")
    return raw.rstrip("/")
