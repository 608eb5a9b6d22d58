"""``hireflow db``: migrate the schema up and down, show the current revision and the history."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

from hireflow.apps.cli import output
from hireflow.apps.cli.connection import connected_engine
from hireflow.shared.errors import MigrationFailed

if TYPE_CHECKING:
    from sqlalchemy import Engine

db_app = typer.Typer(
    name="db",
    help="Manage the database schema: migrate up or down, show the current revision and the history.",
    no_args_is_help=True,
)

# "-1" must reach the command as a revision, not be refused as an unknown option.
_REVISION_SETTINGS = {"ignore_unknown_options": True}


@db_app.command(context_settings=_REVISION_SETTINGS)
def upgrade(
    revision: Annotated[
        str, typer.Argument(metavar="REVISION", help="Target revision: head, a revision id, or +N steps.")
    ] = "head",
) -> None:
    """Migrate the database up to REVISION (default: head)."""
    with connected_engine() as engine:
        _print_move(*apply_migration(engine, "upgrade", revision))


@db_app.command(context_settings=_REVISION_SETTINGS)
def downgrade(
    revision: Annotated[
        str, typer.Argument(metavar="REVISION", help="Target revision: -N steps, a revision id, or base.")
    ],
) -> None:
    """Migrate the database down to REVISION (required, e.g. -1 or base; base drops every table)."""
    with connected_engine() as engine:
        _print_move(*apply_migration(engine, "downgrade", revision))


@db_app.command()
def current() -> None:
    """Show the revision the database is at, and whether it is the newest."""
    from hireflow.infra.db import migrate

    with connected_engine() as engine:
        revision = migrate.current_revision(engine)
    head = migrate.head_revision()
    if revision is None:
        typer.echo(f"current: none (not migrated); head: {head}; run `hireflow db upgrade`")
    elif revision == head:
        typer.echo(f"current: {revision} (head)")
    else:
        typer.echo(f"current: {revision}; head: {head}; run `hireflow db upgrade`")


@db_app.command()
def history() -> None:
    """List the migrations shipped with this version, newest first (no database needed)."""
    from rich.table import Table

    from hireflow.infra.db import migrate

    table = Table(title="Migrations, newest first")
    table.add_column("Revision", no_wrap=True)
    table.add_column("Parent", no_wrap=True)
    table.add_column("Head")
    table.add_column("Description")
    for revision in migrate.history():
        table.add_row(
            revision.revision,
            revision.down_revision or "base",
            "yes" if revision.is_head else "",
            revision.message,
        )
    output.console().print(table)


def apply_migration(
    engine: Engine, direction: Literal["upgrade", "downgrade"], revision: str
) -> tuple[str | None, str | None]:
    """Migrate to ``revision``; return the revisions before and after. Failures raise MigrationFailed."""
    from sqlalchemy.exc import DBAPIError

    from hireflow.apps.cli.errors import dbapi_reason
    from hireflow.infra.db import migrate

    # Refuse an unknown revision before connecting: connecting alone creates a missing SQLite file.
    migrate.check_revision(revision)
    before = migrate.current_revision(engine)
    step = migrate.upgrade if direction == "upgrade" else migrate.downgrade
    try:
        step(engine, revision)
    except (DBAPIError, MigrationFailed) as exc:
        cause = exc if isinstance(exc, DBAPIError) else exc.__cause__
        if not isinstance(cause, DBAPIError):
            raise  # MigrationFailed already says what failed, on its own terms
        if cause.statement is None:
            raise cause from None  # a connection failure: connected_engine reports it
        now = migrate.current_revision(engine)
        where = f"the database is at revision {now or 'base'}"
        if now != before:
            where += f" (it was at {before or 'base'})"
        raise MigrationFailed(f"{direction} to '{revision}' failed: {dbapi_reason(cause)}; {where}") from None
    return before, migrate.current_revision(engine)


def _print_move(before: str | None, after: str | None) -> None:
    if after == before:
        typer.echo(f"already at {after or 'base'}; nothing to do")
    else:
        typer.echo(f"migrated {before or 'base'} -> {after or 'base'}")
