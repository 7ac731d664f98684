"""A therapist opts in to Web Push on their desktop browser (issue 10): the service worker under
/therapist/, the subscribe and unsubscribe endpoints scoped to the therapist, the inbox page's
opt-in. Subscriptions land in the reminders pipeline's own table."""

import json

import pytest
from django.test import Client

from reminders.models import PushSubscription
from tests.factories import TherapistFactory
from tests.reminders.factories import PushSubscriptionFactory, browser_keys

SUBSCRIBE = "/therapist/push/subscribe/"
UNSUBSCRIBE = "/therapist/push/unsubscribe/"
ENDPOINT = "https://push.example.test/send/desk-1"


def _post(client, url: str, body) -> object:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data, content_type="application/json")


def _subscription(endpoint: str = ENDPOINT) -> dict:
    return {"endpoint": endpoint, "keys": browser_keys(), "expirationTime": None}


def test_a_therapist_registers_this_browser_once(staff_client, therapist):
    client = staff_client(therapist)

    first = _post(client, SUBSCRIBE, _subscription())
    again = _post(client, SUBSCRIBE, _subscription())

    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    [row] = PushSubscription.objects.filter(user=therapist)
    assert row.endpoint == ENDPOINT and row.is_active


def test_turning_it_off_stops_only_this_therapists_row(staff_client, therapist, colleague):
    theirs = PushSubscriptionFactory(user=colleague, endpoint="https://push.example.test/send/x")
    client = staff_client(therapist)
    _post(client, SUBSCRIBE, _subscription())

    assert _post(client, UNSUBSCRIBE, {"endpoint": ENDPOINT}).status_code == 204
    assert _post(client, UNSUBSCRIBE, {"endpoint": theirs.endpoint}).status_code == 204

    assert not PushSubscription.objects.get(user=therapist).is_active
    theirs.refresh_from_db()
    assert theirs.is_active


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"endpoint": "https://evil.example.org/x", "keys": browser_keys()}, "endpoint"),
        ({"endpoint": "https://10.0.0.7/push", "keys": browser_keys()}, "endpoint"),
        ({"endpoint": "not a url", "keys": browser_keys()}, "endpoint"),
        ({"endpoint": ENDPOINT, "keys": {"auth": "abc"}}, "p256dh"),
        ({"endpoint": ENDPOINT, "keys": {"p256dh": "x" * 201, "auth": "a"}}, "p256dh"),
        ({"endpoint": ENDPOINT}, "auth"),
        ("[1, 2]", "detail"),
        ("{not json", "detail"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(
    staff_client, therapist, body, field
):
    response = _post(staff_client(therapist), SUBSCRIBE, body)

    assert response.status_code == 400
    assert field in response.json()
    assert not PushSubscription.objects.exists()


def test_an_endpoint_another_account_has_is_refused_and_left_alone(
    staff_client, therapist, colleague
):
    theirs = PushSubscriptionFactory(user=colleague, endpoint=ENDPOINT)

    response = _post(staff_client(therapist), SUBSCRIBE, _subscription())

    assert response.status_code == 409
    assert "another account" in response.json()["detail"]
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [colleague.pk]
    theirs.refresh_from_db()
    assert theirs.is_active


def test_only_a_signed_in_therapist_may_opt_in(client, patient, clinic_admin):
    assert _post(client, SUBSCRIBE, _subscription()).status_code == 401
    for user in (patient, clinic_admin):
        client.force_login(user)
        response = _post(client, SUBSCRIBE, _subscription())
        assert response.status_code == 403, user
        assert _post(client, UNSUBSCRIBE, {"endpoint": ENDPOINT}).status_code == 403
    assert not PushSubscription.objects.exists()


def test_the_endpoints_need_the_csrf_token(therapist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist)

    assert _post(client, SUBSCRIBE, _subscription()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_the_service_worker_is_served_under_therapist_for_its_scope(client):
    response = client.get("/therapist/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert "showNotification" in body and "notificationclick" in body
    assert "/therapist/inbox/" in body
    assert "addEventListener('fetch'" not in body  # therapist pages are never cached


def test_the_inbox_offers_the_opt_in_with_the_key_and_no_inline_script(
    staff_client, therapist, settings
):
    PushSubscriptionFactory(user=therapist, endpoint=ENDPOINT)

    response = staff_client(therapist).get("/therapist/inbox/")
    body = response.content.decode()

    assert "Urgent alerts on this computer" in body
    assert f'data-key="{settings.VAPID_PUBLIC_KEY}"' in body
    assert '<script src="/static/tracker/therapist_push.js" defer></script>' in body
    # The endpoints this therapist has on: a data block (not executed), the only <script> else.
    assert f'<script id="push-mine" type="application/json">["{ENDPOINT}"]</script>' in body
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_inbox_opt_in_speaks_chinese(staff_client, therapist):
    body = staff_client(therapist, language="zh-hans").get("/therapist/inbox/").content.decode()

    assert "在这台电脑上接收紧急提醒" in body


def test_without_vapid_keys_the_inbox_says_push_is_not_set_up(staff_client, therapist, settings):
    settings.VAPID_PUBLIC_KEY = ""

    body = staff_client(therapist).get("/therapist/inbox/").content.decode()

    assert "Push notifications are not set up on this server" in body
    assert "data-push-enable" not in body


def test_a_clinic_admin_sees_no_opt_in(staff_client, clinic_admin):
    body = staff_client(clinic_admin).get("/therapist/inbox/").content.decode()

    assert "data-therapist-push" not in body


def test_a_therapist_in_another_clinic_is_just_another_account(staff_client, db):
    # Scoping is by account: two therapists, two rows, each their own.
    first, second = TherapistFactory(username="a1"), TherapistFactory(username="b2")
    _post(staff_client(first), SUBSCRIBE, _subscription("https://push.example.test/send/a"))
    _post(staff_client(second), SUBSCRIBE, _subscription("https://push.example.test/send/b"))

    assert set(PushSubscription.objects.values_list("user__username", "endpoint")) == {
        ("a1", "https://push.example.test/send/a"),
        ("b2", "https://push.example.test/send/b"),
    }
