"""Push subscriptions: nobody takes over another account's endpoint, and the server connects only
to the browsers' push services on public addresses (issue 15)."""

import pytest
from rest_framework.test import APIClient

from reminders.models import Delivery, PushSubscription, Status
from reminders.push_endpoints import EndpointRefused, address_check, endpoint_check
from reminders.tasks import delivery_send_task
from tests.reminders.factories import (
    PushSubscriptionFactory,
    StandUpScheduleFactory,
    browser_keys,
)
from tracker.settings import PUSH_SERVICE_HOSTS as PRODUCT_DEFAULT

API = "/api/v1/reminders/push-subscriptions/"
FCM = "https://fcm.googleapis.com/fcm/send/dJ3kZ:APA91bH-shared-browser"


@pytest.fixture
def product_hosts(settings):
    """The product's default list (the reminders tests otherwise add their stand-in)."""
    settings.PUSH_SERVICE_HOSTS = PRODUCT_DEFAULT


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _register(user, endpoint: str, keys: dict | None = None, language: str = "en"):
    body = {"endpoint": endpoint, "keys": keys or browser_keys()}
    return _client(user).post(API, body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def test_registering_another_accounts_endpoint_leaves_theirs_alone(
    therapist, patient, product_hosts
):
    keys = browser_keys()
    assert _register(therapist, FCM, keys).status_code == 201

    response = _register(patient, FCM)  # someone who learnt the URL, or a shared browser

    assert response.status_code == 409
    assert "another account" in response.json()["detail"]
    # The therapist still gets urgent alerts there, with their own keys.
    [listed] = _client(therapist).get(API).json()
    assert listed["endpoint"] == FCM
    mine = PushSubscription.objects.get(endpoint=FCM, is_active=True)
    assert (mine.user, mine.p256dh, mine.auth) == (therapist, keys["p256dh"], keys["auth"])
    assert _client(patient).get(API).json() == []


def test_a_browser_the_other_account_switched_off_can_be_registered_again(
    therapist, patient, product_hosts
):
    assert _register(therapist, FCM).status_code == 201
    [listed] = _client(therapist).get(API).json()
    assert _client(therapist).delete(f"{API}{listed['id']}/").status_code == 204

    assert _register(patient, FCM).status_code == 201

    assert [row["endpoint"] for row in _client(patient).get(API).json()] == [FCM]
    # The therapist's own (switched-off) row is still theirs, unchanged.
    theirs = PushSubscription.objects.get(user=therapist)
    assert theirs.endpoint == FCM and not theirs.is_active
    # And the first account cannot take it back while it is the patient's.
    assert _register(therapist, FCM).status_code == 409


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAAB",
        "https://wns2-by3p.notify.windows.com/w/?token=BQYAAA",
        "https://web.push.apple.com/QGz7h2",
        "https://api.push.apple.com/3/device/abc",
    ],
)
def test_the_browsers_push_services_are_accepted(patient, product_hosts, endpoint):
    assert _register(patient, endpoint).status_code == 201


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://fcm.googleapis.com/fcm/send/abc", "https"),
        ("https://127.0.0.1:8443/push", "not an address"),
        ("https://[::1]/push", "not an address"),
        ("https://10.0.0.5/push", "not an address"),
        ("https://169.254.169.254/latest/meta-data/", "not an address"),
        ("https://localhost/push", "not an address"),
        ("https://evil.example.com/fcm/send/abc", "not one the server sends to"),
        ("https://fcm.googleapis.com.evil.example.com/x", "not one the server sends to"),
        ("https://fcm.googleapis.com@10.0.0.5/x", "user name"),
        ("https://fcm.googleapis.com:8443/fcm/send/abc", "not one the server sends to"),
    ],
)
def test_anything_else_is_refused_at_registration_with_a_message(
    patient, product_hosts, endpoint, message
):
    response = _register(patient, endpoint)

    assert response.status_code == 400
    assert message in " ".join(response.json()["endpoint"])
    assert not PushSubscription.objects.exists()


def test_the_messages_are_in_chinese_by_default(therapist, patient, product_hosts):
    refused = _register(patient, "https://10.0.0.5/push", language="zh-hans")
    assert refused.json()["endpoint"] == ["推送地址必须属于推送服务，不能是 IP 地址或本机地址。"]
    _register(therapist, FCM)
    taken = _register(patient, FCM, language="zh-hans")
    assert taken.status_code == 409
    assert "另一个账号" in taken.json()["detail"]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(product_hosts, address):
    with pytest.raises(EndpointRefused):
        address_check(address)


def test_public_addresses_pass_and_a_listed_ip_literal_is_the_only_way_to_a_private_one(settings):
    settings.PUSH_SERVICE_HOSTS = PRODUCT_DEFAULT
    address_check("142.250.74.10")
    address_check("2a00:1450:4001:82a::200a")
    settings.PUSH_SERVICE_HOSTS = [*PRODUCT_DEFAULT, "http://127.0.0.1:*"]
    address_check("127.0.0.1")
    endpoint_check("http://127.0.0.1:4321/push/phone")
    with pytest.raises(EndpointRefused):
        address_check("127.0.0.2")


def test_the_worker_refuses_an_endpoint_off_the_list_before_connecting(
    patient, push_service, product_hosts
):
    # A row from before the check (or from a changed list): the stand-in on 127.0.0.1 is not a
    # push service the product knows.
    PushSubscriptionFactory(user=patient, endpoint=push_service.endpoint("probe"))
    StandUpScheduleFactory(user=patient)
    push = _push_delivery(patient)

    assert delivery_send_task(push.pk) == "failed"

    assert push_service.received_on("probe") == []  # never connected
    push.refresh_from_db()
    assert push.status == Status.FAILED
    assert "refused" in push.last_error


def test_the_worker_resolves_the_host_and_refuses_a_private_address(
    patient, push_service, settings
):
    # A listed name that resolves to a private address (DNS changed after registration, or a
    # wildcard entry): "localhost" stands in for it and resolves to 127.0.0.1.
    port = push_service.server.server_address[1]
    settings.PUSH_SERVICE_HOSTS = ["http://localhost:*"]
    PushSubscriptionFactory(user=patient, endpoint=f"http://localhost:{port}/push/rebound")
    push = _push_delivery(patient)

    assert delivery_send_task(push.pk) == "failed"

    assert push_service.received == []  # refused before any packet was sent
    push.refresh_from_db()
    assert "non-public address" in push.last_error


def _push_delivery(user) -> Delivery:
    from django.utils import timezone

    return Delivery.objects.create(
        user=user,
        kind="notification",
        channel="push",
        due_at=timezone.now(),
        title="紧急 Urgent",
        body="…",
        enqueued_at=timezone.now(),
    )
