"""The service worker in Chromium shows one notification per reminder, however often the push
arrives: Web Push is at-least-once, and a worker that died after the push service took a message
sends it again (issue 15). Pushes are fed through CDP ServiceWorker.deliverPushMessage with the
payload the server builds (reminders.channels.push.payload)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import service_worker_ready, sign_in
from tests.browser.test_patient_app import _registration_id, _wait

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOWN = """() => self.registration.getNotifications().then(shown => shown.map(n => ({
    title: n.title, body: n.body, tag: n.tag, kind: n.data && n.data.kind})))"""


def _delivery(patient, kind: str, due_at, title: str = ""):
    """The push row the dispatcher writes for this person's reminder of `kind` due at `due_at`."""
    from reminders.models import Delivery, ReminderSchedule
    from reminders.services import reminders_dispatch

    schedule = ReminderSchedule.objects.filter(user=patient, kind=kind).first()
    ReminderSchedule.objects.filter(pk=schedule.pk).update(
        next_due_at=due_at,
        is_enabled=True,
        channels=["push"],
        active_from="00:00",
        active_until="23:59",
        quiet_from=None,
        quiet_until=None,
        paused_until=None,
    )
    reminders_dispatch()
    return Delivery.objects.get(schedule=schedule, due_at=due_at, channel="push")


@pytest.fixture
def app_page(demo, new_context, live_server):
    context = new_context()
    context.grant_permissions(["notifications"])
    page = sign_in(context, "demo_patient")
    service_worker_ready(page)
    worker = context.service_workers[0]
    cdp = context.new_cdp_session(page)
    registration = _registration_id(cdp, f"{live_server.url}/app/")

    def push(delivery) -> None:
        from reminders.channels.push import payload

        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server.url, "registrationId": registration, "data": payload(delivery)},
        )

    def shown(count: int) -> list[dict]:
        _wait(lambda: len(worker.evaluate(SHOWN)) >= count, f"{count} notification(s)")
        page.wait_for_timeout(500)  # a second copy, if it were added, would be there by now
        return worker.evaluate(SHOWN)

    return demo, push, shown


def test_the_same_push_twice_shows_one_notification(app_page):
    patient, push, shown = app_page
    reminder = _delivery(patient, "exercise", timezone.now())

    push(reminder)
    push(reminder)  # sent again after a crash

    [notification] = shown(1)
    assert notification["tag"] == str(reminder.public_id)
    assert notification["title"] == reminder.title


def test_two_reminders_show_two_notifications_each_once(app_page):
    patient, push, shown = app_page
    now = timezone.now()
    # Two occurrences of one exercise reminder (say 09:00 and 11:00): two notifications.
    morning = _delivery(patient, "exercise", now - timedelta(hours=2))
    later = _delivery(patient, "exercise", now)

    for delivery in (morning, later, morning, later):
        push(delivery)

    notifications = shown(2)
    assert sorted(n["tag"] for n in notifications) == sorted(
        [str(morning.public_id), str(later.public_id)]
    )


def test_a_new_stand_up_takes_the_place_of_the_one_still_showing(app_page):
    patient, push, shown = app_page
    now = timezone.now()
    older = _delivery(patient, "stand_up", now - timedelta(minutes=10))
    newer = _delivery(patient, "stand_up", now)

    push(older)
    shown(1)
    push(newer)
    # Pushes are handled concurrently: wait until the newer one has taken the older's place.
    _wait(lambda: [n["tag"] for n in shown(1)] == [str(newer.public_id)], "the newer stand-up")
    push(older)  # a late copy of the old one does not bring it back beside the new one

    [notification] = shown(1)
    assert notification["tag"] == str(newer.public_id)
