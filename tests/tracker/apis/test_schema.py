"""schemathesis against the OpenAPI schema of every app (tracker, exercises, reminders), through
the WSGI app, as a patient and as a therapist.

Each operation is called with generated valid and invalid input (bounded: a few examples per
operation, derandomised, so it runs in the normal suite on SQLite too) and every answer is
checked: no 5xx, a status code the schema declares, a declared content type, and a body that
matches the declared schema.
"""

import json
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from tests.factories import PASSWORD
from tracker.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Would sign the caller out (and erase them) for the rest of the run.
SKIPPED = {("POST", "/api/v1/me/erase/")}
# Bounded: the fuzzing phase's few examples per operation plus the schema's own examples; the
# coverage phase (dozens of boundary cases per operation) is left to the nightly CLI run.
CONFIG = {"phases": {"coverage": {"enabled": False}}}


def _document() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))


def _load_schema():
    # Generated in-process (no request, no database at collection time), then served by the
    # WSGI app under test. schemathesis' fixture-based loader does not run under pytest 9.
    config = SchemathesisConfig.from_dict(CONFIG)
    loaded = schemathesis.openapi.from_dict(_document(), config=config)
    loaded.app = application
    return loaded


schema = _load_schema()


def test_every_apps_operations_are_under_test():
    paths = {operation.path for operation in _operations()}

    assert any(path.startswith("/api/v1/exercises/") for path in paths)
    assert any(path.startswith("/api/v1/reminders/") for path in paths)
    assert any(path.startswith("/api/v1/checkins/") for path in paths)
    assert len(paths) >= 30


def test_the_schema_describes_what_is_sent():
    document = _document()
    components = document["components"]["schemas"]
    schedule = components["ScheduleOutput"]["properties"]
    flags = document["paths"]["/api/v1/patients/{patient_id}/flags/"]["get"]["responses"]

    assert "format" not in schedule["active_from"]  # "08:00", not RFC 3339's 08:00:00
    assert components["Flag"]["properties"]["acknowledged_by"]["nullable"] is True
    listed = components[flags["200"]["content"]["application/json"]["schema"]["$ref"][21:]]
    items = listed["properties"]["results"]["items"]["$ref"][21:]
    assert components[items]["oneOf"] == [
        {"$ref": "#/components/schemas/Flag"},
        {"$ref": "#/components/schemas/PatientFlag"},
    ]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            if {} not in operation.get("security", [{}]):
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "patch"):
                assert "400" in codes, (method, path)


def _operations():
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture(autouse=True)
def _web_push_configured(settings):
    settings.VAPID_PUBLIC_KEY = "BPublic-key-of-this-server"


@pytest.fixture
def tokens(subject, therapist, api):
    # Through the sign-in endpoint, as a client would: whatever token scheme it hands out.
    def sign_in(user) -> str:
        body = {"username": user.username, "password": PASSWORD}
        return api().post("/api/v1/auth/token/", body, format="json").json()["token"]

    signed_in = {"patient": sign_in(subject.patient), "therapist": sign_in(therapist)}
    # Then as Django's test client does (after it, not before: it reconnects them when done):
    # the WSGI handler would otherwise close the database connection at each request, and with
    # it the test's transaction (on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield signed_in
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


BOUNDED = settings(
    max_examples=6,
    # Per example; generous, as two cores are shared, but a hang fails instead of stalling.
    deadline=timedelta(seconds=5),
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _real_ids(subject, role: str) -> dict[str, str]:
    """Existing objects for the path, so handlers run rather than stop at 404."""
    own = subject.reminders[role]
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
    }


def _call_and_check(case, subject, tokens, role: str) -> None:
    if (case.method.upper(), case.operation.path) in SKIPPED:
        return
    parameters = case.path_parameters or {}
    for name, value in _real_ids(subject, role).items():
        if name in parameters:
            parameters[name] = value
    if "key" in parameters:
        templates = case.operation.path.startswith("/api/v1/programme-templates/")
        parameters["key"] = "circulation" if templates else "plank"
    # Uncompressed: the WSGI transport hands schemathesis the body as sent, and it does not
    # undo gzip (tests/tracker/dashboard/test_speed.py checks the compression itself).
    headers = {"Authorization": f"Token {tokens[role]}", "Accept-Encoding": "identity"}
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)


# schemathesis' lazy schema does not combine with @pytest.mark.parametrize: one test per role.
@schema.parametrize()
@BOUNDED
def test_the_api_as_a_patient(case, subject, tokens):
    _call_and_check(case, subject, tokens, "patient")


@schema.parametrize()
@BOUNDED
def test_the_api_as_a_therapist(case, subject, tokens):
    _call_and_check(case, subject, tokens, "therapist")
