"""The patient's app in a real browser (Debian's chromium through Playwright), at 360 × 640."""

import os
import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS, ROOT, service_worker_ready, sign_in
from tracker.models import CheckIn, Flag, SessionLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _today(patient):
    return timezone.localdate(timezone=patient.patient_profile.tzinfo)


def _clear_today(patient):
    """Nothing logged yet today, whatever the random demo history holds."""
    today = _today(patient)
    SessionLog.objects.filter(patient=patient, performed_on=today).delete()
    CheckIn.objects.filter(patient=patient, date=today).delete()


def test_mark_an_exercise_done_and_see_it_in_progress(demo, new_context):
    _clear_today(demo)
    page = sign_in(new_context(), "demo_patient")
    assert page.url.endswith("/app/")  # the role router: a patient with history lands on Today

    bridge = page.locator("li.item", has_text="Five-point bridge")
    assert bridge.locator(".dosage").inner_text() == "Hold 10 s, 10 sets"
    assert bridge.locator("input[name=sets]").input_value() == "10"  # prefilled from the dosage
    bridge.get_by_role("button", name="Done: Five-point bridge").click()
    page.wait_for_selector("li.item.is-done")
    assert "Done today" in bridge.locator("[data-status]").inner_text()
    assert page.locator("[data-day-done]").inner_text() == "1"

    [session] = SessionLog.objects.filter(patient=demo, performed_on=_today(demo))
    assert (session.exercise.key, session.sets) == ("five_point_bridge", 10)

    page.get_by_role("link", name="Progress").click()
    cell = page.locator(f'td[data-date="{_today(demo).isoformat()}"]')
    assert cell.get_attribute("data-done") == "1"
    assert "1/" in cell.inner_text()


def _answer_scores(page, back=3, leg=4, numbness=2):
    for name, value in (("back_pain", back), ("leg_pain", leg), ("numbness", numbness)):
        page.locator(f"#q-{name} label.score", has_text=str(value)).first.click()


def test_bladder_trouble_brings_the_emergency_instruction_and_tells_the_therapist(
    demo, new_context
):
    _clear_today(demo)
    Flag.objects.filter(patient=demo, rule="cauda_equina").delete()
    page = sign_in(new_context(), "demo_patient")
    page.goto("/app/checkin/")

    _answer_scores(page)
    page.get_by_label("Left leg").get_by_text("Outer calf").click()  # the leg diagram
    page.get_by_text("New trouble with passing urine or stools").click()
    page.get_by_role("button", name="Send check-in").click()

    emergency = page.get_by_role("alertdialog")
    emergency.wait_for()
    assert "Seek emergency care now" in emergency.inner_text()
    # Shown before the answer comes back; once it has, the screen says the therapist knows.
    emergency.get_by_text("Your therapist has been told.").wait_for()
    checkin = CheckIn.objects.get(patient=demo, date=_today(demo))
    assert checkin.bowel_bladder_change and checkin.numbness_areas == ["left_outer_calf"]

    therapist = sign_in(new_context(), "demo_therapist")
    assert therapist.url.endswith("/therapist/")
    row = therapist.locator("tr.is-urgent", has_text="王芳")
    assert "Bowel/bladder trouble or saddle numbness" in row.inner_text()
    flags = therapist.request.get(f"/api/v1/patients/{demo.public_id}/flags/?status=open").json()
    assert {"rule": "cauda_equina", "severity": "urgent"} in [
        {"rule": flag["rule"], "severity": flag["severity"]} for flag in flags["results"]
    ]


RESEND = """async records => {
    const replies = [];
    for (const record of records) {  // one after the other, as the outbox sends
        const response = await fetch(record.url, {
            method: 'POST',
            credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'Idempotency-Key': record.key,
                      'X-CSRFToken': document.querySelector('meta[name=csrf-token]').content},
            body: JSON.stringify(record.body),
        });
        replies.push([response.status, response.headers.get('Idempotent-Replayed')]);
    }
    return replies;
}"""


