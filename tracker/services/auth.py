"""Sign-in: API tokens, and the throttle on failed sign-ins shared by the API and the web form.

Failures are counted in the cache per username and per client address in 15-minute windows;
past the limit, further attempts are refused before the password is even checked, so guessing
costs the attacker the rest of the window and the next. The per-address limit is higher
because a clinic's patients may share one address (NAT).
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from rest_framework.authtoken.models import Token

from tracker.models import User

USERNAME_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW_SECONDS = 15 * 60


class LoginThrottled(Exception):
    def __init__(self, wait_seconds: int) -> None:
        super().__init__(f"Too many failed sign-ins; try again in {wait_seconds // 60} minutes.")
        self.wait_seconds = wait_seconds


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "LOGIN_FAILURE_USERNAME_LIMIT", USERNAME_LIMIT),
        getattr(settings, "LOGIN_FAILURE_ADDRESS_LIMIT", ADDRESS_LIMIT),
        getattr(settings, "LOGIN_FAILURE_WINDOW_SECONDS", WINDOW_SECONDS),
    )


def _keys(*, username: str, address: str, bucket: int) -> tuple[str, str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:user:{name}:{bucket}", f"login-fail:addr:{address}:{bucket}"


def _bucket(window: int) -> int:
    # Counters live in fixed windows of the clock (not cache TTLs), so the rule is the same on
    # every cache backend and under a frozen test clock.
    return int(time.time() // window)


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def login_check_throttle(*, username: str, address: str) -> None:
    """Refuse while this or the previous window holds too many failures (so a burst straddling
    a window boundary still locks for at least one full window)."""
    user_limit, address_limit, window = _limits()
    now = _bucket(window)
    current = _keys(username=username, address=address, bucket=now)
    previous = _keys(username=username, address=address, bucket=now - 1)
    counts = cache.get_many([*current, *previous])
    users = counts.get(current[0], 0) + counts.get(previous[0], 0)
    addresses = counts.get(current[1], 0) + counts.get(previous[1], 0)
    if users >= user_limit or addresses >= address_limit:
        raise LoginThrottled(window)


def login_failure_record(*, username: str, address: str) -> None:
    *_, window = _limits()
    for key in _keys(username=username, address=address, bucket=_bucket(window)):
        # add() creates the counter only if absent; incr() is atomic on Redis.
        cache.add(key, 0, timeout=2 * window)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add() and incr()
            cache.set(key, 1, timeout=2 * window)


def login_success_record(*, username: str, address: str) -> None:
    *_, window = _limits()
    now = _bucket(window)
    cache.delete_many(
        [_keys(username=username, address=address, bucket=b)[0] for b in (now, now - 1)]
    )


def auth_token_obtain(*, request: HttpRequest, username: str, password: str) -> Token:
    address = client_address(request)
    login_check_throttle(username=username, address=address)
    user: User | None = authenticate(request, username=username, password=password)
    if user is None:
        login_failure_record(username=username, address=address)
        raise ValidationError("Unable to sign in with that username and password.")
    login_success_record(username=username, address=address)
    token, _ = Token.objects.get_or_create(user=user)
    return token
