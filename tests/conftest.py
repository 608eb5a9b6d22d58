"""Shared fixtures: isolated settings, and migrated databases on SQLite and PostgreSQL.

PostgreSQL tests use ``HIREFLOW_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``)
to create a database of their own for the run and drop it at the end. Where no server answers they skip with the
reason, except in CI (``CI`` set), where a missing PostgreSQL is a failure: CI must run them.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from hireflow.infra.cache import process_cache
from hireflow.infra.db import migrate
from hireflow.infra.db.base import metadata
from hireflow.infra.db.engine import build_engine
from hireflow.shared.config import get_settings
from tests.pgvector_support import pgvector_database_url  # noqa: F401 - a fixture: importing registers it
from tests.redis_support import delete_keys, require_redis, unique_name

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
IN_CI = bool(os.environ.get("CI"))

try:  # the embedding libraries draw tqdm progress bars
    import tqdm

    # No monitor thread: it would outlive the test that started it, and a process running other threads may not
    # fork safely, so later tests in the same worker (the seed pipeline's) would take another path.
    tqdm.tqdm.monitor_interval = 0
except ImportError:  # pragma: no cover - without the ml extra
    pass


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Every test starts from default settings: no HIREFLOW_* variables, no .env, empty caches."""
    for name in list(os.environ):
        if name.startswith("HIREFLOW_") and not name.startswith("HIREFLOW_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    process_cache.cache_clear()
    yield
    get_settings.cache_clear()
    process_cache.cache_clear()


def postgres_admin_url() -> str:
    return os.environ.get("HIREFLOW_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL)


def _admin_engine() -> Engine:
    url = make_url(postgres_admin_url()).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


def postgres_unavailable_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'hireflow[postgres]')"
    engine = _admin_engine()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        return f"no PostgreSQL at {postgres_admin_url()} ({str(exc.orig).splitlines()[0]})"
    finally:
        engine.dispose()
    return None


@contextmanager
def temporary_postgres_database() -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards (skip or fail when unavailable)."""
    reason = postgres_unavailable_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI must run the PostgreSQL tests, but {reason}")
        pytest.skip(reason)
    name = f"hireflow_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test run, dropped at the end."""
    with temporary_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new, never-migrated database of its own for one test, on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with temporary_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'hireflow.db'}"


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run, for tests to copy (see :func:`copy_sqlite_database`)."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    engine = build_engine(f"sqlite:///{path}")
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return path


def copy_sqlite_database(source: Path, target: Path) -> str:
    """Copy the SQLite database ``source`` to ``target`` and return its URL.

    A copy of a migrated template costs milliseconds where migrating costs half a second, for every test that
    needs a database of its own. SQLite's backup API copies whatever its journal holds too.
    """
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def migrated_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on a database migrated to head, once per backend per run."""
    url = request.getfixturevalue(f"{request.param}_database_url")
    engine = build_engine(url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    """A migrated database emptied after each test, on SQLite and PostgreSQL."""
    yield migrated_engine
    truncate_all(migrated_engine)


def truncate_all(engine: Engine) -> None:
    """Delete every row of every Hireflow table, children first."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis server that answers, for this test run (skipped without one, failed in CI)."""
    return require_redis()


@pytest.fixture
def key_prefix(redis_url: str) -> Iterator[str]:
    """A Redis key prefix of this test's own; every key under it is deleted afterwards."""
    prefix = f"hireflow-test:{unique_name('run')}:"
    yield prefix
    delete_keys(redis_url, f"{prefix}*")
