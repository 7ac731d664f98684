"""Every endpoint as the patient, their therapist, an outsider therapist, another patient, a
clinic admin of the patient's clinic and an anonymous caller. An object that exists but is not
yours answers 404 exactly like one that does not exist, and never leaks into a list."""

import pytest

from tests.factories import CheckInFactory
from tracker.services.assignments import assignment_change
from tracker.services.sessions import session_log_create

ROLES = ["patient", "therapist", "other_therapist", "other_patient", "clinic_admin", "anonymous"]
P = "/api/v1/patients/{id}/"
CHECKIN = {"date": "2026-03-10", "back_pain": 3, "leg_pain": 4, "numbness": 2}
NEW_PATIENT = {"username": "new.one", "password": "Long-Enough-2026", "display_name": "New"}

# (method, path, body, {role: expected status}); "{id}" is the subject patient's id.
ENDPOINTS = [
    ("get", "/api/v1/me/", None, dict.fromkeys(ROLES[:5], 200)),
    ("get", "/api/v1/patients/", None, dict.fromkeys(ROLES[:5], 200)),
    (
        "post",
        "/api/v1/patients/",
        NEW_PATIENT,
        {"therapist": 201, "other_therapist": 201}
        | dict.fromkeys(["patient", "other_patient", "clinic_admin"], 403),
    ),
    ("get", P, None, {"patient": 200, "therapist": 200, "clinic_admin": 200}),
    (
        "patch",
        P,
        {"display_name": "Renamed"},
        {"patient": 200, "therapist": 200, "clinic_admin": 403},
    ),
    (
        "post",
        P + "care-team/",
        {"therapist": "{colleague}"},
        {"patient": 403, "therapist": 200, "clinic_admin": 403},
    ),
    ("get", P + "assignments/", None, {"patient": 200, "therapist": 200, "clinic_admin": 200}),
    (
        "post",
        P + "assignments/",
        {"template": "circulation"},
        {"patient": 403, "therapist": 201, "clinic_admin": 403},
    ),
    ("get", P + "adherence/", None, {"patient": 200, "therapist": 200, "clinic_admin": 200}),
    ("get", P + "export/", None, {"patient": 200, "therapist": 200, "clinic_admin": 403}),
    ("get", P + "export/csv/", None, {"patient": 200, "therapist": 200, "clinic_admin": 403}),
    ("get", "/api/v1/checkins/", None, dict.fromkeys(ROLES[:5], 200)),
    (
        "post",
        "/api/v1/checkins/",
        CHECKIN,
        {"patient": 201, "other_patient": 201}
        | dict.fromkeys(["therapist", "other_therapist", "clinic_admin"], 403),
    ),
    ("get", "/api/v1/sessions/", None, dict.fromkeys(ROLES[:5], 200)),
    (
        "post",
        "/api/v1/sessions/",
        {"exercise": "plank", "minutes": 1},
        {"patient": 201, "other_patient": 201}
        | dict.fromkeys(["therapist", "other_therapist", "clinic_admin"], 403),
    ),
    # Only the patient may take back their own session; for anyone else it does not exist.
    ("post", "/api/v1/sessions/{session}/undo/", None, {"patient": 204}),
    (
        "get",
        "/api/v1/audit-events/",
        None,
        {"clinic_admin": 200} | dict.fromkeys(ROLES[:4], 403),
    ),
    (
        "post",
        "/api/v1/me/erase/",
        {"password": "Correct-horse-42"},
        {"patient": 200, "other_patient": 200}
        | dict.fromkeys(["therapist", "other_therapist", "clinic_admin"], 403),
    ),
]


def _expected(table: dict, role: str) -> int:
    if role == "anonymous":
        return 401
    # Anything about the patient that this role is not listed for: not theirs, so 404.
    return table.get(role, 404)


@pytest.fixture
def subject_history(patient, therapist, now):
    item = assignment_change(
        patient=patient, therapist=therapist, template_key="circulation"
    ).items.get()
    session = session_log_create(patient=patient, item_id=item.public_id, minutes=20)
    CheckInFactory(patient=patient, date="2026-03-09")
    return session


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "table"),
    ENDPOINTS,
    ids=[f"{method.upper()} {path}" for method, path, *_ in ENDPOINTS],
)
def test_access(request, api, patient, colleague, subject_history, role, method, path, body, table):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    url = path.format(id=patient.public_id, session=subject_history.public_id)
    if body and body.get("therapist") == "{colleague}":
        body = {"therapist": str(colleague.public_id)}

    response = getattr(api(user), method)(url, body, format="json")

    assert response.status_code == _expected(table, role), response.content[:300]
    if role in ("other_therapist", "other_patient") and response.status_code < 300:
        assert str(patient.public_id).encode() not in response.content


def test_a_missing_patient_answers_exactly_like_someone_elses(api, patient, other_therapist):
    client = api(other_therapist)
    for tail in ("", "assignments/", "adherence/", "export/"):
        theirs = client.get(P.format(id=patient.public_id) + tail)
        missing = client.get(P.format(id="2b1f0c52-8f3e-4f7e-9d7a-0c4b6f1e2a33") + tail)
        assert (theirs.status_code, theirs.content) == (missing.status_code, missing.content)
