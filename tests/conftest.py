import os

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import TherapistFactory, UserFactory

# In CI (.ci/run sets REQUIRE_SERVICES=1) a test that needs PostgreSQL, Redis or Chromium must
# run, so a missing service fails the build instead of quietly skipping.
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# Debian's chromium, driven by Playwright (its own browser download cannot work here).
CHROMIUM = "/usr/bin/chromium"


def pytest_report_header(config):
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    return f"services: database={database} broker={broker} require_services={REQUIRE_SERVICES}"


def _needs(what: str, available: bool, how: str = "set DATABASE_URL / REDIS_URL to run it") -> None:
    if available:
        return
    message = f"needs {what}; {how} (.ci/run does)"
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but this test {message}")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres"):
        _needs("PostgreSQL", connection.vendor == "postgresql")
    if request.node.get_closest_marker("redis"):
        _needs("Redis", bool(settings.REDIS_URL))
    if request.node.get_closest_marker("browser"):
        _needs("Chromium", os.path.exists(CHROMIUM), f"apt-get install chromium for {CHROMIUM}")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _side_work_inline(settings):
    """A check-in's or session's side work (reminder bookkeeping, digest items) runs in its own
    transaction, so a test sees it at once (in production a task enqueued on commit does it,
    tracker/services/side_work.py; tests of that path turn this off)."""
    settings.SIDE_WORK_INLINE = True


@pytest.fixture(autouse=True)
def _default_language():
    """A request through the test client leaves its language active in the thread; the next
    test starts from the default (Chinese) again, whatever order the tests run in."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each xdist worker gets its own Redis database, so clearing it between tests
    (FLUSHDB) never wipes a neighbour's throttle counters mid-test."""
    from django.core.cache import cache

    if settings.REDIS_URL:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
        base = (
            settings.REDIS_URL.rsplit("/", 1)[0]
            if settings.REDIS_URL.count("/") > 2
            else settings.REDIS_URL
        )
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"{base}/{1 + int(worker or 0) % 15}",
            }
        }
    cache.clear()
    yield


@pytest.fixture
def patient(db):
    return UserFactory(username="pat")


@pytest.fixture
def therapist(db):
    return TherapistFactory(username="ther")


@pytest.fixture
def other_therapist(db):
    return TherapistFactory(username="outsider")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as `make setup` and a deploy leave it: migrated (migration 0003 creates
    the catalogue as it was frozen then), then `load_catalogue` from the live catalogue.yaml."""
    from django.db import connections

    from exercises.services import catalogue_load

    with django_db_blocker.unblock():
        catalogue_load()
        # Transactional tests with serialized_rollback restore the state saved at creation,
        # which predates the load: save it again.
        for connection_ in connections.all():
            if getattr(connection_, "_test_serialized_contents", None) is not None:
                connection_._test_serialized_contents = (
                    connection_.creation.serialize_db_to_string()
                )
