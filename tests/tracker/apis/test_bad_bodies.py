"""Bodies no client should send: every POST/PUT/PATCH operation of every app (taken from the
OpenAPI schema, so a new one is covered at once) answers them with 400, never a 500."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from tracker.apis.parsers import MAX_DEPTH

WRITE_METHODS = ("post", "put", "patch")
ANY_ID = "2b1f0c52-8f3e-4f7e-9d7a-0c4b6f1e2a33"


def _write_operations() -> list[tuple[str, str, bool]]:
    """(method, path, is_anonymous) for every write operation in the schema."""
    document = SchemaGenerator().get_schema(public=True)
    operations = []
    for path, item in document["paths"].items():
        for method in WRITE_METHODS:
            if method in item:
                anonymous = {} in item[method].get("security", [{}])
                operations.append((method, path, anonymous))
    return operations


WRITES = _write_operations()
BODIES = {
    "4 KB of [": "[" * 4096,
    "deep but parseable": "[" * 500 + "]" * 500,
    "deeper than we read": '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1),
}


def _url(path: str) -> str:
    """Every `{..._id}` of the path (patient, flag, schedule, PSFS activity, …) as some id."""
    return re.sub(r"\{[a-z_]+_id\}", ANY_ID, path)


def test_the_schema_lists_the_anonymous_token_endpoint_among_the_writes():
    assert ("post", "/api/v1/auth/token/", True) in WRITES
    assert len(WRITES) >= 15


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
@pytest.mark.parametrize(
    ("method", "path", "anonymous"), WRITES, ids=[f"{m.upper()} {p}" for m, p, _ in WRITES]
)
@pytest.mark.parametrize("role", ["patient", "therapist", "anonymous"])
def test_a_too_deep_json_body_is_a_400(request, db, api, role, method, path, anonymous, body):
    user = None if role == "anonymous" else request.getfixturevalue(role)

    response = getattr(api(user), method)(_url(path), body, content_type="application/json")

    if role == "anonymous" and not anonymous:
        assert response.status_code == 401  # told to sign in before the body is read
    else:
        assert response.status_code == 400, response.content[:200]
        assert "detail" in response.json()
