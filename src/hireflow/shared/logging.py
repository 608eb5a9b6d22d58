"""Structured logging with structlog, with stdlib and uvicorn logs routed through the same pipeline.

Call :func:`configure_logging` once at an entry point (CLI, API, worker); library code only calls
:func:`get_logger`. Console rendering on a terminal, JSON lines otherwise, unless ``log_format`` says which.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, Literal, TextIO

import structlog

_SECRET_KEYS = frozenset({"password", "secret", "token", "access_token", "refresh_token", "authorization"})


def _redact_secrets(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Never let a secret reach a log line, whatever a caller passed."""
    for key in event:
        if key.lower() in _SECRET_KEYS:
            event[key] = "**********"
    return event


def configure_logging(
    level: str = "INFO",
    fmt: Literal["auto", "console", "json"] = "auto",
    stream: TextIO | None = None,
) -> None:
    """Set up structlog and the stdlib root logger so every log line takes the same shape."""
    out = stream or sys.stderr
    use_json = fmt == "json" or (fmt == "auto" and not out.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact_secrets,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if use_json
        else structlog.dev.ConsoleRenderer(colors=out.isatty())
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *([structlog.processors.format_exc_info] if use_json else []),
            renderer,
        ],
    )
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "alembic", "dramatiq"):
        child = logging.getLogger(name)
        child.handlers[:] = []
        child.propagate = True


def get_logger(name: str | None = None) -> Any:
    """A structlog logger; binding context (``request_id``, ``tenant``) is done by the caller."""
    return structlog.stdlib.get_logger(name)
