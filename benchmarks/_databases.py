"""Scratch databases for benchmarks: a temporary SQLite file, and a PostgreSQL database created on a server and
dropped afterwards. Every benchmark uses these, so none of them leaves anything behind."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError

DEFAULT_POSTGRES_URL = os.environ.get(
    "HIREFLOW_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def sqlite_database() -> Iterator[str]:
    """The URL of a SQLite file in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="hireflow-bench-") as directory:
        yield f"sqlite:///{Path(directory) / 'bench.db'}"


@contextmanager
def postgres_database(server_url: str = DEFAULT_POSTGRES_URL) -> Iterator[str | None]:
    """The URL of a new database on ``server_url``, dropped afterwards; None (with a note) when no server answers."""
    admin = admin_engine(server_url)
    name = f"hireflow_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        print(
            f"postgresql: skipped, no server at {server_url} ({str(exc.orig).splitlines()[0]})",
            file=sys.stderr,
        )
        admin.dispose()
        yield None
        return
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def admin_engine(server_url: str) -> Engine:
    """An autocommit engine on the server's maintenance database, for CREATE/DROP DATABASE."""
    url = make_url(server_url).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


def progress_printer(label: str) -> Callable[[int, int], None]:
    """A seed progress callback that rewrites one line on stderr."""
    started = time.perf_counter()

    def report(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        print(
            f"\r{label}: {done:,}/{total:,} candidates, {elapsed:.1f} s", end="", file=sys.stderr, flush=True
        )

    return report
