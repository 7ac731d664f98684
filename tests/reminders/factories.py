import base64
import json
import os
from datetime import time
from urllib.parse import urlsplit

import factory
import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from reminders.models import Kind, PushSubscription, ReminderSchedule
from tests.factories import UserFactory


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _browser_key_pair() -> tuple[dict[str, str], ec.EllipticCurvePrivateKey]:
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": _b64url(public), "auth": _b64url(os.urandom(16))}, private


def browser_keys() -> dict[str, str]:
    """The keys a browser's PushSubscription carries: a P-256 public key and a 16-byte secret."""
    return _browser_key_pair()[0]


# What a browser keeps to itself: its private key and secret, by endpoint path, so a test can
# read what the server pushed (the push service only ever sees ciphertext).
_BROWSER_SECRETS: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = {}


def _with_secret() -> dict:
    keys, private = _browser_key_pair()
    return {**keys, "private": private}


def _remember(endpoint: str, keys: dict) -> dict:
    if "private" in keys:
        _BROWSER_SECRETS[urlsplit(endpoint).path] = (keys["private"], _unb64url(keys["auth"]))
    return keys


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def pushed_payload(received) -> dict:
    """Decrypt one request the push stand-in received, as the browser would (aes128gcm)."""
    private, auth = _BROWSER_SECRETS[received.path]
    return json.loads(http_ece.decrypt(received.body, private_key=private, auth_secret=auth))


class StandUpScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderSchedule

    user = factory.SubFactory(UserFactory)
    kind = Kind.STAND_UP
    timezone = "Asia/Shanghai"
    interval_minutes = 35
    times_of_day = factory.LazyFunction(list)
    active_from = time(8, 0)
    active_until = time(21, 0)
    channels = factory.LazyFunction(lambda: ["push"])


class ExerciseScheduleFactory(StandUpScheduleFactory):
    kind = Kind.EXERCISE
    key = "five-point-bridge"
    interval_minutes = None
    times_of_day = factory.LazyFunction(lambda: ["09:00", "18:00"])
    channels = factory.LazyFunction(lambda: ["email", "push"])
    label_zh = "五点支撑"
    label_en = "Five-point bridge"
    detail_zh = "保持 10 秒，做 10 组"
    detail_en = "hold 10 s, 10 sets"


class CheckInScheduleFactory(StandUpScheduleFactory):
    kind = Kind.CHECKIN
    interval_minutes = None
    times_of_day = factory.LazyFunction(lambda: ["20:00"])
    channels = factory.LazyFunction(lambda: ["email"])


class PushSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PushSubscription

    user = factory.SubFactory(UserFactory)
    endpoint = factory.Sequence(lambda n: f"https://push.example.test/send/{n}")
    p256dh = factory.LazyAttribute(lambda o: _remember(o.endpoint, o.keys)["p256dh"])
    auth = factory.LazyAttribute(lambda o: o.keys["auth"])

    class Params:
        keys = factory.LazyFunction(_with_secret)
