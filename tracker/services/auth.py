"""Signing in: API tokens, the client address sign-ins are counted under, the lock-out's length.

django-axes (settings, "Signing in") counts failed sign-ins per username and client address
together on every way in — the sign-in page, /admin/login/ and POST /api/v1/auth/token/ — and
refuses a locked pair before the password is checked. API tokens are django-rest-knox's: stored
as a hash, with an idle and an absolute expiry, revoked by logging out or a password change.
"""

import ipaddress
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from knox.models import AuthToken
from knox.settings import knox_settings

from tracker.models import User


class LoginThrottled(Exception):
    def __init__(self, wait_seconds: int) -> None:
        minutes = max(1, -(-wait_seconds // 60))
        super().__init__(
            ngettext(
                "Too many failed sign-ins. Please wait %(minutes)d minute and try again.",
                "Too many failed sign-ins. Please wait %(minutes)d minutes and try again.",
                minutes,
            )
            % {"minutes": minutes}
        )
        self.wait_seconds = wait_seconds


def lockout_seconds() -> int:
    """How long a lock lasts from the answer that reports it (each refused try restarts it)."""
    return int(get_cool_off().total_seconds())


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The username failures are counted under: case and surrounding spaces do not matter, so
    'PAT ' and 'pat' share one counter."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        username = data.get("username") if hasattr(data, "get") else None
    return username.strip().lower() if isinstance(username, str) else None


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str | None:
    """The address that sent the request. X-Forwarded-For is believed only from a trusted proxy
    (TRUSTED_PROXIES): walking it from the right, the first address that is not a trusted proxy
    is the client. From anyone else only the connection's own address counts."""
    address = _ip(request.META.get("REMOTE_ADDR", ""))  # None: in-process, or a unix socket
    if address is None or not _trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _trusted(hop):
            # Garbage from beyond the proxy: count the proxy's own address.
            return _ip(hop) or address
    return address


def auth_token_obtain(
    *, request: HttpRequest, username: str, password: str
) -> tuple[AuthToken, str]:
    """A new token for the right password; (the stored token, the token to hand out once)."""
    user: User | None = authenticate(request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise LoginThrottled(lockout_seconds())
        raise ValidationError(_("Unable to sign in with that username and password."))
    # As a session sign-in does: last_login is set and axes clears this pair's failures.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return _token_issue(user=user)


def _token_issue(*, user: User) -> tuple[AuthToken, str]:
    # Expired tokens go; past the per-user limit the oldest go, so devices never pile up.
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit:
        keep = AuthToken.objects.filter(user=user).order_by("-created")[: limit - 1]
        AuthToken.objects.filter(user=user).exclude(
            pk__in=list(keep.values_list("pk", flat=True))
        ).delete()
    issued: tuple[AuthToken, str] = AuthToken.objects.create(user=user)
    return issued


def login_attempts_forget(*, username: str) -> None:
    """Failed sign-ins recorded under this username (django-axes keeps them for the cool-off):
    gone with an erased account, like everything else that names the person."""
    AccessAttempt.objects.filter(username=login_username(None, {"username": username})).delete()


def auth_token_revoke(*, token: AuthToken) -> None:
    token.delete()


def auth_tokens_revoke_all(*, user: User) -> int:
    deleted: int = AuthToken.objects.filter(user=user).delete()[0]
    return deleted
