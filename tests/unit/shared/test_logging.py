"""Logging: JSON lines off a terminal, stdlib and uvicorn logs through the same pipeline, secrets redacted."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from hireflow.shared.logging import configure_logging, get_logger


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    yield out
    logging.getLogger().handlers.clear()
    structlog.reset_defaults()


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_structlog_events_are_json_lines_with_context(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream)
    structlog.contextvars.bind_contextvars(request_id="abc123", tenant=7)
    try:
        get_logger("hireflow.test").info("candidate.created", candidate_id=42)
    finally:
        structlog.contextvars.clear_contextvars()
    (line,) = _lines(stream)
    assert line["event"] == "candidate.created"
    assert line["candidate_id"] == 42
    assert line["request_id"] == "abc123"
    assert line["tenant"] == 7
    assert line["level"] == "info"
    assert str(line["timestamp"]).endswith("Z")


def test_stdlib_and_uvicorn_logs_share_the_pipeline(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream)
    logging.getLogger("uvicorn.error").warning("server %s", "started")
    logging.getLogger("some.library").debug("hidden below INFO")
    (line,) = _lines(stream)
    assert line["event"] == "server started"
    assert line["logger"] == "uvicorn.error"


def test_secrets_are_never_logged(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream)
    get_logger().info("login", password="hunter2", refresh_token="rt-secret", email="a@b.c")
    text = stream.getvalue()
    assert "hunter2" not in text
    assert "rt-secret" not in text
    assert "a@b.c" in text


def test_exceptions_are_rendered_in_json(stream: io.StringIO) -> None:
    configure_logging("INFO", "json", stream)
    try:
        raise ValueError("bad thing")
    except ValueError:
        get_logger().exception("failed")
    (line,) = _lines(stream)
    assert "ValueError: bad thing" in str(line["exception"])


def test_console_format_is_human_readable(stream: io.StringIO) -> None:
    configure_logging("INFO", "console", stream)
    get_logger().info("hello", who="world")
    text = stream.getvalue()
    assert "hello" in text
    assert "who" in text
    assert not text.lstrip().startswith("{")
