"""Which push endpoints the server may connect to (issue 15: no SSRF through a subscription).

A browser's PushSubscription names a URL of its push service; the worker later POSTs to it. A
signed-in user could register any URL, so an endpoint must be on a known push service:

- at registration (`endpoint_check`): https, no user-info, the default port, a host on the
  allow-list `PUSH_SERVICE_HOSTS`; an IP literal, `localhost` or anything else is refused;
- at send time (`guarded_pool_manager`): the same check again (rows may predate a change of the
  list), then the host is resolved and the connection goes to a checked address only: a
  private, loopback, link-local, shared or reserved address is refused before any packet is
  sent (DNS may have changed since registration; the address connected to is the one checked).

Allow-list entries: `host` (exact), `*.example.com` (any sub-domain), optionally with a port
(`host:8443`, `host:*`) and an `http://` prefix for plain HTTP. A private address is reachable
only when an entry names that very IP literal: the tests' local push stand-in is listed as
`http://127.0.0.1:*` by the test settings, never by a default or a test-mode switch.
"""

import ipaddress
import socket
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection


class EndpointRefused(ValueError):
    """This URL is not a push service the server will connect to."""


@dataclass(frozen=True)
class _Entry:
    scheme: str
    host: str  # lower case; "*.x.y" matches sub-domains of x.y
    port: int | None  # None: any port

    def matches(self, scheme: str, host: str, port: int) -> bool:
        if scheme != self.scheme or (self.port is not None and port != self.port):
            return False
        if self.host.startswith("*."):
            return host.endswith(self.host[1:])
        return host == self.host


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@cache
def _parse_entries(entries: tuple[str, ...]) -> tuple[_Entry, ...]:
    parsed = []
    for raw in entries:
        text = raw.strip().lower()
        if not text:
            continue
        scheme = "https"
        if "://" in text:
            scheme, text = text.split("://", 1)
        if scheme not in ("https", "http"):
            raise ImproperlyConfigured(f"PUSH_SERVICE_HOSTS: {raw!r} is not http(s)")
        host, port_text = text, ""
        if text.startswith("[") and "]" in text:  # [::1]:port
            host, _, rest = text[1:].partition("]")
            port_text = rest.lstrip(":")
        elif text.count(":") == 1:
            host, port_text = text.split(":")
        if port_text == "*":
            port = None
        elif port_text.isdigit():
            port = int(port_text)
        elif port_text:
            raise ImproperlyConfigured(f"PUSH_SERVICE_HOSTS: bad port in {raw!r}")
        else:
            port = 443 if scheme == "https" else 80
        parsed.append(_Entry(scheme=scheme, host=host.rstrip("."), port=port))
    return tuple(parsed)


def allowed_entries() -> tuple[_Entry, ...]:
    # The default names the browsers' push services (tracker/settings.py).
    return _parse_entries(tuple(settings.PUSH_SERVICE_HOSTS))


def _listed_ips() -> set:
    return {ip for entry in allowed_entries() if (ip := _ip(entry.host)) is not None}


def endpoint_check(url: str) -> None:
    """Raise EndpointRefused unless `url` is on a listed push service. No DNS lookup here (the
    worker resolves and checks the address before it connects)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise EndpointRefused(_("This is not a valid URL.")) from error
    scheme, host = parts.scheme.lower(), (parts.hostname or "").rstrip(".")
    if scheme not in ("https", "http") or not host:
        raise EndpointRefused(_("A push endpoint must be an https URL."))
    if parts.username is not None or parts.password is not None or "\\" in url:
        raise EndpointRefused(_("A push endpoint must not carry a user name or password."))
    # requests parses with urllib3: both parsers must agree on the host, or a crafted URL could
    # pass this check and connect elsewhere.
    try:
        other = (urllib3.util.parse_url(url).host or "").lower().strip("[]").rstrip(".")
    except ValueError as error:
        raise EndpointRefused(_("This is not a valid URL.")) from error
    if other != host:
        raise EndpointRefused(_("This is not a valid URL."))
    port = port or (443 if scheme == "https" else 80)
    if not any(entry.matches(scheme, host, port) for entry in allowed_entries()):
        if _ip(host) is not None or host == "localhost":
            raise EndpointRefused(_("A push endpoint must be a push service, not an address."))
        if scheme != "https":
            raise EndpointRefused(_("A push endpoint must be an https URL."))
        raise EndpointRefused(_("This push service is not one the server sends to."))


def address_check(address: str) -> None:
    """Refuse an address that is not on the public internet, unless the allow-list names it."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip in _listed_ips():
        return
    if not ip.is_global or ip.is_multicast:
        raise EndpointRefused(f"refused to connect to a non-public address ({ip})")


if TYPE_CHECKING:
    # What the mixin reads: urllib3's connection attributes (it is only ever mixed into one).
    _Connection = HTTPConnection
else:
    _Connection = object


class _CheckedAddressMixin(_Connection):
    """Resolve, check every address, connect to a checked one (no second lookup to rebind)."""

    def _new_conn(self) -> socket.socket:
        try:
            infos = socket.getaddrinfo(self._dns_host, self.port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            message = f"Failed to resolve {self._dns_host}: {error}"
            raise NewConnectionError(self, message) from error
        addresses = [str(info[4][0]) for info in infos]
        for address in addresses:
            address_check(address)  # one bad address refuses the host (no rebinding games)
        last: OSError | None = None
        for address in addresses:
            try:
                return urllib3_connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as error:
                raise ConnectTimeoutError(self, f"Connection to {self.host} timed out") from error
            except OSError as error:
                last = error
        raise NewConnectionError(self, f"Failed to connect to {self.host}: {last}")


class _CheckedHTTPConnection(_CheckedAddressMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedAddressMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


def guarded_pool_manager(maxsize: int) -> urllib3.PoolManager:
    """A urllib3 pool manager that connects only to checked addresses (it keeps connections
    to each push service open). Callers pass redirect=False: a push service does not
    redirect. urllib3 reads no HTTP(S)_PROXY: the proxy's address would be checked instead
    of the push service's."""
    manager = urllib3.PoolManager(num_pools=10, maxsize=maxsize)
    manager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}
    return manager
