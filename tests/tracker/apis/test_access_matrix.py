"""Every endpoint of every app as the patient, their therapist, an outsider therapist, another
patient, a clinic admin of the patient's clinic, another clinic's admin and an anonymous caller.
An object that exists but is not yours answers 404 exactly like one that does not exist, and
never leaks into a list. The endpoint list is checked against the OpenAPI schema, so a new
endpoint without a row here fails."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import PASSWORD
from tests.reminders.factories import browser_keys

ROLES = [
    "patient",
    "therapist",
    "other_therapist",
    "other_patient",
    "clinic_admin",
    "other_clinic_admin",
    "anonymous",
]
SIGNED_IN = ROLES[:-1]
OUTSIDERS = ["other_therapist", "other_patient", "other_clinic_admin"]
P = "/api/v1/patients/{patient_id}/"
R = "/api/v1/reminders/"
CHECKIN = {"date": "2026-03-10", "back_pain": 3, "leg_pain": 4, "numbness": 2}
NEW_PATIENT = {"username": "new.one", "password": "Long-Enough-2026", "display_name": "New"}
EVERYONE = dict.fromkeys(ROLES, 200)  # the catalogue is public
ANYONE_SIGNED_IN = dict.fromkeys(SIGNED_IN, 200)
STAFF = ["therapist", "other_therapist", "clinic_admin", "other_clinic_admin"]
PATIENTS_ONLY = dict.fromkeys(["patient", "other_patient"], 201) | dict.fromkeys(STAFF, 403)
# A therapist of the patient acts on the flag; other roles are refused by role (403) before
# any flag is looked up; an outsider therapist finds no such flag (404).
FLAG_ACTION = {"therapist": 200, "other_therapist": 404} | dict.fromkeys(
    ["patient", "other_patient", "clinic_admin", "other_clinic_admin"], 403
)
# The patient's own reminder objects: theirs alone, their therapist included (404).
OWN = {"patient": 200}

# (method, path as in the schema, body, {role: expected status}); "{...}" are the subject's ids.
ENDPOINTS = [
    ("post", "/api/v1/auth/token/", {"username": "pat", "password": PASSWORD}, EVERYONE),
    # Signed in without a token (the matrix's clients), there is no token to revoke: 401.
    ("post", "/api/v1/auth/logout/", None, dict.fromkeys(SIGNED_IN, 401)),
    ("post", "/api/v1/auth/logout-all/", None, dict.fromkeys(SIGNED_IN, 204)),
    # FHIR: the code system and questionnaire hold no patient data; the record is scoped.
    ("get", "/api/v1/fhir/CodeSystem/rehab-tracker", None, EVERYONE),
    ("get", "/api/v1/fhir/Questionnaire/daily-checkin", None, EVERYONE),
    (
        "get",
        "/api/v1/fhir/Patient/{patient_id}/$everything",
        None,
        {"patient": 200, "therapist": 200, "clinic_admin": 200},
    ),
    # PSFS: the patient and their therapist write; the clinic admin reads.
    ("get", P + "psfs/activities/", None, {"patient": 200, "therapist": 200, "clinic_admin": 200}),
    (
        "post",
        P + "psfs/activities/",
        {"text": "Putting on socks"},
        {"patient": 201, "therapist": 201, "clinic_admin": 403},
    ),
    (
        "patch",
        "/api/v1/psfs/activities/{activity_id}/",
        {"text": "Putting on socks standing"},
        {"patient": 200, "therapist": 200, "clinic_admin": 403},
    ),
    ("get", P + "psfs/ratings/", None, {"patient": 200, "therapist": 200, "clinic_admin": 200}),
    (
        "post",
        P + "psfs/ratings/",
        {"scores": "{scores}"},
        {"patient": 201, "therapist": 201, "clinic_admin": 403},
    ),
    # Messages (issue 12): the patient and their care team; the clinic admin is refused by role.
    ("get", P + "messages/", None, {"patient": 200, "therapist": 200, "clinic_admin": 403}),
    (
        "post",
        P + "messages/",
        {"body": "Is the calf cramp normal?"},
        {"patient": 201, "therapist": 201, "clinic_admin": 403},
    ),
    ("post", P + "messages/read/", None, {"patient": 200, "therapist": 200, "clinic_admin": 403}),
    (
        "get",
        "/api/v1/me/message-settings/",
        None,
        dict.fromkeys(["therapist", "other_therapist"], 200)
        | dict.fromkeys(["patient", "other_patient", "clinic_admin", "other_clinic_admin"], 403),
    ),
    (
        "put",
        "/api/v1/me/message-settings/",
        {"delivery": "digest"},
        dict.fromkeys(["therapist", "other_therapist"], 200)
        | dict.fromkeys(["patient", "other_patient", "clinic_admin", "other_clinic_admin"], 403),
    ),
    ("get", "/api/v1/me/", None, ANYONE_SIGNED_IN),
    ("get", "/api/v1/patients/", None, ANYONE_SIGNED_IN),
    (
        "post",
        "/api/v1/patients/",
        NEW_PATIENT,
        {"therapist": 201, "other_therapist": 201}
        | dict.fromkeys(["patient", "other_patient", "clinic_admin", "other_clinic_admin"], 403),
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
    # The subject is the last of the care team: removing them is refused (400), never a 500.
    (
        "delete",
        P + "care-team/{therapist_id}/",
        None,
        {"patient": 403, "therapist": 400, "clinic_admin": 403},
    ),
    # Invitations (issue 10). The subject already has an account, so a new invitation for them
    # is refused (400); tests/tracker/onboarding invites a patient who has none.
    (
        "post",
        P + "invitation/",
        None,
        {"patient": 403, "therapist": 400, "clinic_admin": 403},
    ),
    ("get", "/api/v1/invitations/", None, ANYONE_SIGNED_IN),
    (
        "post",
        "/api/v1/invitations/",
        {"name": "Li Na", "email": "li@example.org"},
        {"clinic_admin": 201, "other_clinic_admin": 201}
        | dict.fromkeys(["patient", "other_patient", "therapist", "other_therapist"], 403),
    ),
    # The clinic's therapist invitation: its admin's alone; to anyone else it does not exist.
    ("post", "/api/v1/invitations/{invitation_id}/revoke/", None, {"clinic_admin": 200}),
    (
        "post",
        "/api/v1/invitations/accept/",
        {"code": "AAAA-AAAA", "username": "someone", "password": "Long-Enough-2026"},
        dict.fromkeys(ROLES, 404),
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
    ("get", P + "flags/", None, {"patient": 200, "therapist": 200, "clinic_admin": 200}),
    ("post", "/api/v1/flags/{flag_id}/acknowledge/", {"note": "Seen"}, FLAG_ACTION),
    ("post", "/api/v1/flags/{flag_id}/resolve/", {"note": "Better"}, FLAG_ACTION),
    ("get", "/api/v1/checkins/", None, ANYONE_SIGNED_IN),
    ("post", "/api/v1/checkins/", CHECKIN, PATIENTS_ONLY),
    ("get", "/api/v1/sessions/", None, ANYONE_SIGNED_IN),
    ("post", "/api/v1/sessions/", {"exercise": "plank", "minutes": 1}, PATIENTS_ONLY),
    # Only the patient may take back their own session; for anyone else it does not exist.
    ("post", "/api/v1/sessions/{session_id}/undo/", None, {"patient": 204}),
    (
        "get",
        "/api/v1/audit-events/",
        None,
        {"clinic_admin": 200, "other_clinic_admin": 200}
        | dict.fromkeys(["patient", "therapist", "other_therapist", "other_patient"], 403),
    ),
    (
        "post",
        "/api/v1/me/erase/",
        {"password": PASSWORD},
        {"patient": 200, "other_patient": 200} | dict.fromkeys(STAFF, 403),
    ),
    ("get", "/api/v1/exercises/", None, EVERYONE),
    ("get", "/api/v1/exercises/{key}/", None, EVERYONE),
    ("get", "/api/v1/programme-templates/", None, EVERYONE),
    ("get", "/api/v1/programme-templates/{key}/", None, EVERYONE),
    ("get", R + "schedules/", None, ANYONE_SIGNED_IN),
    ("get", R + "schedules/{schedule_id}/", None, OWN),
    ("patch", R + "schedules/{schedule_id}/", {"is_enabled": False}, OWN),
    ("post", R + "schedules/{schedule_id}/snooze/", None, OWN),
    ("post", R + "schedules/{schedule_id}/pause/", None, OWN),
    ("post", R + "moved/", None, ANYONE_SIGNED_IN),
    ("get", R + "push-subscriptions/", None, ANYONE_SIGNED_IN),
    (
        "post",
        R + "push-subscriptions/",
        {"endpoint": "{new_endpoint}", "keys": "{keys}"},
        dict.fromkeys(SIGNED_IN, 201),
    ),
    ("delete", R + "push-subscriptions/{subscription_id}/", None, {"patient": 204}),
    ("get", R + "push/vapid-public-key/", None, ANYONE_SIGNED_IN),
    ("get", R + "inbox/", None, ANYONE_SIGNED_IN),
    ("post", R + "inbox/read-all/", None, ANYONE_SIGNED_IN),
    ("post", R + "inbox/{message_id}/read/", None, OWN),
]


def _expected(table: dict, role: str) -> int:
    if role == "anonymous":
        return table.get("anonymous", 401)
    # Anything about the patient that this role is not listed for: not theirs, so 404.
    return table.get(role, 404)


def test_every_operation_in_the_schema_has_a_row():
    document = SchemaGenerator().get_schema(public=True)
    in_schema = {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }

    assert in_schema == {(method, path) for method, path, *_ in ENDPOINTS}


@pytest.fixture(autouse=True)
def _web_push_configured(settings):
    settings.VAPID_PUBLIC_KEY = "BPublic-key-of-this-server"


def _ids(subject) -> dict[str, str]:
    own = subject.reminders["patient"]
    return {
        "patient_id": str(subject.patient.public_id),
        "flag_id": str(subject.flag.public_id),
        "schedule_id": str(own.schedule.public_id),
        "subscription_id": str(own.subscription.public_id),
        "message_id": str(own.message.public_id),
        "activity_id": str(subject.activity.public_id),
        "session_id": str(subject.session.public_id),
        "invitation_id": str(subject.invitation.public_id),
        "therapist_id": str(subject.therapist.public_id),
        "key": "circulation",
    }


def _body(body, colleague, role: str, ids: dict[str, str]):
    if not body:
        return body
    fillers = {
        "{scores}": [{"activity": ids["activity_id"], "score": 4}],
        "{colleague}": str(colleague.public_id),
        "{new_endpoint}": f"https://fcm.googleapis.com/fcm/send/new-{role}",
        "{keys}": browser_keys(),
    }
    return {name: fillers.get(value, value) for name, value in body.items()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "table"),
    ENDPOINTS,
    ids=[f"{method.upper()} {path}" for method, path, *_ in ENDPOINTS],
)
def test_access(request, api, subject, colleague, role, method, path, body, table):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    ids = _ids(subject)
    if path.startswith("/api/v1/exercises/"):
        ids["key"] = "plank"
    url = path.format(**ids)

    response = getattr(api(user), method)(url, _body(body, colleague, role, ids), format="json")

    assert response.status_code == _expected(table, role), response.content[:300]
    if role in OUTSIDERS and response.status_code < 300:
        assert str(subject.patient.public_id).encode() not in response.content
        assert ids["schedule_id"].encode() not in response.content
        assert ids["flag_id"].encode() not in response.content


def test_a_missing_patient_answers_exactly_like_someone_elses(api, patient, other_therapist):
    client = api(other_therapist)
    for tail in ("", "assignments/", "adherence/", "export/", "flags/", "messages/"):
        theirs = client.get(P.format(patient_id=patient.public_id) + tail)
        missing = client.get(P.format(patient_id="2b1f0c52-8f3e-4f7e-9d7a-0c4b6f1e2a33") + tail)
        assert (theirs.status_code, theirs.content) == (missing.status_code, missing.content)