def test_offline_logs_wait_on_the_phone_and_are_stored_once(demo, new_context):
    _clear_today(demo)
    context = new_context()
    page = sign_in(context, "demo_patient")
    service_worker_ready(page)  # it keeps Today, Check-in and Progress from the start

    context.set_offline(True)
    page.get_by_role("button", name="Done: Glute bridge").click()
    outbox = page.locator("#outbox")
    outbox.wait_for()
    assert "Glute bridge" in outbox.inner_text() and "Waiting to send" in outbox.inner_text()
    assert "Waiting to send" in page.locator("li.item", has_text="Glute bridge").inner_text()

    page.goto("/app/checkin/")  # no signal: the copy kept by the service worker
    assert page.get_by_role("heading", level=1).inner_text() == "Daily check-in"
    _answer_scores(page, back=2, leg=3, numbness=1)
    page.get_by_role("button", name="Send check-in").click()
    page.locator("#outbox li").nth(1).wait_for()
    assert page.locator("[data-offline-note]").is_visible()
    records = page.evaluate("RehabOutbox.all()")
    assert [record["kind"] for record in records] == ["session", "checkin"]
    assert not SessionLog.objects.filter(patient=demo, performed_on=_today(demo)).exists()
    assert not CheckIn.objects.filter(patient=demo, date=_today(demo)).exists()

    with page.expect_navigation(url="**/app/checkin/thanks/"):
        context.set_offline(False)  # back online: the outbox sends itself

    assert page.evaluate("RehabOutbox.all()") == []
    [session] = SessionLog.objects.filter(patient=demo, performed_on=_today(demo))
    assert session.exercise.key == "glute_bridge"
    checkin = CheckIn.objects.get(patient=demo, date=_today(demo))
    assert (checkin.back_pain, checkin.leg_pain, checkin.numbness) == (2, 3, 1)

    # The answers were lost on the way back, say, and the phone sends both again: same keys,
    # so the server answers with the first responses and stores nothing new.
    replies = page.evaluate(RESEND, records)
    assert replies == [[201, "true"], [201, "true"]]
    assert SessionLog.objects.filter(patient=demo, performed_on=_today(demo)).count() == 1
    assert CheckIn.objects.filter(patient=demo, date=_today(demo)).count() == 1
    assert not checkin.revisions.exists()


NOTIFICATIONS = """() => self.registration.getNotifications().then(shown => shown.map(n => ({
    title: n.title, body: n.body, data: n.data,
    actions: n.actions.map(a => [a.action, a.title])})))"""


def _stand_up_all_day(patient):
    from reminders.models import ReminderSchedule
    from reminders.services import reminder_schedule_update

    schedule = ReminderSchedule.objects.get(user=patient, kind="stand_up")
    return reminder_schedule_update(
        schedule=schedule,
        data={
            "active_from": "00:00",
            "active_until": "23:59",
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "quiet_from": None,
            "quiet_until": None,
            "interval_minutes": 35,
        },
    )


def _push_payload(schedule) -> str:
    """What the reminders dispatcher sends for a stand-up reminder (reminders.channels.push)."""
    from reminders.channels.push import payload
    from reminders.models import Delivery

    delivery = Delivery.objects.create(
        schedule=schedule,
        user=schedule.user,
        kind="stand_up",
        channel="push",
        due_at=timezone.now(),
        title="Time to stand up",
        body="You have been sitting for about 35 minutes: stand up and walk for a few minutes.",
    )
    return payload(delivery)


