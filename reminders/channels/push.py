"""Web Push (RFC 8030; aes128gcm encryption by http_ece, RFC 8291; VAPID by py_vapid, RFC 8292;
HTTP by urllib3), to every active subscription of the person.

Headers that matter (RFC 8030): TTL so an undeliverable stand-up dies after ~15 minutes instead
of arriving at night; Urgency so a phone on battery saver wakes for urgent flags only.

Once on screen, however often it is sent: Web Push is at-least-once (a worker that dies after
the push service took a message sends it again). Every push carries its delivery's id as the
notification `tag` in the payload, and as the `Topic` header, so a second copy replaces the first
in the push service (if still undelivered) and on the device (the service worker shows it with
that tag, renotify off), instead of adding a second notification.

Every connection goes through reminders.push_endpoints: only listed push services, only public
addresses (checked after resolving, before connecting).

Many at once: `send_batch` sends a send task's rows together: one query for everyone's
subscriptions, the requests on a small thread pool (a hanging endpoint holds one thread for at
most the connect and read timeouts while the others go on), the VAPID signature made once an
hour per push service rather than once a request, and the bookkeeping in two statements.
"""

import base64
import functools
import json
import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent import futures
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, cast
from urllib.parse import urlsplit

import http_ece
import urllib3
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid02

from reminders import conf
from reminders.channels import (
    ChannelError,
    NothingToSend,
    PermanentChannelError,
    TransientChannelError,
)
from reminders.models import Delivery, Kind, PushSubscription
from reminders.push_endpoints import EndpointRefused, endpoint_check, guarded_pool_manager

logger = logging.getLogger(__name__)

_DELIVERED = {200, 201, 202}
_GONE = {404, 410}


@functools.lru_cache(maxsize=4)
def _vapid(private_key: str) -> Vapid02:
    # RFC 8292 ("Authorization: vapid t=…, k=…"), what push services expect with aes128gcm.
    return Vapid02.from_string(private_key=private_key)


def retry_after(response: urllib3.BaseHTTPResponse) -> timedelta | None:
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        return max(parsedate_to_datetime(value) - timezone.now(), timedelta(0))
    except (TypeError, ValueError):
        return None


def notification_tag(delivery: Delivery) -> str:
    """The service worker's notification tag: one notification per delivery."""
    return str(delivery.public_id)


def topic(delivery: Delivery) -> str:
    """The Web Push Topic (RFC 8030 §5.4: at most 32 characters of the URL-safe base64
    alphabet): the delivery's UUID in base64url, 22 characters."""
    return base64.urlsafe_b64encode(delivery.public_id.bytes).rstrip(b"=").decode()


def payload(delivery: Delivery) -> str:
    data: dict[str, Any] = {
        "id": str(delivery.public_id),
        "kind": delivery.kind,
        "title": delivery.title,
        "body": delivery.body,
        "url": conf.absolute_url(delivery.url),
        "tag": notification_tag(delivery),
        "due_at": delivery.due_at.isoformat(),
    }
    if delivery.kind == Kind.STAND_UP and delivery.schedule is not None:
        base = f"/api/v1/reminders/schedules/{delivery.schedule.public_id}"
        data["actions"] = [
            {"action": "moved", "url": "/api/v1/reminders/moved/"},
            {"action": "snooze", "url": f"{base}/snooze/"},
            {"action": "pause", "url": f"{base}/pause/"},
        ]
    return json.dumps(data, ensure_ascii=False)


@functools.cache
def _pool() -> urllib3.PoolManager:
    # One per process (pool workers fork after import, so each child makes its own), shared by
    # the sending threads; it keeps the connections to each push service open (no TCP or TLS
    # handshake per push). urllib3 directly: requests' session machinery cost more CPU than
    # the encryption (bench/reminders_profile.py).
    return guarded_pool_manager(maxsize=max(10, conf.push_threads()))


@functools.cache
def _executor() -> futures.ThreadPoolExecutor:
    # Made lazily in each worker process (never before the pool forks). The threads only talk
    # HTTP: every database read and write stays on the task's own thread and connection.
    return futures.ThreadPoolExecutor(conf.push_threads(), thread_name_prefix="push")


_vapid_lock = threading.Lock()
_vapid_headers: dict[tuple[str, str, str], tuple[dict[str, str], float]] = {}
# A VAPID token may live up to 24 h (RFC 8292 §2): signed for 12 h, reused for the first hour.
VAPID_EXPIRY_SECONDS = 12 * 3600
VAPID_REUSE_SECONDS = 3600


