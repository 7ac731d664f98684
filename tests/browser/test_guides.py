"""Exercise guides and the guided player in a real browser at 360 x 640 (Debian's chromium).

The player's clock is Playwright's page.clock: the test installs it before the page loads and
moves time on, so a 4-minute session runs in a moment and exactly as it would on a phone.
"""

import os
import shutil

import pytest

from tests.browser.conftest import ARTIFACTS, ROOT, service_worker_ready, sign_in
from tests.browser.test_patient_app import RESEND, _clear_today, _today, _wait
from tracker.models import AuditAction, AuditEvent, SessionLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The five-point bridge's plan for its dose (hold 10 s, 10 sets): 5 s to get ready, 10 sets of a
# 10 s hold and 3 s to lower, 10 s of rest between sets.
BRIDGE_SECONDS = 5 + 10 * (10 + 3) + 9 * 10


# The pictures on screen have loaded (polled, with a timeout: never a promise that can hang).
# "On screen" means drawn inside the viewport: a hidden image (the no-JS steps under the player,
# whose pictures load lazily and so may never load while hidden) has an empty box at the top.
SHOWN_PICTURES_LOADED = """() => [...document.images]
    .filter(img => {
        const box = img.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && box.top < innerHeight && box.bottom > 0;
    })
    .every(img => img.complete && img.naturalWidth > 0)"""


def _pictures_shown(page) -> None:
    # Polled from here, not with wait_for_function: with page.clock installed the page's own
    # timers stand still, so a predicate polled in the page is checked once and never again.
    _wait(lambda: page.evaluate(SHOWN_PICTURES_LOADED), "the pictures on screen", seconds=30)


def _stop_time(page) -> None:
    """Stop the page's clock where it is, so only run_for moves it.

    page.clock.install() alone lets time also flow as it does for real, so on a loaded machine
    a countdown checked after run_for(6 s) may already show 8 s where 9 or 10 is right.
    """
    from datetime import UTC, datetime

    from playwright.sync_api import Error

    # Real time flows between reading the page's clock and pausing it; on a loaded machine that
    # can be more than the margin, and pausing "in the past" is refused: read again, with a
    # wider margin (still far below the countdown's one-second steps).
    for margin_s in (0.001, 0.05, 0.2):
        now = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000 + margin_s, tz=UTC)
        try:
            page.clock.pause_at(now)
            return
        except Error as error:
            if "to the past" not in str(error):
                raise
    raise AssertionError("could not pause the page's clock")


def _outbox_empty(page) -> None:
    try:
        _wait(
            lambda: page.evaluate("RehabOutbox.all().then(records => records.length === 0)"),
            "the outbox to empty",
            seconds=30,
        )
    except AssertionError as timed_out:
        left = page.evaluate(
            "RehabOutbox.all().then(rs => rs.map(r => [r.kind, r.state, r.error]))"
        )
        raise AssertionError(f"{timed_out}; still in it: {left}") from None


def _bridge_sessions(patient):
    return SessionLog.objects.filter(
        patient=patient, performed_on=_today(patient), exercise__key="five_point_bridge"
    )


def _open_player(page):
    page.goto("/app/")
    bridge = page.locator("li.item", has_text="Five-point bridge")
    with page.expect_navigation(url="**/app/guides/five_point_bridge/play/?item=*"):
        bridge.get_by_role("link", name="Start with a timer: Five-point bridge").click()


def test_open_a_guide_from_today(demo, new_context):
    page = sign_in(new_context(), "demo_patient")
    bridge = page.locator("li.item", has_text="Five-point bridge")
    with page.expect_navigation(url="**/app/guides/five_point_bridge/?item=*"):
        bridge.get_by_role("link", name="How to do it").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Five-point bridge"
    assert "Hold 10 s, 10 sets" in page.locator(".guide-dose").inner_text()
    steps = page.locator(".guide-steps > li")
    assert steps.count() == 4
    assert "Press down through your elbows, feet, head and shoulders" in steps.nth(1).inner_text()
    assert "What you should feel" in page.inner_text("main")
    assert "Stop and tell your therapist if" in page.inner_text("main")
    pictures = page.locator(".guide-steps img")  # a picture again where the position changes
    sources = [pictures.nth(i).get_attribute("src") for i in range(pictures.count())]
    assert [source.rsplit("/", 1)[1] for source in sources] == [
        "five_point_bridge-1.svg",
        "five_point_bridge-2.svg",
        "five_point_bridge-1.svg",
    ]
    for i in range(pictures.count()):
        pictures.nth(i).scroll_into_view_if_needed()  # loaded lazily, when scrolled to
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=pictures.nth(i).element_handle()
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator(".site-header nav").get_by_role("link", name="Guides").click()  # the navigation
    assert page.get_by_role("heading", level=1).inner_text() == "Exercise guides"
    assert page.locator(".guide-link", has_text="Kegel").count() == 1