def _registration_id(cdp, scope_url: str) -> str:
    found = {}

    def seen(event):
        for registration in event["registrations"]:
            if registration["scopeURL"] == scope_url and not registration["isDeleted"]:
                found["id"] = registration["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if "id" in found:
            return found["id"]
        cdp.send("Runtime.evaluate", {"expression": "1"})  # lets the events arrive
    raise AssertionError(f"no service worker registration for {scope_url}")


def _wait(check, what: str, seconds: float = 10):
    import time

    for _ in range(int(seconds * 10)):
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_pushed_reminder_shows_actions_that_call_the_api(demo, new_context, live_server):
    schedule = _stand_up_all_day(demo)
    context = new_context()
    context.grant_permissions(["notifications"])
    page = sign_in(context, "demo_patient")
    service_worker_ready(page)
    page.goto("/app/progress/")
    worker = context.service_workers[0]

    cdp = context.new_cdp_session(page)
    registration = _registration_id(cdp, f"{live_server.url}/app/")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration,
            "data": _push_payload(schedule),
        },
    )

    [shown] = _wait(lambda: worker.evaluate(NOTIFICATIONS), "the notification")
    assert shown["title"] == "Time to stand up"
    assert shown["actions"] == [["moved", "I moved"], ["snooze", "Snooze 10 min"]]
    assert shown["data"]["url"] == "/app/"  # tapping opens Today

    # "I moved": the service worker posts to the reminders API; the stand-up timer restarts.
    before = timezone.now()
    assert worker.evaluate("data => handleNotificationClick(data, 'moved')", shown["data"])
    schedule.refresh_from_db()
    assert schedule.next_due_at >= before + timedelta(minutes=34)
    page.get_by_text("The next stand-up reminder comes a full interval from now").wait_for()

    # "Snooze 10 min": the next reminder in ten minutes.
    assert worker.evaluate("data => handleNotificationClick(data, 'snooze')", shown["data"])
    schedule.refresh_from_db()
    assert abs(schedule.next_due_at - (timezone.now() + timedelta(minutes=10))) < timedelta(
        minutes=1
    )

    # Tapping the notification itself opens the page it is about, in the open app window.
    with page.expect_navigation(url=f"{live_server.url}/app/"):
        worker.evaluate("data => handleNotificationClick(data, '')", shown["data"])


TARGETS = """() => [...document.querySelectorAll(
    'main button, main .button, main select, main input[type=number], main input[type=time],'
    + ' main textarea, .site-header nav a, label.score, label.area, label.check, label.toggle')]
  .filter(element => element.offsetParent !== null)
  .map(element => [element.outerHTML.slice(0, 80), element.getBoundingClientRect().height])
  .filter(([, height]) => height < 44)"""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_screenshots_at_360_by_640_without_sideways_scrolling(demo, new_context, language):
    docs = ROOT / "docs" / "screenshots"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = sign_in(new_context(language), "demo_patient")
    for name, path in (
        ("today", "/app/"),
        ("checkin", "/app/checkin/"),
        ("progress", "/app/progress/"),
        ("reminders", "/app/reminders/"),
        ("welcome", "/app/welcome/"),
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
        assert page.evaluate(TARGETS) == [], f"touch targets under 44 px on {name}"
        shot = ARTIFACTS / f"{name}-{language}.png"
        page.screenshot(path=shot)
        page.screenshot(path=ARTIFACTS / f"{name}-{language}-full.png", full_page=True)
        # UPDATE_DOCS_SCREENSHOTS=en refreshes the README's pictures (docs/screenshots/).
        if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == language:
            shutil.copy(ARTIFACTS / f"{name}-{language}-full.png", docs / f"{name}.png")


def test_without_javascript_the_forms_post_to_the_server(demo, chromium, live_server):
    _clear_today(demo)
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 640},
        extra_http_headers={"Accept-Language": "en"},
        java_script_enabled=False,
    )
    try:
        page = sign_in(context, "demo_patient", language="en")
        with page.expect_navigation():
            page.get_by_role("button", name="Done: Plank").click()
        assert "Well done: Plank is logged." in page.inner_text("main")

        page.goto("/app/checkin/")
        _answer_scores(page, back=1, leg=2, numbness=0)
        with page.expect_navigation(url="**/app/checkin/thanks/"):
            page.get_by_role("button", name="Send check-in").click()
    finally:
        context.close()
    assert SessionLog.objects.filter(patient=demo, performed_on=_today(demo)).count() == 1
    assert CheckIn.objects.get(patient=demo, date=_today(demo)).leg_pain == 2
