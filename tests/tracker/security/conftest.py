from tests.tracker.support import (  # noqa: F401 - fixtures
    api,
    now,
    patient,
)
