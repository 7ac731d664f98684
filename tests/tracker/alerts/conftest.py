"""The therapist's own alerts (issue 10): Web Push opt-in and the urgent fan-out. The push
service is the local stand-in of tests/reminders (the one outside edge faked); e-mail goes to
Django's locmem outbox."""

import pytest

from reminders.management.commands.vapid_keys import generate_keys
from tests.reminders.pushstandin import PushStandIn
from tests.tracker.support import (  # noqa: F401 - fixtures
    api,
    clinic_admin,
    colleague,
    now,
    other_patient,
    patient,
)

_KEYS = generate_keys()


@pytest.fixture(autouse=True)
def _web_push(settings):
    settings.VAPID_PUBLIC_KEY = _KEYS["public_key"]
    settings.VAPID_PRIVATE_KEY = _KEYS["private_key"]
    settings.VAPID_SUBJECT = "mailto:ops@example.test"
    settings.REMINDERS_PUSH_TIMEOUT_SECONDS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PUSH_SERVICE_HOSTS = ["push.example.test", "http://127.0.0.1:*"]


@pytest.fixture
def push_service():
    with PushStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def eager_tasks():
    """Sending runs in-process after commit, as a worker would pick it up."""
    from tracker.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture
def staff_client(client):
    def make(user, language: str = "en"):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make
