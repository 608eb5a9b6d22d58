"""The database a command works on: the engine the settings describe, disposed when the command ends."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from hireflow.shared.errors import ConfigurationError

if TYPE_CHECKING:
    from sqlalchemy import Engine


@contextmanager
def connected_engine() -> Iterator[Engine]:
    """Yield the configured engine; a failure to connect becomes ServiceUnavailable naming the URL."""
    from sqlalchemy.exc import DBAPIError

    from hireflow.apps.cli.errors import unreachable
    from hireflow.infra.db.engine import engine_from_settings
    from hireflow.shared.config import get_settings

    settings = get_settings()
    engine = engine_from_settings(settings)
    try:
        yield engine
    except DBAPIError as exc:
        if exc.statement is None:  # raised while connecting, before any SQL was sent
            raise unreachable(settings.database_url, exc) from None
        raise
    finally:
        engine.dispose()


def require_head(engine: Engine) -> None:
    """Refuse to work on a database that is not migrated to the newest revision."""
    from hireflow.infra.db import migrate

    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        url = engine.url.render_as_string(hide_password=True)
        raise ConfigurationError(
            f"the database at {url} is at revision {current or 'none (empty)'}, not {head} (head); "
            "run `hireflow db upgrade` first"
        )
