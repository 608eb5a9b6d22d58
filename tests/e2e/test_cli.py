"""The ``hireflow`` command as a user types it: the installed script, in a subprocess, on real databases."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from hireflow import __version__
from hireflow.apps.cli.main import app
from hireflow.infra.db import migrate
from hireflow.infra.db.engine import build_engine
from tests.e2e.cli import UNREACHABLE, hireflow, ok, one_line_error, revision, table_names


# -- the basics ----------------------------------------------------------------------------------------------
def test_version(tmp_path: Path) -> None:
    assert ok(hireflow("--version", cwd=tmp_path)) == f"hireflow {__version__}\n"


@pytest.mark.parametrize("module", ["hireflow", "hireflow.apps.cli.main"])
def test_python_dash_m(tmp_path: Path, module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", module, "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert ok(result) == f"hireflow {__version__}\n"


def test_help_lists_every_command_with_its_summary(tmp_path: Path) -> None:
    top = ok(hireflow("--help", cwd=tmp_path))
    for command in (
        "db",
        "demo",
        "info",
        "up",
        "worker",
        "simulate",
        "--database-url",
        "--log-level",
        "--version",
    ):
        assert command in top
    db_help = ok(hireflow("db", "--help", cwd=tmp_path))
    for command in ("upgrade", "downgrade", "current", "history"):
        assert command in db_help
    assert "--append" in ok(hireflow("demo", "seed", "--help", cwd=tmp_path))


# -- db ------------------------------------------------------------------------------------------------------
def test_db_commands_migrate_up_and_down(tmp_path: Path, empty_database_url: str) -> None:
    head = migrate.head_revision()
    assert ok(hireflow("db", "current", cwd=tmp_path, database_url=empty_database_url)).startswith(
        "current: none"
    )

    assert (
        ok(hireflow("db", "upgrade", cwd=tmp_path, database_url=empty_database_url))
        == f"migrated base -> {head}\n"
    )
    assert revision(empty_database_url) == head
    assert {"candidates", "company_groups", "candidate_funnel_log"} <= table_names(empty_database_url)
    assert (
        ok(hireflow("db", "current", cwd=tmp_path, database_url=empty_database_url))
        == f"current: {head} (head)\n"
    )
    assert "nothing to do" in ok(
        hireflow("db", "upgrade", "head", cwd=tmp_path, database_url=empty_database_url)
    )

    history = ok(hireflow("db", "history", cwd=tmp_path, database_url=empty_database_url))
    assert head in history
    assert "Migrations" in history

    downgrade = ok(hireflow("db", "downgrade", "base", cwd=tmp_path, database_url=empty_database_url))
    assert downgrade == f"migrated {head} -> base\n"
    assert revision(empty_database_url) is None
    assert table_names(empty_database_url) <= {"alembic_version"}

    ok(hireflow("db", "upgrade", cwd=tmp_path, database_url=empty_database_url))
    assert revision(empty_database_url) == head
    previous = migrate.history()[1].revision if len(migrate.history()) > 1 else "base"
    assert ok(hireflow("db", "downgrade", "-1", cwd=tmp_path, database_url=empty_database_url)).endswith(
        f"-> {previous}\n"
    )
    ok(hireflow("db", "upgrade", "+1", cwd=tmp_path, database_url=empty_database_url))
    assert revision(empty_database_url) == head


def test_downgrade_requires_a_revision(tmp_path: Path, sqlite_file_url: str) -> None:
    result = hireflow("db", "downgrade", cwd=tmp_path, database_url=sqlite_file_url)
    assert result.returncode == 2
    assert "Missing argument" in result.stderr
    assert not (tmp_path / "cli.db").exists()


@pytest.mark.parametrize("command", [("db", "upgrade", "nope"), ("db", "downgrade", "nope")])
def test_an_unknown_revision_is_one_line_and_touches_nothing(
    tmp_path: Path, empty_database_url: str, command: tuple[str, ...]
) -> None:
    ok(hireflow("db", "upgrade", cwd=tmp_path, database_url=empty_database_url))
    tables_before = table_names(empty_database_url)

    line = one_line_error(hireflow(*command, cwd=tmp_path, database_url=empty_database_url), 78, "'nope'")
    assert "hireflow db history" in line
    assert revision(empty_database_url) == migrate.head_revision()
    assert table_names(empty_database_url) == tables_before


def test_an_unknown_revision_does_not_create_the_database(tmp_path: Path, sqlite_file_url: str) -> None:
    one_line_error(
        hireflow("db", "upgrade", "nope", cwd=tmp_path, database_url=sqlite_file_url), 78, "'nope'"
    )
    assert not (tmp_path / "cli.db").exists()


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path, empty_database_url: str) -> None:
    """A table in the way makes the first migration fail halfway; everything it did is rolled back."""
    engine = build_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY)"))
    engine.dispose()

    result = hireflow("db", "upgrade", cwd=tmp_path, database_url=empty_database_url)
    line = one_line_error(result, 70, "upgrade to 'head' failed", "users", "the database is at revision base")
    assert "CREATE TABLE" not in line
    assert table_names(empty_database_url) == {"users"}
    assert revision(empty_database_url) is None


# -- info ----------------------------------------------------------------------------------------------------
def test_info_masks_secrets_and_reports_the_database(tmp_path: Path, sqlite_file_url: str) -> None:
    secrets = {
        "HIREFLOW_SECRET_KEY": "very-secret-key-123",
        "HIREFLOW_REDIS_URL": "redis://:hunter2@localhost/0",
    }
    before = ok(hireflow("info", cwd=tmp_path, database_url=sqlite_file_url, env=secrets))
    assert "does not exist yet" in before
    assert not (tmp_path / "cli.db").exists(), "info must not create the database"

    ok(hireflow("db", "upgrade", cwd=tmp_path, database_url=sqlite_file_url))
    after = ok(hireflow("info", cwd=tmp_path, database_url=sqlite_file_url, env=secrets))
    assert f"hireflow {__version__}" in after
    for name in ("HIREFLOW_DATABASE_URL", "HIREFLOW_SECRET_KEY", "HIREFLOW_REDIS_URL", "HIREFLOW_LOG_LEVEL"):
        assert name in after
    assert "very-secret-key-123" not in after
    assert "hunter2" not in after
    assert "**********" in after
    assert re.search(r"reachable\s*│\s*yes: sqlite", after)
    assert f"{migrate.head_revision()} (up to date)" in after


def test_info_on_an_unreachable_database_says_so_and_masks_the_password(tmp_path: Path) -> None:
    output = ok(hireflow("info", cwd=tmp_path, database_url=UNREACHABLE))
    assert re.search(r"reachable\s*│\s*no: ", output)
    assert "postgresql://postgres:***@127.0.0.1:1/none" in output
    assert "s3cret" not in output


# -- global options ------------------------------------------------------------------------------------------
def test_database_url_option_overrides_the_environment(tmp_path: Path) -> None:
    env_url = f"sqlite:///{tmp_path / 'from-env.db'}"
    option_url = f"sqlite:///{tmp_path / 'from-option.db'}"
    ok(hireflow("--database-url", option_url, "db", "upgrade", cwd=tmp_path, database_url=env_url))
    assert (tmp_path / "from-option.db").exists()
    assert not (tmp_path / "from-env.db").exists()


def test_the_embedded_default_is_a_sqlite_file_in_the_working_directory(tmp_path: Path) -> None:
    ok(hireflow("db", "upgrade", cwd=tmp_path))
    assert (tmp_path / "hireflow.db").exists()


def test_log_level(tmp_path: Path, sqlite_file_url: str) -> None:
    quiet = hireflow("db", "upgrade", cwd=tmp_path, database_url=sqlite_file_url)
    assert ok(quiet)
    assert quiet.stderr == "", "the CLI logs nothing by default"
    ok(hireflow("db", "downgrade", "base", cwd=tmp_path, database_url=sqlite_file_url))
    loud = hireflow("--log-level", "debug", "db", "upgrade", cwd=tmp_path, database_url=sqlite_file_url)
    ok(loud)
    assert "Running upgrade" in loud.stderr

    bad = hireflow("--log-level", "loud", "db", "current", cwd=tmp_path, database_url=sqlite_file_url)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


# -- failures ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    [("db", "upgrade"), ("db", "downgrade", "base"), ("db", "current"), ("demo", "seed"), ("up",)],
    ids=" ".join,
)
def test_an_unreachable_database_is_one_line_naming_the_url_and_the_fix(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    result = hireflow(*command, cwd=tmp_path, database_url=UNREACHABLE)
    line = one_line_error(result, 69, "postgresql://postgres:***@127.0.0.1:1/none", "HIREFLOW_DATABASE_URL")
    assert "s3cret" not in result.stderr + result.stdout
    assert "is the server running" in line


def test_an_unreachable_database_given_as_an_option(tmp_path: Path) -> None:
    result = hireflow(
        "--database-url", "postgresql://postgres@127.0.0.1:1/none", "db", "upgrade", cwd=tmp_path
    )
    one_line_error(result, 69, "postgresql://postgres@127.0.0.1:1/none", "--database-url")


def test_a_sqlite_file_that_cannot_be_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}"
    one_line_error(hireflow("db", "current", cwd=tmp_path, database_url=url), 69, "unable to open database")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HIREFLOW_DATABASE_URL", "mysql://x"),
        ("HIREFLOW_DATABASE_POOL_SIZE", "abc"),
        ("HIREFLOW_LOG_LEVEL", "LOUD"),
    ],
)
def test_a_malformed_setting_is_one_line_naming_the_variable(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = hireflow("db", "upgrade", cwd=tmp_path, env={variable: value})
    one_line_error(result, 78, f"{variable}:")
    assert not (tmp_path / "hireflow.db").exists()


@pytest.mark.parametrize("command", [("info",), ("db", "current"), ("up",), ("demo", "seed")], ids=" ".join)
def test_every_command_reports_a_malformed_setting(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = hireflow(*command, cwd=tmp_path, env={"HIREFLOW_DATABASE_POOL_SIZE": "abc"})
    one_line_error(result, 78, "HIREFLOW_DATABASE_POOL_SIZE:")


def test_a_malformed_setting_in_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HIREFLOW_DATABASE_POOL_SIZE=many\n")
    one_line_error(hireflow("db", "current", cwd=tmp_path), 78, "HIREFLOW_DATABASE_POOL_SIZE")


# -- in process (fast; the same app object the script runs) -------------------------------------------------
def test_in_process_a_hireflow_error_is_one_line_and_its_exit_code(
    runner: CliRunner, sqlite_file_url: str
) -> None:
    result = runner.invoke(app, ["db", "upgrade", "nope"], env={"HIREFLOW_DATABASE_URL": sqlite_file_url})
    assert result.exit_code == 78
    assert result.stderr.startswith("error: unknown revision 'nope'")
    assert result.stderr.count("\n") == 1


def test_in_process_a_bug_keeps_its_traceback(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(migrate, "history", broken)
    result = runner.invoke(app, ["db", "history"])
    assert isinstance(result.exception, RuntimeError)
    assert "error:" not in result.stderr
