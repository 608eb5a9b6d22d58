"""Running the ``hireflow`` command in tests: the installed script in a subprocess, and checks on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect, text

from hireflow.infra.db import migrate
from hireflow.infra.db.engine import build_engine

CONSOLE_SCRIPT = Path(sys.executable).with_name("hireflow")
UNREACHABLE = "postgresql://postgres:s3cret@127.0.0.1:1/none"


def hireflow(
    *args: str, cwd: Path, database_url: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``hireflow`` script (else ``python -m hireflow``) with a clean environment."""
    command = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m", "hireflow"]
    environment = {name: value for name, value in os.environ.items() if not name.startswith("HIREFLOW_")}
    environment["COLUMNS"] = "200"  # rich wraps at 80 columns when not on a terminal
    if database_url is not None:
        environment["HIREFLOW_DATABASE_URL"] = database_url
    environment.update(env or {})
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, cwd=cwd, env=environment, timeout=240, check=False
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The output of a command that must succeed."""
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def one_line_error(result: subprocess.CompletedProcess[str], exit_code: int, *fragments: str) -> str:
    """Check the failure contract: non-zero exit, one ``error:`` line on stderr, no traceback."""
    assert result.returncode == exit_code, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def table_names(url: str) -> set[str]:
    engine = build_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def revision(url: str) -> str | None:
    engine = build_engine(url)
    try:
        return migrate.current_revision(engine)
    finally:
        engine.dispose()


def scalar(url: str, sql: str) -> object:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()
