"""The OpenAPI schema is served, and every operation has a summary taken from its docstring."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from hireflow import __version__
from hireflow.apps.api.app import create_app
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError


def test_the_schema_is_served(api_client: TestClient) -> None:
    response = api_client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {
        "title": "Hireflow API",
        "version": __version__,
        "description": schema["info"]["description"],
    }
    assert {"/healthz", "/readyz"} <= schema["paths"].keys()


def test_every_operation_has_a_summary(api_client: TestClient) -> None:
    paths = api_client.get("/openapi.json").json()["paths"]
    operations = [op for methods in paths.values() for op in methods.values()]
    assert operations
    for operation in operations:
        assert operation.get("summary"), operation
    assert paths["/healthz"]["get"]["summary"] == "Report that the process is alive (touches no backend)."
    assert "503" in paths["/readyz"]["get"]["responses"]


def test_the_docs_page_is_served(api_client: TestClient) -> None:
    response = api_client.get("/docs")
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]


def test_placeholder_secrets_are_refused_outside_development() -> None:
    with pytest.raises(ConfigurationError, match="HIREFLOW_SECRET_KEY"):
        create_app(Settings(environment="production"))
