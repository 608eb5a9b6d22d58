"""The packaged migrations: they match the models on both databases and go up, down and up again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from hireflow.infra.db import migrate
from hireflow.infra.db.base import metadata
from hireflow.infra.db.engine import build_engine
from hireflow.shared.errors import ConfigurationError, MigrationFailed

TABLE_COUNT = 46


def _diff(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


@pytest.fixture
def fresh_engine(empty_database_url: str) -> Any:
    engine = build_engine(empty_database_url)
    yield engine
    engine.dispose()


def test_migrations_match_the_models(fresh_engine: Engine) -> None:
    migrate.upgrade(fresh_engine)
    assert migrate.current_revision(fresh_engine) == migrate.head_revision()
    assert _diff(fresh_engine) == []
    assert len(_tables(fresh_engine)) == TABLE_COUNT


def test_upgrade_downgrade_upgrade(fresh_engine: Engine) -> None:
    migrate.upgrade(fresh_engine)
    migrate.downgrade(fresh_engine, "base")
    assert migrate.current_revision(fresh_engine) is None
    assert _tables(fresh_engine) == set()
    migrate.upgrade(fresh_engine)
    assert _diff(fresh_engine) == []


def test_every_revision_steps_down_and_up_one_at_a_time(fresh_engine: Engine) -> None:
    revisions = [rev.revision for rev in reversed(migrate.history())]
    for revision in revisions:
        migrate.upgrade(fresh_engine, revision)
        assert migrate.current_revision(fresh_engine) == revision
    for expected in [*reversed(revisions[:-1]), None]:
        migrate.downgrade(fresh_engine, "-1")
        assert migrate.current_revision(fresh_engine) == expected


def test_history_has_one_head_and_a_message_per_revision() -> None:
    history = migrate.history()
    assert [rev.is_head for rev in history].count(True) == 1
    assert all(rev.message for rev in history)
    assert history[-1].down_revision is None


@pytest.mark.parametrize("revision", ["deadbeef", "0001_nope"])
def test_unknown_revision_is_a_clear_error_and_changes_nothing(fresh_engine: Engine, revision: str) -> None:
    migrate.upgrade(fresh_engine)
    with pytest.raises(ConfigurationError, match=f"unknown revision '{revision}'"):
        migrate.upgrade(fresh_engine, revision)
    with pytest.raises(ConfigurationError, match="unknown revision"):
        migrate.downgrade(fresh_engine, revision)
    assert migrate.current_revision(fresh_engine) == migrate.head_revision()


def test_foreign_keys_and_cascades_are_enforced_after_migration(fresh_engine: Engine) -> None:
    migrate.upgrade(fresh_engine)
    with fresh_engine.begin() as connection:
        connection.execute(text("INSERT INTO company_groups (id, name, slug) VALUES (1, 'Acme', 'acme')"))
        connection.execute(text("INSERT INTO roles (id, company_group_id, title) VALUES (7, 1, 'Picker')"))
        connection.execute(
            text(
                "INSERT INTO hiring_objectives (company_group_id, role_id, objective_amount, start_date)"
                " VALUES (1, 7, 5, '2026-01-01')"
            )
        )
    with pytest.raises(IntegrityError), fresh_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO hiring_objectives (company_group_id, role_id, objective_amount, start_date)"
                " VALUES (1, 999, 5, '2026-01-01')"
            )
        )
    with pytest.raises(IntegrityError), fresh_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO hiring_objectives (company_group_id, role_id, objective_amount, start_date)"
                " VALUES (1, 7, 0, '2026-01-01')"
            )
        )
    with fresh_engine.begin() as connection:
        connection.execute(text("DELETE FROM roles WHERE id = 7"))
        remaining = connection.execute(text("SELECT count(*) FROM hiring_objectives")).scalar_one()
    assert remaining == 0


def test_sqlite_and_postgresql_get_the_same_schema(
    sqlite_database_url: str, postgres_database_url: str
) -> None:
    shapes = []
    for url in (sqlite_database_url, postgres_database_url):
        engine = build_engine(url)
        migrate.upgrade(engine)
        inspector = inspect(engine)
        shape = {}
        for table in sorted(_tables(engine)):
            shape[table] = (
                sorted(c["name"] for c in inspector.get_columns(table)),
                sorted(
                    (c["name"], tuple(c["column_names"])) for c in inspector.get_unique_constraints(table)
                ),
                sorted(
                    (tuple(fk["constrained_columns"]), fk["referred_table"], fk["options"].get("ondelete"))
                    for fk in inspector.get_foreign_keys(table)
                ),
                sorted(
                    (i["name"], tuple(i["column_names"]))
                    for i in inspector.get_indexes(table)
                    if not i.get("duplicates_constraint")
                ),
                sorted(c["name"] for c in inspector.get_check_constraints(table)),
            )
        shapes.append(shape)
        engine.dispose()
    assert shapes[0] == shapes[1]


FAILING_REVISION = '''"""a migration that fails half-way"""
import sqlalchemy as sa
from alembic import op

revision = "0999_fails"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_written", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO company_groups (name, slug) VALUES ('Half', 'half')")
    raise RuntimeError("boom in the middle of a migration")


def downgrade() -> None:
    op.drop_table("half_written")
'''


def test_a_failing_migration_changes_nothing(
    fresh_engine: Engine, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()
    before_head = migrate.history()[1].revision
    (copy / "versions" / "0999_fails.py").write_text(FAILING_REVISION.format(down=head))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)

    migrate.upgrade(fresh_engine, before_head)
    with pytest.raises(MigrationFailed, match="rolled back: RuntimeError: boom"):
        migrate.upgrade(fresh_engine)  # the head revision succeeds, then the failing one fails

    # Every revision of the run is rolled back, not only the failing one (SQLite included).
    assert migrate.current_revision(fresh_engine) == before_head
    assert "half_written" not in _tables(fresh_engine)
    with fresh_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM company_groups")).scalar_one() == 0


def test_server_default_timestamps_look_like_python_written_ones(fresh_engine: Engine) -> None:
    # SQLite compares timestamps as text: a default without microseconds would sort before an equal time
    # written by SQLAlchemy ("... 10:00:00" < "... 10:00:00.000000").
    migrate.upgrade(fresh_engine)
    with fresh_engine.begin() as connection:
        connection.execute(text("INSERT INTO company_groups (name, slug) VALUES ('Acme', 'acme')"))
        raw = connection.execute(text("SELECT CAST(created_at AS TEXT) FROM company_groups")).scalar_one()
    if fresh_engine.dialect.name == "sqlite":
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", raw), raw


def _two_tenants_and_a_candidate(connection: Any) -> None:
    connection.execute(
        text("INSERT INTO company_groups (id, name, slug) VALUES (1, 'Acme', 'acme'), (2, 'Other', 'other')")
    )
    connection.execute(
        text(
            "INSERT INTO candidates (id, company_group_id, first_name, last_name, phone_e164)"
            " VALUES (5, 1, 'Ana', 'Lima', '+14155550123')"
        )
    )


def _link(connection: Any, company_group_id: int, external_id: str) -> None:
    connection.execute(
        text(
            "INSERT INTO candidate_external_ids (company_group_id, candidate_id, source, external_id)"
            " VALUES (:cg, 5, 'bullhorn', :external_id)"
        ),
        {"cg": company_group_id, "external_id": external_id},
    )


def test_an_external_id_link_stays_within_its_candidates_company_group(fresh_engine: Engine) -> None:
    migrate.upgrade(fresh_engine)
    with fresh_engine.begin() as connection:
        _two_tenants_and_a_candidate(connection)
        _link(connection, 1, "B-1")
    with pytest.raises(IntegrityError), fresh_engine.begin() as connection:
        _link(connection, 2, "B-2")
    with fresh_engine.begin() as connection:
        assert connection.execute(text("SELECT external_id FROM candidate_external_ids")).scalars().all() == [
            "B-1"
        ]
        connection.execute(text("DELETE FROM company_groups WHERE id = 1"))
        assert connection.execute(text("SELECT count(*) FROM candidate_external_ids")).scalar_one() == 0


def test_the_tenant_bound_link_migration_keeps_links_and_refuses_crossed_ones(fresh_engine: Engine) -> None:
    migrate.upgrade(fresh_engine, "0008_matching")
    with fresh_engine.begin() as connection:
        _two_tenants_and_a_candidate(connection)
        _link(connection, 1, "B-1")
    migrate.upgrade(fresh_engine)
    migrate.downgrade(fresh_engine, "0008_matching")
    with fresh_engine.begin() as connection:
        _link(connection, 2, "B-2")  # the old schema let a link cross tenants

    with pytest.raises(MigrationFailed):
        migrate.upgrade(fresh_engine)

    assert migrate.current_revision(fresh_engine) == "0008_matching"
    with fresh_engine.connect() as connection:
        rows = connection.execute(
            text("SELECT company_group_id, external_id FROM candidate_external_ids ORDER BY external_id")
        ).all()
    assert [tuple(row) for row in rows] == [(1, "B-1"), (2, "B-2")]


def test_the_email_migration_lower_cases_candidates_emails_and_nothing_else(fresh_engine: Engine) -> None:
    migrate.upgrade(fresh_engine, "0009_tenant_bound_links")
    with fresh_engine.begin() as connection:
        _two_tenants_and_a_candidate(connection)
        connection.execute(
            text(
                "INSERT INTO candidates (id, company_group_id, first_name, last_name, phone_e164, email) VALUES"
                " (6, 1, 'Bo', 'Lima', '+14155550124', 'Bo.Lima@Example.com'),"
                " (7, 1, 'Çelik', 'Ünal', '+14155550125', 'ÇELIK@example.com'),"
                " (8, 1, 'Di', 'Lima', '+14155550126', 'di@example.com')"
            )
        )

    migrate.upgrade(fresh_engine)

    with fresh_engine.connect() as connection:
        rows = connection.execute(text("SELECT id, email, first_name FROM candidates ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [
        (5, None, "Ana"),
        (6, "bo.lima@example.com", "Bo"),
        (7, "çelik@example.com", "Çelik"),  # Python's lower-casing, not SQLite's ASCII-only one
        (8, "di@example.com", "Di"),
    ]
    migrate.downgrade(fresh_engine, "0009_tenant_bound_links")
    migrate.upgrade(fresh_engine)
