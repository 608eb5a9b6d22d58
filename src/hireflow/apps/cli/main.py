"""The ``hireflow`` command: the typer app, its global options and its command groups.

Global options apply to one invocation: ``--database-url`` overrides ``HIREFLOW_DATABASE_URL`` and
``--log-level`` overrides ``HIREFLOW_LOG_LEVEL``, both set in the environment before the settings are first
read, so every part of Hireflow sees the same values. Logging is configured in the callback, never on import.
"""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from hireflow import __version__
from hireflow.apps.cli.db import db_app
from hireflow.apps.cli.demo import demo_app
from hireflow.apps.cli.embed import embed
from hireflow.apps.cli.errors import HireflowGroup
from hireflow.apps.cli.info import info
from hireflow.apps.cli.match import match_app
from hireflow.apps.cli.sandbox import sandbox_app
from hireflow.apps.cli.serve import serve
from hireflow.apps.cli.simulate import simulate
from hireflow.apps.cli.sync import sync_app
from hireflow.apps.cli.up import up
from hireflow.apps.cli.users import users_app
from hireflow.apps.cli.worker import worker

# The CLI talks to people: library logs stay quiet unless asked for with --log-level or HIREFLOW_LOG_LEVEL.
CLI_DEFAULT_LOG_LEVEL = "WARNING"


class LogLevel(StrEnum):
    """The levels ``--log-level`` accepts."""

    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


app = typer.Typer(
    name="hireflow",
    cls=HireflowGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app)
app.add_typer(demo_app)
app.add_typer(users_app)
app.add_typer(sandbox_app)
app.add_typer(sync_app)
app.add_typer(match_app)
app.command()(info)
app.command()(serve)
app.command()(up)
app.command()(worker)
app.command()(simulate)
app.command()(embed)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"hireflow {__version__}")
        raise typer.Exit


@app.callback()
def main(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            metavar="URL",
            help="Database for this command only, instead of HIREFLOW_DATABASE_URL "
            "(sqlite:///path.db or postgresql://user@host:5432/db).",
            show_default=False,
        ),
    ] = None,
    log_level: Annotated[
        LogLevel | None,
        typer.Option(
            "--log-level",
            case_sensitive=False,
            help=f"Log level for this command (default: HIREFLOW_LOG_LEVEL, else {CLI_DEFAULT_LOG_LEVEL}).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Hireflow, the open-source hiring platform: database, demo data and more."""
    from hireflow.shared.config import get_settings

    if database_url is not None:
        os.environ["HIREFLOW_DATABASE_URL"] = database_url
    if log_level is not None:
        os.environ["HIREFLOW_LOG_LEVEL"] = log_level.value
    get_settings.cache_clear()
    _configure_logging(explicit_level=log_level)


def _configure_logging(explicit_level: LogLevel | None) -> None:
    """Log at the level asked for; with malformed settings, log anyway and let the command report them."""
    from hireflow.shared.config import get_settings
    from hireflow.shared.errors import ConfigurationError
    from hireflow.shared.logging import configure_logging

    try:
        settings = get_settings()
    except ConfigurationError:
        configure_logging(explicit_level or CLI_DEFAULT_LOG_LEVEL)
        return
    level = explicit_level or (settings.log_level if "log_level" in settings.model_fields_set else None)
    configure_logging(level or CLI_DEFAULT_LOG_LEVEL, settings.log_format)


def run() -> None:
    """Entry point of the ``hireflow`` console script."""
    app(prog_name="hireflow")


if __name__ == "__main__":
    run()
