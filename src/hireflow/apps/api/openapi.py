"""The OpenAPI document, told the truth about errors.

FastAPI documents validation errors as its own ``HTTPValidationError`` JSON, and knows nothing of the problems
the error handler returns for authentication, permission and rate limits. This fills in, once for every
operation, the problem+json responses the API really gives: 422 everywhere a request can be invalid, 401 and 403
on every route behind a token, 429 on the rate-limited ones, 400 where a body cannot be parsed, and 500
everywhere.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from hireflow.apps.api.schemas import Problem

PROBLEM_REF = "#/components/schemas/Problem"
PUBLIC_PATHS = ("/healthz", "/readyz", "/api/v1/auth/token", "/api/v1/auth/refresh")
RATE_LIMITED_PATHS = ("/api/v1/auth/", "/api/v1/users/me/password")

_DESCRIPTIONS = {
    "400": "The body could not be parsed (not JSON, not UTF-8, or not the form it should be)",
    "401": "No valid access token (expired, revoked, malformed or missing)",
    "403": "Your role lacks the permission this route needs",
    "422": "The request is invalid; `errors` lists every offending field",
    "429": "Too many requests from this client; wait Retry-After seconds",
    "500": "An unexpected error; quote the request id when reporting it",
}


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the completed document (built once, then cached like FastAPI does)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = complete_error_responses(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def complete_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Document the problem responses of every operation; drop FastAPI's unused validation-error schemas."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            statuses = ["422", "500"]
            if not path.startswith(PUBLIC_PATHS):
                statuses += ["401", "403"]
            if path.startswith(RATE_LIMITED_PATHS):
                statuses.append("429")
            if "requestBody" in operation:
                statuses.append("400")
            for status in statuses:
                responses[status] = _problem_response(responses.get(status, {}).get("description"), status)
            for response in responses.values():
                if "application/problem+json" in response.get("content", {}):
                    response["content"] = {"application/problem+json": {"schema": {"$ref": PROBLEM_REF}}}
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def _problem_response(description: str | None, status: str) -> dict[str, Any]:
    if not description or description in {"Validation Error", "Unprocessable Entity"}:
        description = _DESCRIPTIONS.get(status, "A problem")
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": PROBLEM_REF}}},
    }
