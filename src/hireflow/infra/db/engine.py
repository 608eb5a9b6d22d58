"""Engines for the configured database: SQLite tuned for embedded use, PostgreSQL through psycopg 3."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError

from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError
from hireflow.shared.extras import require

SQLITE_POOL_SIZE = 40
"""Pooled SQLite connections: as many as the API's thread pool has threads (AnyIO's default, 40)."""
SQLITE_WAL_CHECKPOINT_PAGES = 10_000
"""WAL pages written before SQLite checkpoints them into the database file."""
SQLITE_CACHE_KIB = 16_384
"""Each SQLite connection's page cache at most, in KiB."""


def normalize_database_url(url: str | URL) -> URL:
    """Parse a database URL and pick Hireflow's driver: ``postgresql://`` means psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError(
            f"HIREFLOW_DATABASE_URL is not a database URL: {url!r}; "
            "use sqlite:///path.db or postgresql://user@host:5432/db"
        ) from None
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql":
        require("postgres", "psycopg", "a PostgreSQL database")
    return parsed


def build_engine(
    url: str | URL, *, echo: bool = False, pool_size: int = 5, connect_timeout: int = 5
) -> Engine:
    """Create an engine. SQLite gets WAL, enforced foreign keys and a busy timeout on every connection."""
    parsed = normalize_database_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": max(connect_timeout, 15)}
        # Enough pooled connections for the API's worker threads: an overflow connection is opened (with its
        # PRAGMAs) and closed for every use, which costs more than the query. In-memory databases keep
        # SQLAlchemy's own single-connection pool.
        if parsed.database and parsed.database != ":memory:":
            kwargs.update(pool_size=max(pool_size, SQLITE_POOL_SIZE), max_overflow=SQLITE_POOL_SIZE)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    kwargs.update(pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True)
    kwargs["connect_args"] = {"connect_timeout": connect_timeout}
    engine = create_engine(parsed, **kwargs)
    event.listen(engine, "connect", _configure_postgresql_connection)
    return engine


def engine_from_settings(settings: Settings) -> Engine:
    """The engine that ``settings`` describe."""
    return build_engine(
        settings.database_url,
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        connect_timeout=settings.database_connect_timeout,
    )


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from the sqlite3 module, which would commit DDL implicitly and never
    # begin before a SELECT; SQLAlchemy then emits BEGIN itself (see _begin_sqlite_transaction), which makes
    # migrations all-or-nothing and savepoints work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Bulk writes (a CRM sync's pages) dirty the same index pages transaction after transaction: checkpointing
        # the WAL every 10,000 pages (about 40 MB) rather than SQLite's 1,000 copies each of them back far less
        # often, and a 16 MiB page cache (SQLite's default is 2 MB; it fills only as pages are read) keeps them
        # at hand. Together they made a 100,000-candidate sync about a quarter faster (docs/crm-sync.md, Speed).
        cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_CHECKPOINT_PAGES}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    finally:
        cursor.close()


def _configure_postgresql_connection(dbapi_connection: Any, _record: Any) -> None:
    # Lists (the ``= ANY(:ids)`` look-ups of bulk loads, thousands of values each) travel as binary arrays:
    # psycopg's text array dumper takes several times as long, quoting every value in Python.
    from psycopg.types.array import ListBinaryDumper  # the driver of the 'postgres' extra

    dbapi_connection.adapters.register_dumper(list, ListBinaryDumper)


def _begin_sqlite_transaction(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")
