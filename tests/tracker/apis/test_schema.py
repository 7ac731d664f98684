"""schemathesis against the OpenAPI schema, through the WSGI app, as a patient and a therapist.

Bounded (a few examples per operation, derandomised) so it runs in the normal suite; it asserts
no 5xx and that every documented response matches the schema.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from tracker.services.assignments import assignment_change
from tracker.wsgi import application


def _load_schema():
    # Generated in-process (no request, no database at collection time), then served by the
    # WSGI app under test. schemathesis' fixture-based loader does not run under pytest 9.
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = application
    # This operations; the other apps test their own.
    return loaded.include(
        path_regex=r"^/api/v1/(auth/|me/|patients/|checkins/|sessions/|audit-events/)"
    )


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Django's test client does this too: the WSGI handler would otherwise close the database
    # connection at each request, and with it the test's transaction (on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(patient, therapist, now):
    assignment_change(patient=patient, therapist=therapist, template_key="circulation")
    return {
        "patient": AuthToken.objects.create(user=patient)[1],
        "therapist": AuthToken.objects.create(user=therapist)[1],
    }


BOUNDED = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _call_and_check(case, token: str, patient) -> None:
    if "patient_id" in (case.path_parameters or {}):
        # The real patient, so handlers run rather than stop at 404.
        case.path_parameters["patient_id"] = str(patient.public_id)
    if case.operation.path == "/api/v1/me/erase/":
        return  # would sign the test user out for the rest of the run
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(
        response,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )


# schemathesis' lazy schema does not combine with @pytest.mark.parametrize: one test per role.
@schema.parametrize()
@BOUNDED
def test_the_api_as_a_patient(case, tokens, patient):
    _call_and_check(case, tokens["patient"], patient)


@schema.parametrize()
@BOUNDED
def test_the_api_as_a_therapist(case, tokens, patient):
    _call_and_check(case, tokens["therapist"], patient)
