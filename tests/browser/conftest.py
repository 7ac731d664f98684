"""Playwright for Python driving Debian's /usr/bin/chromium against pytest-django's live server.

One browser per test process; a fresh context (cookies, cache, service workers) per test. The
tests run on a transactional database (the live server's threads must see their rows) with a
serialized rollback, so the exercise catalogue the migrations load is there again for the next
test.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, _needs

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 640}
LANGUAGES = {"en": "en", "zh": "zh-CN"}
DEMO_PASSWORD = "demo-pass-2026"  # the published demo login (tracker.services.demo)


@pytest.fixture
def chromium():
    _needs("Chromium", os.path.exists(CHROMIUM), f"apt-get install chromium for {CHROMIUM}")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while it is started, and
    # Django refuses ORM calls from a thread with a running loop; the tests' own ORM calls are
    # plain synchronous code all the same. Started per test, after pytest-django has restored
    # the database (in the thread's usual context) and stopped before it flushes it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            # While the loop runs, Django keeps this thread's connections apart (asgiref's
            # Local): close the ones the test opened, or the test database stays in use.
            connections.close_all()
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Work the server hands to Celery (a therapist told of an urgent flag) runs in the server's
    thread after commit, instead of waiting in a broker no worker reads during the tests."""
    from tracker.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def demo(live_server):
    """The demo data of `make run`: demo_patient (王芳) with 60 days of history under
    demo_therapist, and eleven other patients."""
    from tracker.services.demo import demo_seed

    demo_seed()
    from tracker.models import User

    return User.objects.get(username="demo_patient")


@pytest.fixture
def new_context(chromium, live_server):
    """new_context(language="en") -> a phone-sized browser context on the live server."""
    contexts = []

    def make(language: str = "en"):
        accept = LANGUAGES[language]
        context = chromium.new_context(
            base_url=live_server.url,
            viewport=PHONE,
            device_scale_factor=1,
            locale=accept,
            extra_http_headers={"Accept-Language": accept},
            service_workers="allow",
        )
        context.set_default_timeout(10_000)
        context.rehab_language = language  # sign_in gives a patient's profile this language
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


PROFILE_LANGUAGES = {"en": "en", "zh": "zh-hans"}


def sign_in(context, username: str, password: str = DEMO_PASSWORD, *, language: str | None = None):
    """Signs in on a new page. A patient reads the app in their profile's language (issue 9), so
    a patient's profile takes the context's language (or `language`) first."""
    from tracker.models import PatientProfile

    language = language or getattr(context, "rehab_language", None)
    if language:
        PatientProfile.objects.filter(user__username=username).update(
            language=PROFILE_LANGUAGES[language]
        )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def service_worker_ready(page) -> None:
    """Wait until the app's service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
        page.evaluate(
            "new Promise((done) => navigator.serviceWorker.controller ? done(true)"
            " : navigator.serviceWorker.addEventListener('controllerchange', () => done(true)))"
        )
