"""What every operation of the OpenAPI schema may also answer, declared once.

A drf-spectacular postprocessing hook (settings.SPECTACULAR_SETTINGS): each operation gets the
error responses it can really give, with the body DRF sends, so a client generated from the
schema (and schemathesis' status-code and response-schema checks) knows them. Issue 15: most
operations declared none of 400/401/403/404.
"""

ERROR = {"$ref": "#/components/schemas/Error"}
INVALID = {"$ref": "#/components/schemas/InvalidInput"}
COMPONENTS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "description": "Why the request was refused, in the request's language.",
    },
    "InvalidInput": {
        "type": "object",
        "additionalProperties": True,
        "description": "Field name (or `non_field_errors`) → list of messages; `detail` alone "
        "when the body could not be read at all (malformed or too deeply nested JSON).",
    },
}
WRITE_METHODS = {"post", "put", "patch"}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _error_responses(method: str, operation: dict) -> dict[str, tuple[str, dict]]:
    parameters = operation.get("parameters", [])
    in_path = any(parameter["in"] == "path" for parameter in parameters)
    paged = any(parameter["name"] == "page" for parameter in parameters)
    takes_input = (
        method in WRITE_METHODS
        or "requestBody" in operation
        or any(parameter["in"] in ("query", "header") for parameter in parameters)
    )
    security = operation.get("security", [])
    signed_in_only = bool(security) and {} not in security
    responses = {}
    if takes_input:
        responses["400"] = ("Invalid input; nothing was changed.", INVALID)
    if signed_in_only:
        responses["401"] = ("Not signed in: send `Authorization: Token <token>`.", ERROR)
        responses["403"] = ("Signed in, but your role may not do this.", ERROR)
    if in_path or paged:
        responses["404"] = (
            "No such object, or not yours (the same answer); or a page past the last.",
            ERROR,
        )
    if method in WRITE_METHODS:
        responses["415"] = ("The body is not JSON, a form or multipart.", ERROR)
    return responses


def add_error_responses(result: dict, generator, request, public) -> dict:
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, (description, schema) in _error_responses(method, operation).items():
                declared = responses.setdefault(code, {"description": description})
                declared.setdefault("content", _json(schema))
    return result


# FHIR names its operations with a `$` ("Patient/{id}/$everything"). drf-spectacular reads a
# route's `$` as a regex end anchor and drops it, so the schema would send clients to a path
# that does not exist.
FHIR_OPERATIONS = ("$everything",)


def keep_fhir_operation_names(result: dict, generator, request, public) -> dict:
    paths = result.get("paths", {})
    for path in list(paths):
        for operation in FHIR_OPERATIONS:
            bare = operation.lstrip("$")
            if path.startswith("/api/v1/fhir/") and path.endswith(f"/{bare}"):
                paths[path[: -len(bare)] + operation] = paths.pop(path)
    return result
