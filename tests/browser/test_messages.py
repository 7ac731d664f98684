"""Messages between a patient (a phone, 360 x 640) and their therapist (a clinic screen,
1366 x 768), in two browser contexts at once: a question, the therapist's notification and
unread counts, the answer, the patient reading it; then the same kind of message written without
a signal, which waits on the phone and arrives once. UPDATE_DOCS_SCREENSHOTS=en (or zh) copies
the screenshots into docs/screenshots/."""

import os
import shutil
import time

import pytest

from tests.browser.conftest import ARTIFACTS, LANGUAGES, PHONE, ROOT, service_worker_ready, sign_in
from tests.browser.test_patient_app import RESEND
from tracker.models import Message, User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DESKTOP = {"width": 1366, "height": 768}
QUESTION = "Is it normal that my calf cramps after the walk?"
ANSWER = "It can be. Stretch the calf for 30 seconds before bed and tell me in a week."
OFFLINE = "Written on the bus, no signal."


def _wait(check, what: str, seconds: float = 30):
    for _ in range(int(seconds * 10)):
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _staff_context(chromium, live_server, language: str = "en"):
    accept = LANGUAGES[language]
    context = chromium.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        device_scale_factor=1,
        locale=accept,
        extra_http_headers={"Accept-Language": accept},
    )
    context.set_default_timeout(30_000)
    return context


def _shot(page, name: str, language: str, *, width: int, full_page: bool = True) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{language}.png"
    page.screenshot(path=path, full_page=full_page)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == language:
        shutil.copy(path, ROOT / "docs" / "screenshots" / path.name)


def _badge(page, selector: str) -> str:
    badge = page.locator(f"{selector} .badge")
    return badge.inner_text() if badge.count() else ""


def test_a_question_is_answered_and_read_and_an_offline_message_arrives_once(
    demo, new_context, chromium, live_server
):
    context = new_context()
    context.set_default_timeout(30_000)
    phone = sign_in(context, "demo_patient")
    phone.goto("/app/messages/")
    assert "Messages are not watched around the clock." in phone.inner_text("#composer")
    assert phone.locator("#composer a[href^='tel:']").count() >= 1
    phone.fill("#message-body", QUESTION)
    with phone.expect_navigation(url="**/app/messages/?sent=1*"):
        phone.get_by_role("button", name="Send", exact=True).click()
    phone.locator(".conversation .msg.mine", has_text=QUESTION).wait_for()

    staff_context = _staff_context(chromium, live_server)
    try:
        desk = sign_in(staff_context, "demo_therapist")
        desk.goto("/therapist/")
        assert _badge(desk, "header [data-nav-messages]") == "1"
        row = desk.locator("tr", has_text="王芳")
        assert "1 unread message" in " ".join(row.inner_text().split())
        desk.goto("/therapist/inbox/")  # the notification, in the inbox of the header
        assert "Message from 王芳" in desk.inner_text("main")

        desk.goto(f"/therapist/patients/{demo.public_id}/")
        panel = desk.locator("#messages")
        assert QUESTION in panel.inner_text()
        desk.fill("#reply-body", ANSWER)
        with desk.expect_navigation():
            desk.get_by_role("button", name="Send", exact=True).click()
        assert "Message sent." in desk.inner_text("main")
        assert _badge(desk, "header [data-nav-messages]") == ""
        _shot(desk, "messages-therapist-panel", "en", width=DESKTOP["width"], full_page=False)
    finally:
        staff_context.close()

    phone.goto("/app/")
    assert _badge(phone, "[data-nav-messages]") == "1"
    phone.goto("/app/messages/")
    answer = phone.locator(".conversation .msg.theirs", has_text=ANSWER)
    assert "(your care team)" in answer.inner_text()
    assert _badge(phone, "[data-nav-messages]") == ""

    # Without a signal: the message waits on the phone, then is sent once.
    service_worker_ready(phone)
    context.set_offline(True)
    phone.fill("#message-body", OFFLINE)
    phone.get_by_role("button", name="Send", exact=True).click()
    waiting = phone.locator(".conversation .msg.waiting", has_text=OFFLINE)
    waiting.wait_for()
    assert "Waiting to send" in waiting.inner_text()
    records = phone.evaluate("RehabOutbox.all()")
    assert [record["kind"] for record in records] == ["message"]
    assert not Message.objects.filter(body=OFFLINE).exists()

    with phone.expect_navigation(url="**/app/messages/?sent=1*"):
        context.set_offline(False)
    phone.locator(".conversation .msg.mine", has_text=OFFLINE).wait_for()
    assert _wait(lambda: phone.evaluate("RehabOutbox.all()") == [], "the outbox to empty")
    # The answer was lost on the way back, say: the phone sends it again with its key.
    assert phone.evaluate(RESEND, records) == [[201, "true"]]
    assert Message.objects.filter(body=OFFLINE).count() == 1
    assert Message.objects.filter(conversation__patient=demo).count() == 3


@pytest.mark.parametrize("language", ["en", "zh"])
def test_screenshots_of_the_conversation(demo, new_context, chromium, live_server, language):
    from tracker.services.messages import message_send

    therapist = User.objects.get(username="demo_therapist")
    questions = {
        "en": (QUESTION, ANSWER),
        "zh": ("走完路小腿抽筋正常吗？", "可能会这样。睡前拉伸小腿 30 秒，一周后告诉我情况。"),
    }[language]
    message_send(patient=demo, author=demo, body=questions[0])
    message_send(patient=demo, author=therapist, body=questions[1])

    context = new_context(language)
    phone = sign_in(context, "demo_patient")
    phone.goto("/app/messages/")
    _shot(phone, "messages-patient", language, width=PHONE["width"])
    phone.locator("#composer").scroll_into_view_if_needed()
    _shot(phone, "messages-composer", language, width=PHONE["width"], full_page=False)

    staff_context = _staff_context(chromium, live_server, language)
    try:
        desk = sign_in(staff_context, "demo_therapist")
        desk.goto(f"/therapist/patients/{demo.public_id}/messages/")
        _shot(desk, "messages-therapist", language, width=DESKTOP["width"], full_page=False)
    finally:
        staff_context.close()
