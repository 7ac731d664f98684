"""The therapist's own alerts in Chromium at 1366 × 768 (issue 10): the therapist turns on
urgent alerts on the inbox page (the notifications permission granted in the context), a
patient's urgent check-in on their phone pushes an alert to the therapist's browser through the
reminders pipeline and a local stand-in push service, the therapist's service worker shows it
linking to the patient's page, and the alert is in the inbox; the patient's page opens on the
flag with the box the patient ticked. Screenshots of the inbox and the patient page's top.

The browser's own push service is the one thing faked, at the edge: Chromium here has no push
service to reach, so PushManager.subscribe answers with a subscription on the stand-in (keys
made here, so the test can decrypt what the server sent, as the browser would).
UPDATE_DOCS_SCREENSHOTS=en (or zh) copies the screenshots into docs/screenshots/.
"""

import json
import os
import shutil

import pytest
from django.utils import timezone

from reminders.management.commands.vapid_keys import generate_keys
from tests.browser.conftest import ARTIFACTS, ROOT, sign_in
from tests.browser.test_patient_app import _registration_id, _wait
from tests.reminders.factories import _remember, _with_secret, pushed_payload
from tests.reminders.pushstandin import PushStandIn
from tracker.models import CheckIn, Flag

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 768}
SADDLE = {"en": "Numbness between the legs", "zh": "两腿之间或臀部周围麻木"}
TURN_ON = {"en": "Turn on alerts on this computer", "zh": "在这台电脑上开启提醒"}
IS_ON = {"en": "On: urgent alerts show", "zh": "已开启"}
ANSWERED = {"en": "Saddle numbness: yes", "zh": "鞍区麻木: 是"}
SHOWN = """() => self.registration.getNotifications().then(shown => shown.map(n => ({
    title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url})))"""

# The browser's push service, at the edge: a subscription on the stand-in.
FAKE_PUSH_MANAGER = """(() => {
  if (!self.PushManager) return;
  const FAKE = %s;
  const KEPT = 'test-push-subscription';
  const make = () => ({
    endpoint: FAKE.endpoint, expirationTime: null,
    toJSON: () => ({ endpoint: FAKE.endpoint, expirationTime: null, keys: FAKE.keys }),
    unsubscribe: () => { localStorage.removeItem(KEPT); return Promise.resolve(true); }
  });
  PushManager.prototype.subscribe = function () {
    localStorage.setItem(KEPT, '1');
    return Promise.resolve(make());
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem(KEPT) ? make() : null);
  };
})();"""


@pytest.fixture
def push_service(settings, live_server):
    settings.SITE_URL = live_server.url  # the links in alerts are absolute
    keys = generate_keys()
    settings.VAPID_PUBLIC_KEY = keys["public_key"]
    settings.VAPID_PRIVATE_KEY = keys["private_key"]
    settings.VAPID_SUBJECT = "mailto:ops@example.test"
    settings.PUSH_SERVICE_HOSTS = ["http://127.0.0.1:*"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with PushStandIn() as stand_in:
        yield stand_in


def _shot(page, name: str, language: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{language}.png"
    page.screenshot(path=path)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == language:
        shutil.copy(path, ROOT / "docs" / "screenshots" / path.name)


def _therapist_page(new_context, language: str, endpoint: str):
    keys = _remember(endpoint, _with_secret())
    context = new_context(language)
    context.grant_permissions(["notifications"])
    fake = {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}
    context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(fake))
    page = sign_in(context, "demo_therapist")
    page.set_viewport_size(DESKTOP)
    return context, page


def _urgent_checkin(new_context, language: str) -> None:
    page = sign_in(new_context(language), "demo_patient")
    page.goto("/app/checkin/")
    for name, value in (("back_pain", 3), ("leg_pain", 4), ("numbness", 2)):
        page.locator(f"#q-{name} label.score", has_text=str(value)).first.click()
    page.locator("label.check", has_text=SADDLE[language]).click()
    page.locator("button[type=submit].big").click()
    page.get_by_role("alertdialog").wait_for(timeout=30_000)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_urgent_checkin_reaches_the_therapist_who_opted_in(
    demo, new_context, live_server, push_service, language
):
    from django.core import mail

    from reminders.models import InboxMessage, PushSubscription

    today = timezone.localdate(timezone=demo.patient_profile.tzinfo)
    CheckIn.objects.filter(patient=demo, date=today).delete()
    Flag.objects.filter(patient=demo).delete()
    InboxMessage.objects.filter(user__username="demo_therapist").delete()
    endpoint = push_service.endpoint(f"desk-{language}")

    # The therapist turns alerts on, on the inbox page.
    context, page = _therapist_page(new_context, language, endpoint)
    page.goto("/therapist/inbox/")
    page.get_by_role("button", name=TURN_ON[language]).click()
    status = page.locator("[data-push-status]")
    _wait(lambda: IS_ON[language] in status.inner_text(), "alerts turned on", 30)
    [subscription] = PushSubscription.objects.filter(user__username="demo_therapist")
    assert subscription.endpoint == endpoint and subscription.is_active
    page.reload()  # the page knows it is on, from the server's record
    _wait(lambda: IS_ON[language] in status.inner_text(), "alerts still on", 30)
    cdp = context.new_cdp_session(page)
    registration = _registration_id(cdp, f"{live_server.url}/therapist/")

    # The patient's urgent check-in, on their phone.
    _urgent_checkin(new_context, language)

    [received] = _wait(lambda: push_service.received_on(f"desk-{language}"), "the push", 30)
    alert = pushed_payload(received)
    page_path = f"/therapist/patients/{demo.public_id}/"
    assert alert["title"] == f"紧急 Urgent: {demo.patient_profile.display_name}"
    assert alert["url"].endswith(page_path)
    assert any(message.to == ["therapist@example.com"] for message in mail.outbox)

    # The therapist's service worker shows it, linking to the patient's page.
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration, "data": received_json(alert)},
    )
    worker = _wait(
        lambda: next(
            (w for w in context.service_workers if w.url.endswith("/therapist/sw.js")), None
        ),
        "the therapist's service worker",
        30,
    )
    [shown] = _wait(lambda: worker.evaluate(SHOWN), "the notification", 30)
    assert shown["title"] == alert["title"] and shown["url"] == page_path
    assert shown["tag"] == alert["tag"]

    # And in the inbox, with the count in the header.
    page.reload()
    item = page.locator(".inbox-item.urgent").first
    assert demo.patient_profile.display_name in item.inner_text()
    assert page.locator("header .badge").inner_text() == "1"
    _shot(page, "therapist-alerts-inbox", language)

    # The alert opens the patient's page on the flag and the box the patient ticked.
    with page.expect_navigation():
        item.get_by_role("link").click()
    assert page.url.endswith(page_path)
    card = page.locator(".flag-card.sev-urgent").first
    assert ANSWERED[language] in card.inner_text()
    page.locator("#flags-heading").evaluate("heading => heading.scrollIntoView()")
    _shot(page, "therapist-alerts-patient", language)


def received_json(alert: dict) -> str:
    return json.dumps(alert, ensure_ascii=False)
