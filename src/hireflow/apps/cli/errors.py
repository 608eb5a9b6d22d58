"""How the CLI fails: one line on stderr (``error: <message>``), the error's exit code, never a traceback.

Every :class:`~hireflow.shared.errors.HireflowError` raised by a command or by the global callback is reported
by :class:`HireflowGroup`, the class of the top-level typer app. So are database errors: a failed connection
becomes :class:`~hireflow.shared.errors.ServiceUnavailable` naming the URL (password masked) and the fix,
any other DBAPI error one ``database error: ...`` line. Anything else is a bug and keeps its traceback.
"""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

import logging
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from hireflow.shared.errors import HireflowError, ServiceUnavailable

_log = logging.getLogger("hireflow.cli")


class HireflowGroup(TyperGroup):
    """The top-level command group: runs the callback and the command, and reports deliberate failures."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command; turn a Hireflow or database error into one line and an exit code."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            error = as_hireflow_error(exc)
            if error is None:
                raise
            _log.debug("command failed", exc_info=exc)
            report(error)
            raise typer.Exit(error.exit_code) from None


def as_hireflow_error(exc: BaseException) -> HireflowError | None:
    """The Hireflow error ``exc`` stands for, or None when it is a bug that deserves its traceback."""
    if isinstance(exc, HireflowError):
        return exc
    # SQLAlchemy is only imported by commands that use a database; if it is absent, so are its errors.
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None or not isinstance(exc, sa_exc.DBAPIError):
        return None
    if exc.statement is None:  # raised while connecting, before any SQL was sent
        return unreachable(_configured_url(), exc)
    return HireflowError(f"database error: {dbapi_reason(exc)}; rerun with --log-level DEBUG for details")


def unreachable(database_url: str, exc: BaseException) -> ServiceUnavailable:
    """The error for a database that does not answer: the URL (password masked), the reason, the fix."""
    from hireflow.shared.config import mask_url_password

    return ServiceUnavailable(
        f"cannot connect to the database at {mask_url_password(database_url)}: {dbapi_reason(exc)}; "
        "is the server running and the URL right? check HIREFLOW_DATABASE_URL (or --database-url)"
    )


def dbapi_reason(exc: BaseException) -> str:
    """The driver's own message, on one line, without SQLAlchemy's SQL echo and background links."""
    original = getattr(exc, "orig", None) or exc
    return one_line(str(original)) or type(original).__name__


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, newlines included, turned into one space."""
    return " ".join(text.split())


def report(error: HireflowError) -> None:
    """Print ``error: <message>`` as one line on stderr."""
    typer.echo(f"error: {one_line(str(error))}", err=True)


def _configured_url() -> str:
    from hireflow.shared.config import get_settings

    try:
        return get_settings().database_url
    except HireflowError:
        return "the configured database"