def test_a_guided_five_point_bridge_runs_to_the_end_and_is_logged_once(demo, new_context):
    _clear_today(demo)
    page = sign_in(new_context(), "demo_patient")
    page.clock.install()
    _open_player(page)

    player = page.locator("[data-player]")
    _stop_time(page)
    page.get_by_role("button", name="Start").click()
    assert player.locator("[data-phase]").inner_text() == "Get ready"
    page.clock.run_for(6_000)
    assert player.locator("[data-phase]").inner_text() == "Hold"
    assert "Set 1 of 10" in player.locator(".player-count").inner_text()
    assert "five_point_bridge-2.svg" in player.locator("[data-picture]").get_attribute("src")
    assert player.locator("[data-timer]").inner_text() in ("9", "10")

    # Paused, time passes and nothing moves on; resumed, it carries on where it was.
    page.get_by_role("button", name="Pause").click()
    shown = player.locator("[data-timer]").inner_text()
    page.clock.run_for(60_000)
    assert player.locator("[data-timer]").inner_text() == shown
    assert player.locator("[data-phase]").inner_text() == "Paused"
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(10_000)
    assert player.locator("[data-phase]").inner_text() in ("Move", "Rest")

    page.clock.run_for(BRIDGE_SECONDS * 1000)
    page.clock.resume()  # the outbox's retries run on the page's timers
    done = page.locator("[data-player-done]")
    done.wait_for()
    assert "That is the whole session" in done.inner_text()
    done.locator("label.score", has_text="2").first.click()
    done.get_by_label("How hard was it?").select_option("right")
    save = done.get_by_role("button", name="Save this session")
    save.click()
    page.locator("[data-player-saved]").wait_for()
    # A second submit (a double tap that got through): still one session.
    page.evaluate("document.querySelector('[data-player-done]').requestSubmit()")
    _outbox_empty(page)

    [session] = _bridge_sessions(demo)
    assert (session.sets, session.pain_during, session.difficulty) == (10, 2, "right")
    assert session.minutes >= 3
    assert session.item is not None


def test_a_guided_session_offline_is_sent_once_when_back_online(demo, new_context):
    _clear_today(demo)
    context = new_context()
    page = sign_in(context, "demo_patient")
    service_worker_ready(page)
    page.clock.install()
    _open_player(page)

    context.set_offline(True)
    page.get_by_role("button", name="Start").click()
    page.clock.run_for((BRIDGE_SECONDS + 5) * 1000)
    page.get_by_role("button", name="Save this session").click()
    outbox = page.locator("#outbox")
    outbox.wait_for()
    assert "Five-point bridge" in outbox.inner_text() and "Waiting to send" in outbox.inner_text()
    records = page.evaluate("RehabOutbox.all()")
    assert [record["kind"] for record in records] == ["session"]
    assert not _bridge_sessions(demo).exists()

    context.set_offline(False)  # back online: the outbox sends itself
    _outbox_empty(page)
    # The page and the service worker may both send it (the same Idempotency-Key): the store can
    # empty while the first request is still being answered, so wait for the server's row.
    [session] = _wait(lambda: list(_bridge_sessions(demo)), "the session on the server")
    assert session.sets == 10
    # The answer was lost on the way, say, and the phone sends it again: same key, stored once.
    assert page.evaluate(RESEND, records) == [[201, "true"]]
    assert _bridge_sessions(demo).count() == 1


