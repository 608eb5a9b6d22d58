"""Programmatic Alembic: upgrade, downgrade, current revision and history of the packaged migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine

from hireflow.shared.errors import ConfigurationError

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
        yield alembic_config(connection)
        connection.commit()


def _known_revision(target: str) -> None:
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
    _known_revision(revision)
    with _bound(engine) as config:
        _run(command.upgrade, config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to ``revision`` (``base`` removes every table)."""
    _known_revision(revision)
    with _bound(engine) as config:
        _run(command.downgrade, config, revision)


def _run(step: object, config: Config, revision: str) -> None:
    try:
        step(config, revision)  # type: ignore[operator]
    except CommandError as exc:
        raise ConfigurationError(f"migration to '{revision}' failed: {exc}") from None


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


def _single(value: str | tuple[str, ...] | None) -> str | None:
    if isinstance(value, tuple):
        return ",".join(value)
    return value