def vapid_headers(endpoint: str) -> dict[str, str]:
    """The Authorization header for this push service (its origin is the token's audience),
    signed once and reused for an hour: an ES256 signature per request was pure waste."""
    parts = urlsplit(endpoint)
    audience = f"{parts.scheme}://{parts.netloc}"
    key = (audience, settings.VAPID_PRIVATE_KEY, settings.VAPID_SUBJECT)
    now = time.time()
    with _vapid_lock:
        cached = _vapid_headers.get(key)
        if cached and now < cached[1]:
            return cached[0]
    claims = {
        "sub": settings.VAPID_SUBJECT,
        "aud": audience,
        "exp": int(now) + VAPID_EXPIRY_SECONDS,
    }
    headers = dict(_vapid(settings.VAPID_PRIVATE_KEY).sign(claims))
    with _vapid_lock:
        _vapid_headers[key] = (headers, now + VAPID_REUSE_SECONDS)
    return headers


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encrypt(subscription: PushSubscription, data: str) -> bytes:
    """The body of one push (RFC 8291, aes128gcm), as pywebpush makes it: a new ECDH key
    pair and salt for every message, so no two messages share a content key."""
    return cast(
        bytes,
        http_ece.encrypt(
            data.encode(),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            dh=_b64decode(subscription.p256dh),
            auth_secret=_b64decode(subscription.auth),
            version="aes128gcm",
        ),
    )


def _post(subscription: PushSubscription, delivery: Delivery, data: str) -> int:
    """One request; runs on a sending thread (no database here)."""
    # The endpoint was checked at registration; again here, as the list may have changed since.
    endpoint_check(subscription.endpoint)
    headers = {
        "TTL": str(delivery.ttl_seconds),
        "Urgency": delivery.urgency,
        "Topic": topic(delivery),
        "Content-Encoding": "aes128gcm",
        **vapid_headers(subscription.endpoint),
    }
    try:
        response = _pool().request(
            "POST",
            subscription.endpoint,
            body=encrypt(subscription, data),
            headers=headers,
            timeout=urllib3.Timeout(connect=conf.push_connect_timeout(), read=conf.push_timeout()),
            retries=False,
            redirect=False,
        )
    except urllib3.exceptions.HTTPError as error:  # timeouts, refused or dropped connections
        raise TransientChannelError(f"push: {type(error).__name__}") from error
    status = response.status
    if status == 429:
        raise TransientChannelError(
            "push: 429 too many requests", retry_after=retry_after(response)
        )
    if status >= 500:
        raise TransientChannelError(f"push: {status}", retry_after=retry_after(response))
    return status


_Job = tuple[Delivery, PushSubscription, str]
# A status code, or what the request raised (a thread's future holds any BaseException).
_Answer = tuple[_Job, int | BaseException, datetime]
Results = dict[int, ChannelError | None]


def _post_all(
    jobs: list[_Job],
    renew: Callable[[list[int]], None],
    progress: Callable[[list[_Answer]], None],
) -> None:
    """Every request of the batch; `progress` gets the answers as they come (with the moment
    each came). If some are still out after SETTLE_SECONDS, the caller records the finished
    rows at once, and the lease of the others is renewed every third of it (one statement)."""
    if len(jobs) == 1:  # one request (an urgent alert, a test): no thread hop
        job = jobs[0]
        try:
            answer: int | Exception = _post(job[1], job[0], job[2])
        except Exception as error:
            answer = error
        progress([(job, answer, timezone.now())])
        return
    pending = {_executor().submit(_post, job[1], job[0], job[2]): job for job in jobs}
    timeout = conf.push_settle_seconds()
    while pending:
        finished, _ = futures.wait(pending, timeout=timeout)
        answers: list[_Answer] = []
        for future in finished:
            job = pending.pop(future)
            failure = future.exception()
            outcome = failure if failure is not None else future.result()
            answers.append((job, outcome, timezone.now()))
        progress(answers)
        if pending:
            renew(sorted({job[0].pk for job in pending.values()}))
            timeout = conf.lease().total_seconds() / 3


