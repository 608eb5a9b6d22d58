"""``/healthz`` and ``/readyz``: liveness touches nothing; readiness checks the database and the cache."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from hireflow import __version__
from hireflow.infra.db.engine import build_engine
from hireflow.infra.db.session import SessionLocal

UNREACHABLE_DATABASE = "postgresql://postgres:s3cret@127.0.0.1:1/none"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"
MakeClient = Callable[[FastAPI | None], TestClient]


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text
    assert 'File "' not in text


def test_healthz_reports_alive_and_the_version(api_client: TestClient) -> None:
    response = api_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


def test_healthz_touches_no_database(api_client: TestClient) -> None:
    SessionLocal.configure(UNREACHABLE_DATABASE)
    assert api_client.get("/healthz").status_code == 200


def test_readyz_is_ready_on_a_migrated_database(api_client: TestClient) -> None:
    response = api_client.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["status"] == "ok"
    assert "head revision" in body["checks"]["database"]["detail"]
    assert body["checks"]["cache"] == {"status": "ok", "detail": "in-process, ok"}


def test_readyz_is_unavailable_when_the_database_is_unreachable(api_client: TestClient) -> None:
    SessionLocal.configure(UNREACHABLE_DATABASE)
    response = api_client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    database = body["checks"]["database"]
    assert database["status"] == "unavailable"
    assert "postgres:***@127.0.0.1:1/none" in database["detail"]
    assert "s3cret" not in response.text
    _no_traceback(response.text)
    assert body["checks"]["cache"]["status"] == "ok"


def test_readyz_is_unavailable_on_a_database_behind_head(api_client: TestClient, tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/never-migrated.db"
    SessionLocal.configure(build_engine(url))
    response = api_client.get("/readyz")
    assert response.status_code == 503
    detail = response.json()["checks"]["database"]["detail"]
    assert "revision none" in detail
    assert "hireflow db upgrade" in detail


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_readyz_pings_redis_when_configured(make_client: MakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    if not _redis_answers():
        if os.environ.get("CI"):
            pytest.fail("CI must run the Redis readiness test, but no Redis answers at 127.0.0.1:6379")
        pytest.skip("no Redis at 127.0.0.1:6379")
    monkeypatch.setenv("HIREFLOW_REDIS_URL", LOCAL_REDIS)
    response = make_client(None).get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"]["cache"] == {
        "status": "ok",
        "detail": f"redis at {LOCAL_REDIS} answered PING",
    }


def test_readyz_is_unavailable_when_redis_is_unreachable(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIREFLOW_REDIS_URL", "redis://:hunter2@127.0.0.1:1/0")
    response = make_client(None).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "ok"
    cache = body["checks"]["cache"]
    assert cache["status"] == "unavailable"
    assert cache["detail"].startswith("redis at redis://:***@127.0.0.1:1/0: ")
    assert "hunter2" not in response.text
    _no_traceback(response.text)
