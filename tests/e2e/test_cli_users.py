"""``hireflow users create-superadmin`` as a user types it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from hireflow.infra.db.engine import build_engine
from tests.e2e.cli import hireflow, ok, one_line_error

STRONG = "correct horse battery staple 42"


def test_create_superadmin_from_the_environment(tmp_path: Path, sqlite_file_url: str) -> None:
    ok(hireflow("db", "upgrade", cwd=tmp_path, database_url=sqlite_file_url))
    password = {"HIREFLOW_SUPERADMIN_PASSWORD": STRONG}
    created = ok(
        hireflow("users", "create-superadmin", "--email", "Root@Example.com", cwd=tmp_path,
                 database_url=sqlite_file_url, env=password)
    )  # fmt: skip
    assert created.startswith("created superadmin root@example.com (user ")
    engine = build_engine(sqlite_file_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(text("SELECT is_superadmin, password_hash FROM users")).one()
    finally:
        engine.dispose()
    assert row.is_superadmin
    assert row.password_hash.startswith("$argon2id$")
    assert STRONG not in row.password_hash

    again = hireflow("users", "create-superadmin", "--email", "root@example.com", cwd=tmp_path,
                     database_url=sqlite_file_url, env=password)  # fmt: skip
    one_line_error(again, 1, "already exists")
    weak = hireflow("users", "create-superadmin", "--email", "other@example.com", cwd=tmp_path,
                    database_url=sqlite_file_url, env={"HIREFLOW_SUPERADMIN_PASSWORD": "short"})  # fmt: skip
    one_line_error(weak, 1, "password")


def test_create_superadmin_refuses_an_unmigrated_database(tmp_path: Path, sqlite_file_url: str) -> None:
    result = hireflow("users", "create-superadmin", "--email", "root@example.com", cwd=tmp_path,
                      database_url=sqlite_file_url, env={"HIREFLOW_SUPERADMIN_PASSWORD": STRONG})  # fmt: skip
    one_line_error(result, 78, "hireflow db upgrade")
