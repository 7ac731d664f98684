import pytest

from reminders.management.commands.vapid_keys import generate_keys
from tests.reminders.pushstandin import PushStandIn

_KEYS = generate_keys()
TEST_PUSH_SERVICE_HOSTS = ["push.example.test", "http://127.0.0.1:*"]


@pytest.fixture(autouse=True)
def _vapid(settings):
    settings.VAPID_PUBLIC_KEY = _KEYS["public_key"]
    settings.VAPID_PRIVATE_KEY = _KEYS["private_key"]
    settings.VAPID_SUBJECT = "mailto:ops@example.test"
    settings.REMINDERS_PUSH_TIMEOUT_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The push stand-in listens on 127.0.0.1 over plain HTTP, and the factories' endpoints are
    # on push.example.test: both named here, explicitly; the product's default names only the
    # browsers' push services (reminders/push_endpoints.py).
    settings.PUSH_SERVICE_HOSTS = TEST_PUSH_SERVICE_HOSTS


@pytest.fixture
def push_service():
    with PushStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def eager_tasks(settings):
    """Tasks run in-process when enqueued (after commit): the send path without a broker."""
    from tracker.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
