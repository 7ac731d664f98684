"""The reminders API: one's own settings, subscriptions, snooze/pause/moved and the inbox."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from reminders.models import Delivery, InboxMessage, PushSubscription, ReminderSchedule
from tests.reminders.factories import (
    CheckInScheduleFactory,
    PushSubscriptionFactory,
    StandUpScheduleFactory,
    browser_keys,
)

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
API = "/api/v1/reminders"


@pytest.fixture
def as_patient(patient):
    client = APIClient()
    client.force_authenticate(patient)
    return client


@pytest.fixture
def as_outsider(other_therapist):
    client = APIClient()
    client.force_authenticate(other_therapist)
    return client


@pytest.fixture
def stand_up(patient):
    with time_machine.travel(NOW, tick=False):
        return StandUpScheduleFactory(user=patient, next_due_at=NOW + timedelta(minutes=20))


def inbox_message(user, title="Time to stand up"):
    return InboxMessage.objects.create(
        user=user, kind="stand_up", title=title, body="…", dedupe_key=title
    )


def test_a_patient_reads_their_own_schedules_only(as_patient, as_outsider, stand_up, patient):
    CheckInScheduleFactory(user=patient)

    mine = as_patient.get(f"{API}/schedules/").json()
    theirs = as_outsider.get(f"{API}/schedules/").json()

    assert sorted(s["kind"] for s in mine) == ["checkin", "stand_up"]
    assert theirs == []
    assert "user" not in mine[0]
    assert str(stand_up.public_id) in {s["id"] for s in mine}


def test_changing_the_interval_moves_the_next_reminder(as_patient, stand_up):
    with time_machine.travel(NOW, tick=False):
        response = as_patient.patch(
            f"{API}/schedules/{stand_up.public_id}/", {"interval_minutes": 30}, format="json"
        )

    assert response.status_code == 200, response.json()
    assert response.json()["interval_minutes"] == 30
    assert response.json()["next_due_at"] == "2026-06-01T02:30:00Z"


@pytest.mark.parametrize("minutes", [20, 29, 41, 90])
def test_an_interval_outside_30_to_40_minutes_is_refused_with_the_range(
    as_patient, stand_up, minutes
):
    url = f"{API}/schedules/{stand_up.public_id}/"
    response = as_patient.patch(
        url, {"interval_minutes": minutes}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    chinese = as_patient.patch(url, {"interval_minutes": minutes}, format="json")

    assert response.status_code == chinese.status_code == 400
    assert response.json() == {
        "interval_minutes": ["The stand-up interval must be between 30 and 40 minutes."]
    }
    assert chinese.json() == {"interval_minutes": ["起身活动间隔必须在 30 到 40 分钟之间。"]}
    stand_up.refresh_from_db()
    assert stand_up.interval_minutes == 35


def test_other_invalid_settings_are_400_with_a_reason(as_patient, stand_up):
    url = f"{API}/schedules/{stand_up.public_id}/"
    cases = [
        ({"active_from": "22:00", "active_until": "08:00"}, "active_until"),
        ({"quiet_from": "12:00"}, "quiet_until"),
        ({"weekdays": [0, 8]}, "weekdays"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"channels": ["sms"]}, "channels"),
        ({"times_of_day": ["09:00"]}, "times_of_day"),
    ]
    for body, field in cases:
        response = as_patient.patch(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())


def test_saving_the_same_settings_twice_changes_nothing(as_patient, stand_up):
    body = {"weekdays": [1, 2, 3, 4, 5], "quiet_from": "12:00", "quiet_until": "13:30"}
    url = f"{API}/schedules/{stand_up.public_id}/"
    with time_machine.travel(NOW, tick=False):
        first = as_patient.patch(url, body, format="json").json()
    with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
        second = as_patient.patch(url, body, format="json").json()

    assert first == second


def test_an_outsider_gets_404_for_every_object_of_the_patient(as_outsider, stand_up, patient):
    subscription = PushSubscriptionFactory(user=patient)
    message = inbox_message(patient)
    schedule_url = f"{API}/schedules/{stand_up.public_id}/"

    assert as_outsider.get(schedule_url).status_code == 404
    assert as_outsider.patch(schedule_url, {"is_enabled": False}, format="json").status_code == 404
    assert as_outsider.post(f"{schedule_url}snooze/").status_code == 404
    assert as_outsider.post(f"{schedule_url}pause/").status_code == 404
    subscription_url = f"{API}/push-subscriptions/{subscription.public_id}/"
    assert as_outsider.delete(subscription_url).status_code == 404
    assert as_outsider.post(f"{API}/inbox/{message.public_id}/read/").status_code == 404
    assert as_outsider.get(f"{API}/inbox/").json()["results"] == []
    stand_up.refresh_from_db()
    assert stand_up.is_enabled
    assert PushSubscription.objects.get(pk=subscription.pk).is_active
    assert InboxMessage.objects.get(pk=message.pk).read_at is None


def test_signed_out_is_refused(stand_up):
    client = APIClient()
    assert client.get(f"{API}/schedules/").status_code in (401, 403)
    assert client.get(f"{API}/push/vapid-public-key/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/schedules/"),
        ("patch", "/schedules/{id}/"),
        ("post", "/schedules/{id}/snooze/"),
        ("post", "/moved/"),
        ("get", "/push-subscriptions/"),
        ("get", "/push/vapid-public-key/"),
        ("get", "/inbox/"),
        ("post", "/inbox/read-all/"),
    ],
)
def test_signed_out_callers_get_401_and_how_to_sign_in_like_the_tracking_api(
    stand_up, method, path
):
    response = getattr(APIClient(), method)(API + path.format(id=stand_up.public_id))
    tracking = APIClient().get("/api/v1/checkins/")

    assert response.status_code == tracking.status_code == 401
    assert response["WWW-Authenticate"] == tracking["WWW-Authenticate"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"interval_minutes": "35"}, "interval_minutes"),
        ({"interval_minutes": 35.5}, "interval_minutes"),
        ({"interval_minutes": True}, "interval_minutes"),
        ({"is_enabled": "no"}, "is_enabled"),
        ({"is_enabled": 0}, "is_enabled"),
        ({"weekdays": ["1", "2"]}, "weekdays"),
        ({"weekdays": [1, 1, 2]}, "weekdays"),
        ({"timezone": "localtime"}, "timezone"),
        ({"timezone": "Factory"}, "timezone"),
        ({"paused_until": "9999-12-31T23:59:59Z"}, "paused_until"),
        ({"paused_until": "9999-12-31T23:59:59-14:00"}, "paused_until"),
        ({"paused_until": "2026-08-31T02:00:00Z"}, "paused_until"),  # 91 days
    ],
)
def test_settings_are_as_strict_as_a_checkin(as_patient, stand_up, body, field):
    with time_machine.travel(NOW, tick=False):
        response = as_patient.patch(f"{API}/schedules/{stand_up.public_id}/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    stand_up.refresh_from_db()
    assert (stand_up.interval_minutes, stand_up.is_enabled) == (35, True)
    assert stand_up.timezone == "Asia/Shanghai" and stand_up.paused_until is None


def test_a_pause_of_up_to_90_days_is_kept(as_patient, stand_up):
    with time_machine.travel(NOW, tick=False):
        response = as_patient.patch(
            f"{API}/schedules/{stand_up.public_id}/",
            {"paused_until": "2026-08-30T02:00:00Z", "weekdays": [1, 3]},
            format="json",
        )

    assert response.status_code == 200, response.json()
    assert response.json()["paused_until"] == "2026-08-30T02:00:00Z"


def test_snooze_reminds_again_in_10_minutes(as_patient, stand_up):
    with time_machine.travel(NOW, tick=False):
        response = as_patient.post(f"{API}/schedules/{stand_up.public_id}/snooze/")

    assert response.status_code == 200
    assert response.json()["next_due_at"] == "2026-06-01T02:10:00Z"


def test_pause_silences_the_rest_of_today(as_patient, stand_up):
    with time_machine.travel(NOW, tick=False):
        first = as_patient.post(f"{API}/schedules/{stand_up.public_id}/pause/").json()
        second = as_patient.post(f"{API}/schedules/{stand_up.public_id}/pause/").json()

    assert first == second
    assert first["paused_until"] == "2026-06-01T16:00:00Z"  # midnight in Shanghai
    assert first["next_due_at"] == "2026-06-02T00:35:00Z"  # 08:35 tomorrow


def test_i_moved_restarts_the_stand_up_timer(as_patient, stand_up):
    with time_machine.travel(NOW, tick=False):
        response = as_patient.post(f"{API}/moved/")

    assert response.json() == {"restarted": 1}
    stand_up.refresh_from_db()
    assert stand_up.next_due_at == NOW + timedelta(minutes=35)


def test_registering_a_push_subscription_is_idempotent(as_patient, patient):
    body = {"endpoint": "https://push.example.test/abc", "keys": browser_keys()}

    first = as_patient.post(f"{API}/push-subscriptions/", body, format="json")
    second = as_patient.post(f"{API}/push-subscriptions/", body, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert PushSubscription.objects.filter(user=patient, is_active=True).count() == 1


def test_a_patient_may_hold_several_subscriptions_and_remove_one(as_patient, patient):
    ids = [
        as_patient.post(
            f"{API}/push-subscriptions/",
            {"endpoint": f"https://push.example.test/{name}", "keys": browser_keys()},
            format="json",
        ).json()["id"]
        for name in ("phone", "tablet")
    ]

    assert as_patient.delete(f"{API}/push-subscriptions/{ids[0]}/").status_code == 204
    assert as_patient.delete(f"{API}/push-subscriptions/{ids[0]}/").status_code == 204

    listed = as_patient.get(f"{API}/push-subscriptions/").json()
    assert [s["id"] for s in listed] == [ids[1]]


def test_a_push_subscription_needs_an_endpoint_and_keys(as_patient):
    response = as_patient.post(
        f"{API}/push-subscriptions/", {"endpoint": "not a url"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"endpoint", "keys"}


def test_the_vapid_public_key_is_served_to_the_page(as_patient, settings):
    response = as_patient.get(f"{API}/push/vapid-public-key/")

    assert response.json() == {"public_key": settings.VAPID_PUBLIC_KEY}


def test_without_vapid_keys_the_page_is_told_push_is_off(as_patient, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""

    assert as_patient.get(f"{API}/push/vapid-public-key/").status_code == 503


def test_inbox_lists_newest_first_and_marks_read(as_patient, patient):
    older = inbox_message(patient, "older")
    newer = inbox_message(patient, "newer")

    listed = as_patient.get(f"{API}/inbox/").json()["results"]
    assert [m["title"] for m in listed] == ["newer", "older"]

    read = as_patient.post(f"{API}/inbox/{newer.public_id}/read/").json()
    again = as_patient.post(f"{API}/inbox/{newer.public_id}/read/").json()
    assert read["read_at"] is not None and read["read_at"] == again["read_at"]
    unread = as_patient.get(f"{API}/inbox/?unread=true").json()["results"]
    assert [m["id"] for m in unread] == [str(older.public_id)]
    assert as_patient.post(f"{API}/inbox/read-all/").json() == {"marked": 1}


def test_the_reminders_api_is_in_the_openapi_schema(as_patient):
    schema = as_patient.get("/api/v1/schema/?format=json").json()

    paths = set(schema["paths"])
    assert {
        "/api/v1/reminders/schedules/{schedule_id}/",
        "/api/v1/reminders/schedules/{schedule_id}/snooze/",
        "/api/v1/reminders/moved/",
        "/api/v1/reminders/push-subscriptions/",
        "/api/v1/reminders/push/vapid-public-key/",
        "/api/v1/reminders/inbox/",
    } <= paths
    assert not Delivery.objects.exists() and ReminderSchedule.objects.count() == 0