class _Tally:
    """What each delivery's requests came back with, settled once all of them are in."""

    def __init__(self, deliveries: Sequence[Delivery], jobs: list[_Job]) -> None:
        self.deliveries = {delivery.pk: delivery for delivery in deliveries}
        self.outstanding: Counter[int] = Counter(job[0].pk for job in jobs)
        self.accepted: dict[int, set[int]] = defaultdict(set)
        self.last_at: dict[int, datetime] = {}
        self.transient: dict[int, TransientChannelError] = {}
        self.rejected: dict[int, list[Any]] = defaultdict(list)
        self.gone: list[int] = []
        self.fresh: list[int] = []
        self.stale = timezone.now() - timedelta(hours=1)

    def add(self, answers: list[_Answer]) -> list[int]:
        """Count the answers; the deliveries now complete."""
        complete = []
        for (delivery, subscription, _data), answer, at in answers:
            self._one(delivery, subscription, answer, at)
            self.outstanding[delivery.pk] -= 1
            if not self.outstanding[delivery.pk]:
                complete.append(delivery.pk)
        return complete

    def _one(
        self,
        delivery: Delivery,
        subscription: PushSubscription,
        answer: int | BaseException,
        at: datetime,
    ) -> None:
        if isinstance(answer, TransientChannelError):
            self.transient.setdefault(delivery.pk, answer)
        elif isinstance(answer, EndpointRefused):
            # Not a push service, or it resolves to a private address: never connected to.
            self.rejected[delivery.pk].append(f"refused endpoint: {answer}")
            logger.warning("push to subscription %s refused: %s", subscription.pk, answer)
        elif isinstance(answer, Exception):
            logger.error("push to subscription %s failed", subscription.pk, exc_info=answer)
            self.transient.setdefault(delivery.pk, TransientChannelError(f"push: {answer!r}"))
        elif answer in _DELIVERED:
            self.accepted[delivery.pk].add(subscription.pk)
            self.last_at[delivery.pk] = max(at, self.last_at.get(delivery.pk, at))
            # Kept roughly (hourly): one write per send would double the database work.
            if subscription.last_success_at is None or subscription.last_success_at < self.stale:
                self.fresh.append(subscription.pk)
        elif answer in _GONE:
            # The browser unsubscribed or the subscription expired: never use it again.
            self.gone.append(subscription.pk)
        else:
            self.rejected[delivery.pk].append(answer)
            logger.warning("push rejected with %s for subscription %s", answer, subscription.pk)

    def result(self, pk: int) -> ChannelError | None:
        delivery = self.deliveries[pk]
        done = set(delivery.push_done) | self.accepted[pk]
        # The caller stores this with the outcome, so a retry skips the ones that took it.
        delivery.push_done = sorted(done)
        if pk in self.transient:
            return self.transient[pk]
        if not done:
            if self.rejected[pk]:
                return PermanentChannelError(f"push rejected: {self.rejected[pk]}")
            return NothingToSend("every push subscription is gone")
        delivery.sent_at = self.last_at.get(pk) or timezone.now()
        return None

    def save_subscriptions(self) -> None:
        if self.fresh:
            PushSubscription.objects.filter(pk__in=self.fresh).update(
                last_success_at=timezone.now()
            )
            self.fresh = []
        if self.gone:
            PushSubscription.objects.filter(pk__in=self.gone).update(
                is_active=False, deactivated_at=timezone.now()
            )
            self.gone = []


def send_batch(
    deliveries: Sequence[Delivery],
    *,
    renew: Callable[[list[int]], None],
    settle: Callable[[Results], None] | None = None,
) -> Results:
    """Push each delivery to every active subscription of its person that has not taken it yet.
    Returns, per delivery id, None (sent; `sent_at` set to when the push service took it) or the
    error; `push_done` lists the subscriptions that accepted it, so a retry skips them. While a
    slow push service keeps some requests out, `settle` gets the deliveries already complete,
    so they are recorded at once (and not sent again if this worker dies meanwhile)."""
    if not settings.VAPID_PRIVATE_KEY:
        error = NothingToSend("no VAPID key configured (run `manage.py vapid_keys`)")
        return {delivery.pk: error for delivery in deliveries}
    subscriptions: dict[int, list[PushSubscription]] = defaultdict(list)
    users = {delivery.user_id for delivery in deliveries}
    for subscription in PushSubscription.objects.filter(user_id__in=users, is_active=True):
        subscriptions[subscription.user_id].append(subscription)
    results: Results = {}
    jobs: list[_Job] = []
    for delivery in deliveries:
        done = set(delivery.push_done)
        todo = [item for item in subscriptions[delivery.user_id] if item.pk not in done]
        if not todo and not done:
            results[delivery.pk] = NothingToSend("no active push subscription")
            continue
        data = payload(delivery)
        jobs.extend((delivery, subscription, data) for subscription in todo)
    tally = _Tally(deliveries, jobs)
    waiting = {job[0].pk for job in jobs}

    def progress(answers: list[_Answer]) -> None:
        complete = tally.add(answers)
        waiting.difference_update(complete)
        early = {pk: tally.result(pk) for pk in complete}
        if waiting and early and settle is not None:
            tally.save_subscriptions()
            settle(early)
        else:
            results.update(early)

    if jobs:
        _post_all(jobs, renew, progress)
    tally.save_subscriptions()
    for delivery in deliveries:  # every push already taken earlier (a retry after a crash)
        if delivery.pk not in results and delivery.pk not in tally.outstanding:
            results[delivery.pk] = tally.result(delivery.pk)
    return results
