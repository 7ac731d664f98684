from tests.tracker.support import (  # noqa: F401 - fixtures
    api,
    clinic_admin,
    colleague,
    now,
    other_clinic_admin,
    other_patient,
    patient,
)
