"""Programmatic Alembic: upgrade, downgrade, current revision and history of the packaged migrations."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from hireflow.shared.errors import ConfigurationError, HireflowError, MigrationFailed

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class Revision:
    """One migration of the history."""

    revision: str
    down_revision: str | None
    message: str
    is_head: bool


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@contextmanager
def _bound(engine: Engine) -> Iterator[Config]:
    with engine.connect() as connection:
        is_sqlite = connection.dialect.name == "sqlite"
        if is_sqlite:
            _sqlite_foreign_keys(connection, enabled=False)
        try:
            yield alembic_config(connection)
            connection.commit()
        finally:
            if connection.in_transaction():
                connection.rollback()
            if is_sqlite:
                _sqlite_foreign_keys(connection, enabled=True)


def _sqlite_foreign_keys(connection: Connection, *, enabled: bool) -> None:
    # The pragma is ignored inside a transaction, so it goes to the driver connection, outside SQLAlchemy's.
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")


def check_revision(target: str) -> None:
    """Raise ConfigurationError unless ``target`` is head, base, a relative step or a packaged revision."""
    if target in {"head", "heads", "base"} or target.startswith(("+", "-")):
        return
    script = ScriptDirectory.from_config(alembic_config())
    try:
        found = script.get_revision(target)
    except CommandError as exc:
        raise ConfigurationError(f"unknown revision '{target}': {exc}; see `hireflow db history`") from None
    if found is None:
        raise ConfigurationError(f"unknown revision '{target}'; see `hireflow db history`")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision``; each migration runs in one transaction."""
    check_revision(revision)
    with _bound(engine) as config:
        _run(command.upgrade, config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to ``revision`` (``base`` removes every table)."""
    check_revision(revision)
    with _bound(engine) as config:
        _run(command.downgrade, config, revision)


def _run(step: Callable[[Config, str], None], config: Config, revision: str) -> None:
    try:
        step(config, revision)
    except CommandError as exc:
        raise ConfigurationError(f"migration to '{revision}' failed: {exc}") from None
    except (HireflowError, OperationalError):
        raise
    except Exception as exc:
        raise MigrationFailed(
            f"migration to '{revision}' failed and was rolled back: {_first_line(exc)}"
        ) from exc


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it has never been migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with this version of Hireflow."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations are packaged"
    return head


def history() -> list[Revision]:
    """Every packaged migration, newest first."""
    script = ScriptDirectory.from_config(alembic_config())
    heads = set(script.get_heads())
    return [
        Revision(rev.revision, _single(rev.down_revision), rev.doc or "", rev.revision in heads)
        for rev in script.walk_revisions()
    ]


def _single(value: str | Sequence[str] | None) -> str | None:
    if value is not None and not isinstance(value, str):
        return ",".join(value)
    return value


def _first_line(exc: BaseException) -> str:
    """``Type: message`` on one line; for database errors the driver's message, without the SQL."""
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {text[0] if text else ''}"
