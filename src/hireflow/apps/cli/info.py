"""``hireflow info``: the settings in effect (secrets masked) and the state of the database."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table
    from sqlalchemy.engine import URL

    from hireflow.shared.config import Settings


@dataclass(frozen=True)
class DatabaseStatus:
    """What ``hireflow info`` found out about the configured database."""

    reachable: bool
    detail: str
    current: str | None = None


def info() -> None:
    """Show the settings (secrets masked), whether the database answers, and its revision vs head."""
    from hireflow import __version__
    from hireflow.apps.cli import output
    from hireflow.infra.db import migrate
    from hireflow.shared.config import get_settings

    settings = get_settings()
    console = output.console()
    console.print(f"hireflow {__version__} on Python {platform.python_version()}", soft_wrap=True)
    console.print(_settings_table(settings))
    status = database_status(settings)
    head = migrate.head_revision()
    table = _two_columns("Database")
    table.add_row("url", str(settings.masked()["database_url"]))
    table.add_row("reachable", ("yes: " if status.reachable else "no: ") + status.detail)
    table.add_row("revision", _revision_text(status, head))
    table.add_row("head", head)
    console.print(table)


def database_status(settings: Settings) -> DatabaseStatus:
    """Connect once and read the revision; never raise, say what went wrong instead."""
    from sqlalchemy.exc import DBAPIError

    from hireflow.apps.cli.errors import dbapi_reason
    from hireflow.infra.db import migrate
    from hireflow.infra.db.engine import engine_from_settings, normalize_database_url
    from hireflow.shared.errors import HireflowError

    try:
        path = _sqlite_file(normalize_database_url(settings.database_url))
        if path is not None and not path.exists():  # connecting would create it: info changes nothing
            return DatabaseStatus(False, f"the file {path} does not exist yet (`hireflow up` creates it)")
        engine = engine_from_settings(settings)
    except HireflowError as exc:
        return DatabaseStatus(False, str(exc))
    try:
        with engine.connect() as connection:
            version = ".".join(str(part) for part in connection.dialect.server_version_info or ())
        name = engine.dialect.name
        return DatabaseStatus(True, f"{name} {version}".strip(), migrate.current_revision(engine))
    except DBAPIError as exc:
        return DatabaseStatus(
            False, dbapi_reason(exc) + "; is the server running? check HIREFLOW_DATABASE_URL"
        )
    finally:
        engine.dispose()


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _revision_text(status: DatabaseStatus, head: str) -> str:
    if not status.reachable:
        return "unknown"
    if status.current is None:
        return "none (not migrated; run `hireflow db upgrade`)"
    if status.current == head:
        return f"{status.current} (up to date)"
    return f"{status.current} (behind head; run `hireflow db upgrade`)"


def _settings_table(settings: Settings) -> Table:
    from hireflow.shared.config import ENV_PREFIX

    table = _two_columns("Settings (secrets masked)")
    for name, value in settings.masked().items():
        table.add_row(f"{ENV_PREFIX}{name.upper()}", "" if value is None else str(value))
    return table


def _two_columns(title: str) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    return table
