"""Web Push through pywebpush, to every active subscription of the person.

Headers that matter (RFC 8030): TTL so an undeliverable stand-up dies after ~15 minutes instead
of arriving at night; Urgency so a phone on battery saver wakes for urgent flags only.

Once on screen, however often it is sent: Web Push is at-least-once (a worker that dies after
the push service took a message sends it again). Every push carries its delivery's id as the
notification `tag` in the payload, and as the `Topic` header, so a second copy replaces the first
in the push service (if still undelivered) and on the device (the service worker shows it with
that tag, renotify off), instead of adding a second notification.

Every connection goes through reminders.push_endpoints: only listed push services, only public
addresses (checked after resolving, before connecting).
"""

import base64
import functools
import json
import logging
from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from reminders import conf
from reminders.channels import NothingToSend, PermanentChannelError, TransientChannelError
from reminders.models import Delivery, Kind, PushSubscription, Status
from reminders.push_endpoints import EndpointRefused, endpoint_check, guarded_session

logger = logging.getLogger(__name__)

_DELIVERED = {200, 201, 202}
_GONE = {404, 410}


@functools.lru_cache(maxsize=4)
def _vapid(private_key: str) -> Vapid02:
    # RFC 8292 ("Authorization: vapid t=…, k=…"), what push services expect with aes128gcm.
    return Vapid02.from_string(private_key=private_key)


def retry_after(response: requests.Response | None) -> timedelta | None:
    if response is None:
        return None
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
def _session():
    # One per process (pool workers fork after import, so each child makes its own).
    return guarded_session()


def _post(subscription: PushSubscription, delivery: Delivery, data: str) -> int:
    headers = {"Urgency": delivery.urgency, "Topic": topic(delivery)}
    # The endpoint was checked at registration; again here, as the list may have changed since.
    endpoint_check(subscription.endpoint)
    try:
        response = webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=data,
            vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=delivery.ttl_seconds,
            headers=headers,
            timeout=conf.push_timeout(),
            requests_session=_session(),
        )
    except WebPushException as error:
        response = error.response
        if response is None:
            raise TransientChannelError(f"push: {error.message}") from error
    except (requests.Timeout, requests.ConnectionError) as error:
        raise TransientChannelError(f"push: {type(error).__name__}") from error
    status = response.status_code
    if status == 429:
        raise TransientChannelError(
            "push: 429 too many requests", retry_after=retry_after(response)
        )
    if status >= 500:
        raise TransientChannelError(f"push: {status}", retry_after=retry_after(response))
    return status


def _renew_lease(delivery: Delivery) -> None:
    # The lease covers one request (reminders/conf.py); a person with several browsers keeps it
    # request by request, so nobody else sends while this sender is still at it.
    Delivery.objects.filter(pk=delivery.pk, status=Status.PENDING).update(
        locked_until=timezone.now() + conf.lease()
    )


def send(delivery: Delivery) -> None:
    if not settings.VAPID_PRIVATE_KEY:
        raise NothingToSend("no VAPID key configured (run `manage.py vapid_keys`)")
    done = set(delivery.push_done)
    subscriptions = list(
        PushSubscription.objects.filter(user_id=delivery.user_id, is_active=True).exclude(
            pk__in=done
        )
    )
    if not subscriptions and not done:
        raise NothingToSend("no active push subscription")
    data = payload(delivery)
    transient: TransientChannelError | None = None
    rejected: list[int | str] = []
    for number, subscription in enumerate(subscriptions):
        if number:
            _renew_lease(delivery)
        try:
            status = _post(subscription, delivery, data)
        except TransientChannelError as error:
            transient = transient or error
            continue
        except EndpointRefused as error:
            # Not a push service, or it resolves to a private address: never connected to.
            rejected.append(f"refused endpoint: {error}")
            logger.warning("push to subscription %s refused: %s", subscription.pk, error)
            continue
        if status in _DELIVERED:
            done.add(subscription.pk)
            # Kept roughly (hourly): one write per send would double the database work.
            stale = timezone.now() - timedelta(hours=1)
            if subscription.last_success_at is None or subscription.last_success_at < stale:
                PushSubscription.objects.filter(pk=subscription.pk).update(
                    last_success_at=timezone.now()
                )
        elif status in _GONE:
            # The browser unsubscribed or the subscription expired: never use it again.
            PushSubscription.objects.filter(pk=subscription.pk).update(
                is_active=False, deactivated_at=timezone.now()
            )
        else:
            rejected.append(status)
            logger.warning("push rejected with %s for subscription %s", status, subscription.pk)
    # The caller stores this with the outcome, so a retry skips the ones that took it.
    delivery.push_done = sorted(done)
    if transient is not None:
        raise transient
    if not done:
        if rejected:
            raise PermanentChannelError(f"push rejected: {rejected}")
        raise NothingToSend("every push subscription is gone")