def test_undo_a_session_logged_by_mistake(demo, new_context):
    _clear_today(demo)
    page = sign_in(new_context(), "demo_patient")
    card = page.locator("li.item", has_text="Glute bridge")
    card.get_by_role("button", name="Done: Glute bridge").click()
    undo = card.get_by_role("button", name="Undo the last one: Glute bridge")
    undo.wait_for()
    [session] = SessionLog.objects.filter(patient=demo, performed_on=_today(demo))

    # A second Done straight away asks first; "No" logs nothing more.
    card.get_by_role("button", name="Done: Glute bridge").click()
    dialog = page.locator("dialog[data-again-dialog]")
    dialog.wait_for()
    assert "Glute bridge" in dialog.inner_text()
    dialog.get_by_role("button", name="No, it was logged once").click()
    assert SessionLog.objects.filter(patient=demo, performed_on=_today(demo)).count() == 1

    with page.expect_navigation():
        undo.click()
    assert "Undone: Glute bridge is no longer logged" in page.inner_text("main")
    assert not SessionLog.objects.filter(patient=demo, performed_on=_today(demo)).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(session.public_id))
    assert event.actor == demo and event.patient == demo


@pytest.mark.parametrize("language", ["en", "zh"])
def test_guide_and_player_screenshots_at_360_by_640(demo, new_context, language):
    docs = ROOT / "docs" / "screenshots"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = sign_in(new_context(language), "demo_patient")
    page.clock.install()
    for name, path in (
        ("guide", "/app/guides/five_point_bridge/"),
        ("player", "/app/guides/five_point_bridge/play/"),
    ):
        page.goto(path)
        if name == "player":
            page.locator("[data-start]").click()
            page.clock.run_for(7_000)
        _pictures_shown(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
        page.screenshot(path=ARTIFACTS / f"{name}-{language}.png")
        if os.environ.get("UPDATE_DOCS_SCREENSHOTS") in (language, "guides"):
            shutil.copy(ARTIFACTS / f"{name}-{language}.png", docs / f"{name}-{language}.png")


def test_the_walk_timer_stop_for_the_leg_feeds_the_check_in(demo, new_context):
    _clear_today(demo)
    page = sign_in(new_context(), "demo_patient")
    page.clock.install()
    page.goto("/app/guides/brisk_walk/play/")
    _stop_time(page)
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(3 * 60 * 1000)  # three minutes of walking
    player = page.locator("[data-player]")
    assert player.locator("[data-phase]").inner_text() == "Walk"
    assert player.locator("[data-timer]").inner_text() == "17:00"
    page.clock.resume()

    page.get_by_role("button", name="I had to stop because of my leg").click()
    done = page.locator("[data-player-done]")
    assert "after 3 min" in done.inner_text()
    done.get_by_role("button", name="Save this session").click()
    page.locator("[data-player-saved]").wait_for()
    _outbox_empty(page)
    [session] = SessionLog.objects.filter(
        patient=demo, performed_on=_today(demo), exercise__key="brisk_walk"
    )
    assert session.minutes == 3 and "leg symptoms after 3 min" in session.note

    page.goto("/app/checkin/")  # today's check-in asks with the answer filled in
    assert page.locator("input[name=stopped_walking]").is_checked()
    assert page.locator("input[name=walking_minutes]").input_value() == "3"


def test_a_guide_seen_once_opens_without_a_signal(demo, new_context):
    context = new_context()
    page = sign_in(context, "demo_patient")
    service_worker_ready(page)
    page.goto("/app/guides/plank/")
    _pictures_shown(page)

    context.set_offline(True)
    page.goto("/app/guides/plank/")  # the copy the service worker kept
    assert page.get_by_role("heading", level=1).inner_text() == "Plank"
    first = page.locator(".guide-steps img").first
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )


def test_i_moved_with_javascript_confirms_like_the_form_post(demo, new_context):
    page = sign_in(new_context(), "demo_patient")
    with page.expect_navigation():
        page.get_by_role("button", name="I moved").click()
    status = page.locator(".messages", has_text="The next stand-up reminder comes a full interval")
    status.wait_for()
    page.reload()  # said once, not again on the next visit
    assert page.locator(".messages").count() == 0
