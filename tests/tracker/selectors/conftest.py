from tests.tracker.dashboard.conftest import staff_client  # noqa: F401 - fixtures
from tests.tracker.support import api, now, patient  # noqa: F401 - fixtures
