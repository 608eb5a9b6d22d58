"""Fixtures of the API tests: the app built by create_app on a migrated SQLite database of the test's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from hireflow.apps.api.app import create_app
from hireflow.infra.db.session import SessionLocal
from hireflow.shared.config import get_settings
from tests.conftest import copy_sqlite_database
from tests.e2e.api.world import ApiWorld, build_world


@pytest.fixture
def api_database_url(tmp_path: Path, migrated_sqlite_template: Path) -> str:
    """A SQLite database migrated to head, of this test's own."""
    return copy_sqlite_database(migrated_sqlite_template, tmp_path / "api.db")


@pytest.fixture
def session_factory(api_database_url: str) -> Iterator[None]:
    """SessionLocal pointed at the test's database, and forgotten afterwards."""
    SessionLocal.configure(api_database_url)
    yield
    SessionLocal.dispose()


@pytest.fixture
def make_client(session_factory: None) -> Iterator[Callable[[FastAPI | None], TestClient]]:
    """Build TestClients (on a given app, else a fresh create_app() from the current settings); closed after."""
    clients: list[TestClient] = []

    def make(app: FastAPI | None = None) -> TestClient:
        get_settings.cache_clear()
        client = TestClient(app or create_app())
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api_client(make_client: Callable[[FastAPI | None], TestClient]) -> TestClient:
    """A client of the API built by create_app() on a migrated SQLite database."""
    return make_client(None)


@pytest.fixture
def world(make_client: Callable[[FastAPI | None], TestClient]) -> ApiWorld:
    """Two company groups with a member of each role, a superadmin, and a client of a fresh app."""
    get_settings.cache_clear()
    app = create_app()
    return build_world(app, make_client(app))
