"""Every error the API returns is an RFC 9457 problem document, and every response carries a request id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Query
from pydantic import BaseModel, Field
from starlette.testclient import TestClient

from hireflow.apps.api.app import create_app
from hireflow.apps.api.errors import INTERNAL_ERROR_DETAIL, PROBLEM_MEDIA_TYPE
from hireflow.apps.api.routers import new_router
from hireflow.shared.errors import (
    AuthenticationFailed,
    ConfigurationError,
    Conflict,
    HireflowError,
    InvalidTransition,
    MigrationFailed,
    MissingExtraError,
    NotFound,
    PermissionDenied,
    ServiceUnavailable,
    ValidationFailed,
)

SECRET_TEXT = "database password is s3cret"
ERRORS: list[HireflowError] = [
    HireflowError("something deliberate"),
    ConfigurationError("HIREFLOW_X is missing"),
    MissingExtraError("redis", "the Redis cache"),
    ServiceUnavailable("the CRM does not answer"),
    NotFound("candidate", 42),
    Conflict("candidate already exists"),
    ValidationFailed(
        "2 fields are invalid",
        [{"field": "phone", "message": "invalid number"}, {"field": "email", "message": "missing"}],
    ),
    InvalidTransition("hired", "applied", []),
    PermissionDenied("recruiters may not delete units"),
    AuthenticationFailed("invalid credentials"),
    MigrationFailed("migration to 'head' failed and was rolled back"),
]


class NewCandidate(BaseModel):
    name: str = Field(min_length=1)
    age: int
    email: str


def _test_app() -> FastAPI:
    """The real app plus a test-only router that raises on demand."""
    app = create_app()
    router = new_router(prefix="/test")

    @router.get("/raise/{index}")
    def raise_error(index: int) -> None:
        """Raise the index-th deliberate error."""
        raise ERRORS[index]

    @router.get("/crash")
    def crash() -> None:
        """Fail unexpectedly."""
        raise RuntimeError(SECRET_TEXT)

    @router.post("/candidates")
    def create(candidate: NewCandidate, limit: Annotated[int, Query()]) -> dict[str, Any]:
        """Validate a body and a query parameter."""
        return candidate.model_dump()

    app.include_router(router)
    return app


@pytest.fixture
def client(make_client: Callable[[FastAPI | None], TestClient]) -> TestClient:
    return make_client(_test_app())


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    assert {"type", "title", "detail", "instance"} <= body.keys()
    return body


def test_unknown_route_is_a_404_problem(client: TestClient) -> None:
    body = _problem(client.get("/nowhere"), 404)
    assert body["type"] == "about:blank"
    assert body["title"] == "Not Found"
    assert body["instance"] == "/nowhere"


def test_wrong_method_is_a_405_problem_with_allow(client: TestClient) -> None:
    response = client.delete("/healthz")
    body = _problem(response, 405)
    assert body["title"] == "Method Not Allowed"
    assert "GET" in response.headers["allow"]


def test_request_validation_lists_every_offending_field(client: TestClient) -> None:
    response = client.post("/test/candidates", json={"name": "", "age": "old", "password": "s3cret"})
    body = _problem(response, 422)
    assert body["type"] == "https://hireflow.dev/problems/validation"
    locs = {error["loc"] for error in body["errors"]}
    assert locs == {"body.name", "body.age", "body.email", "query.limit"}
    for error in body["errors"]:
        assert error.keys() == {"loc", "msg", "type"}
        assert error["msg"]
        assert error["type"]
    assert "s3cret" not in response.text


@pytest.mark.parametrize("index", range(len(ERRORS)), ids=[type(e).__name__ for e in ERRORS])
def test_each_hireflow_error_maps_to_its_problem(client: TestClient, index: int) -> None:
    error = ERRORS[index]
    body = _problem(client.get(f"/test/raise/{index}"), error.status)
    assert body["type"] == error.type
    assert body["title"] == error.title
    assert body["detail"] == error.detail
    assert body["instance"] == f"/test/raise/{index}"
    if isinstance(error, ValidationFailed):
        assert body["errors"] == error.errors
    else:
        assert "errors" not in body


def test_an_unexpected_exception_is_a_generic_500(client: TestClient) -> None:
    response = client.get("/test/crash")
    body = _problem(response, 500)
    assert body["detail"] == INTERNAL_ERROR_DETAIL
    assert "s3cret" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text


def test_a_sane_request_id_is_echoed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123_x.y"})
    assert response.headers["x-request-id"] == "abc-123_x.y"


@pytest.mark.parametrize("bad", ["a" * 65, "has space", "semi;colon", "ümlaut", ""])
def test_an_insane_request_id_is_replaced(client: TestClient, bad: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": bad.encode()})
    assert response.status_code == 200
    assert response.headers["x-request-id"] != bad
    assert 1 <= len(response.headers["x-request-id"]) <= 64


def test_a_generated_request_id_is_fresh_per_request(client: TestClient) -> None:
    first, second = client.get("/healthz"), client.get("/healthz")
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/nowhere", "/test/crash", "/test/raise/4"])
def test_errors_echo_the_request_id(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"X-Request-ID": "trace-me"})
    assert response.headers["x-request-id"] == "trace-me"
    assert response.json()["request_id"] == "trace-me"
