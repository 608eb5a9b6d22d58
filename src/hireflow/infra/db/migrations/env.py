"""Alembic environment for Hireflow's packaged migrations.

Run through :mod:`hireflow.infra.db.migrate` (``hireflow db ...``), which passes the connection in
``config.attributes["connection"]`` and, on SQLite, switches foreign keys off around the run (batch mode
recreates tables, and a cascading delete would otherwise fire). They are checked here before committing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from hireflow.infra.db import tables  # noqa: F401 - registers every table on the metadata
from hireflow.infra.db.base import metadata

config = context.config


def _ours(_object: object, name: str | None, type_: str, reflected: bool, _compare_to: object) -> bool:
    """Leave out of autogenerate the tables the pgvector index derives at run time (see
    ``infra/ml/vector_index/pgvector_schema.py``): they are not the migrations' to create or drop."""
    derived = (
        type_ == "table"
        and name is not None
        and (name.startswith("embedding_vectors_") or name == "vector_index_state")
    )
    return not (derived and reflected)


def _run(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=is_sqlite,
        compare_type=True,
        include_object=_ours,
        transaction_per_migration=False,
        # Alembic assumes SQLite cannot roll DDL back and then commits after every revision, so a failure (the
        # foreign-key check below included) kept the revisions before it. It can: the engine gives SQLAlchemy
        # the transactions (see engine._configure_sqlite_connection), and SQLite's DDL is transactional.
        transactional_ddl=True,
    )
    # One transaction for the whole run: an upgrade either reaches its target or changes nothing.
    with context.begin_transaction():
        context.run_migrations()
        if is_sqlite:
            violations = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if violations:
                raise RuntimeError(f"migration left foreign-key violations: {violations[:5]}")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "run Hireflow's migrations through `hireflow db upgrade` (hireflow.infra.db.migrate)"
        )
    _run(connection)


if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported; run `hireflow db upgrade` instead")
run_migrations_online()
