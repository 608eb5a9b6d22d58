"""funnel state counts: a trigger-maintained summary of live candidates per day, unit, location, role and state

Revision ID: 0002_funnel_counts
Revises: 0001_initial
Create Date: 2026-11-22 03:30:00

Funnel buckets over a million candidates must answer in milliseconds, with filters on business unit, location,
role and entry date. Scanning ``candidates`` cannot do that on SQLite (about 0.5 s with a date filter), so this
migration adds ``funnel_state_counts`` and triggers that keep it true whoever writes ``candidates``: services,
bulk loaders, raw SQL. PostgreSQL uses statement-level triggers with transition tables (one upsert per statement,
so COPY and bulk updates stay fast); SQLite has only row-level triggers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hireflow.infra.db.base import BigIntId

revision: str = "0002_funnel_counts"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = "company_group_id, business_unit_key, location_key, role_key, entered_on, funnel_state"
STATES = (
    "lead, contacted, screening, screened, eligible, ineligible, interview_scheduled, interviewed, offered, "
    "hired, onboarding, onboarded, rejected, withdrawn, no_show, expired"
)
LIVE = "{r}.deleted_at IS NULL AND {r}.merged_into_id IS NULL"


def _keys(row: str, day: str) -> str:
    return (
        f"{row}.company_group_id, coalesce({row}.business_unit_id, 0), coalesce({row}.location_id, 0), "
        f"coalesce({row}.role_id, 0), {day}, {row}.funnel_state"
    )


def _named_keys(row: str, day: str) -> str:
    return (
        f"{row}.company_group_id AS company_group_id, coalesce({row}.business_unit_id, 0) AS business_unit_key, "
        f"coalesce({row}.location_id, 0) AS location_key, coalesce({row}.role_id, 0) AS role_key, "
        f"{day} AS entered_on, {row}.funnel_state AS funnel_state"
    )


SAME_GROUP = " AND ".join(f"f.{key} = gone.{key}" for key in KEYS.split(", "))


def _match(row: str, day: str) -> str:
    return (
        f"company_group_id = {row}.company_group_id AND business_unit_key = coalesce({row}.business_unit_id, 0) "
        f"AND location_key = coalesce({row}.location_id, 0) AND role_key = coalesce({row}.role_id, 0) "
        f"AND entered_on = {day} AND funnel_state = {row}.funnel_state"
    )


SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER trg_candidates_counts_insert AFTER INSERT ON candidates
    WHEN {LIVE.format(r="NEW")}
    BEGIN
        INSERT INTO funnel_state_counts ({KEYS}, candidate_count)
        VALUES ({_keys("NEW", "date(NEW.entered_at)")}, 1)
        ON CONFLICT ({KEYS}) DO UPDATE SET candidate_count = candidate_count + 1;
    END
    """,
    f"""
    CREATE TRIGGER trg_candidates_counts_delete AFTER DELETE ON candidates
    WHEN {LIVE.format(r="OLD")}
    BEGIN
        UPDATE funnel_state_counts SET candidate_count = candidate_count - 1
        WHERE {_match("OLD", "date(OLD.entered_at)")};
    END
    """,
    f"""
    CREATE TRIGGER trg_candidates_counts_update
    AFTER UPDATE OF company_group_id, business_unit_id, location_id, role_id, entered_at, funnel_state,
        deleted_at, merged_into_id ON candidates
    BEGIN
        UPDATE funnel_state_counts SET candidate_count = candidate_count - 1
        WHERE {LIVE.format(r="OLD")} AND {_match("OLD", "date(OLD.entered_at)")};
        INSERT INTO funnel_state_counts ({KEYS}, candidate_count)
        SELECT {_keys("NEW", "date(NEW.entered_at)")}, 1 WHERE {LIVE.format(r="NEW")}
        ON CONFLICT ({KEYS}) DO UPDATE SET candidate_count = candidate_count + 1;
    END
    """,
]

PG_DAY = "({r}.entered_at AT TIME ZONE 'UTC')::date"
PG_FUNCTION = f"""
CREATE FUNCTION hireflow_funnel_state_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        WITH gone AS (
            SELECT {_named_keys("o", PG_DAY.format(r="o"))}, count(*) AS n
            FROM old_rows o WHERE {LIVE.format(r="o")} GROUP BY 1, 2, 3, 4, 5, 6
        )
        UPDATE funnel_state_counts f SET candidate_count = f.candidate_count - gone.n FROM gone
        WHERE {SAME_GROUP};
    ELSIF TG_OP = 'UPDATE' THEN
        -- Only rows whose counted keys changed move between groups.
        WITH changed AS (
            SELECT o.*, n.id AS new_id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE ({_keys("o", PG_DAY.format(r="o"))}, {LIVE.format(r="o")})
                IS DISTINCT FROM ({_keys("n", PG_DAY.format(r="n"))}, {LIVE.format(r="n")})
        ), gone AS (
            SELECT {_named_keys("c", PG_DAY.format(r="c"))}, count(*) AS n
            FROM changed c WHERE {LIVE.format(r="c")} GROUP BY 1, 2, 3, 4, 5, 6
        )
        UPDATE funnel_state_counts f SET candidate_count = f.candidate_count - gone.n FROM gone
        WHERE {SAME_GROUP};
        INSERT INTO funnel_state_counts ({KEYS}, candidate_count)
        SELECT {_keys("n", PG_DAY.format(r="n"))}, count(*)
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE {LIVE.format(r="n")}
          AND ({_keys("o", PG_DAY.format(r="o"))}, {LIVE.format(r="o")})
              IS DISTINCT FROM ({_keys("n", PG_DAY.format(r="n"))}, {LIVE.format(r="n")})
        GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT ({KEYS}) DO UPDATE
            SET candidate_count = funnel_state_counts.candidate_count + EXCLUDED.candidate_count;
    ELSE
        INSERT INTO funnel_state_counts ({KEYS}, candidate_count)
        SELECT {_keys("n", PG_DAY.format(r="n"))}, count(*)
        FROM new_rows n WHERE {LIVE.format(r="n")}
        GROUP BY 1, 2, 3, 4, 5, 6
        ON CONFLICT ({KEYS}) DO UPDATE
            SET candidate_count = funnel_state_counts.candidate_count + EXCLUDED.candidate_count;
    END IF;
    RETURN NULL;
END
$$
"""
PG_TRIGGERS = [
    PG_FUNCTION,
    "CREATE TRIGGER trg_candidates_counts_insert AFTER INSERT ON candidates "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hireflow_funnel_state_counts()",
    "CREATE TRIGGER trg_candidates_counts_update AFTER UPDATE ON candidates "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION hireflow_funnel_state_counts()",
    "CREATE TRIGGER trg_candidates_counts_delete AFTER DELETE ON candidates "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hireflow_funnel_state_counts()",
]


def upgrade() -> None:
    op.create_table(
        "funnel_state_counts",
        sa.Column("company_group_id", BigIntId, autoincrement=False, nullable=False),
        sa.Column("business_unit_key", BigIntId, nullable=False),
        sa.Column("location_key", BigIntId, nullable=False),
        sa.Column("role_key", BigIntId, nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("funnel_state", sa.String(length=30), nullable=False),
        sa.Column("candidate_count", BigIntId, server_default="0", nullable=False),
        sa.CheckConstraint("candidate_count >= 0", name=op.f("ck_funnel_state_counts_count_not_negative")),
        sa.CheckConstraint(
            " OR ".join(f"funnel_state = '{state}'" for state in STATES.split(", ")),
            name=op.f("ck_funnel_state_counts_funnel_state_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_funnel_state_counts_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "company_group_id",
            "business_unit_key",
            "location_key",
            "role_key",
            "entered_on",
            "funnel_state",
            name=op.f("pk_funnel_state_counts"),
        ),
    )
    is_postgres = op.get_bind().dialect.name == "postgresql"
    day = PG_DAY.format(r="c") if is_postgres else "date(c.entered_at)"
    op.execute(
        f"INSERT INTO funnel_state_counts ({KEYS}, candidate_count) "
        f"SELECT {_keys('c', day)}, count(*) FROM candidates c WHERE {LIVE.format(r='c')} "
        "GROUP BY 1, 2, 3, 4, 5, 6"
    )
    for statement in PG_TRIGGERS if is_postgres else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in ("insert", "update", "delete"):
        op.execute(
            f"DROP TRIGGER IF EXISTS trg_candidates_counts_{name}" + (" ON candidates" if _pg() else "")
        )
    if _pg():
        op.execute("DROP FUNCTION IF EXISTS hireflow_funnel_state_counts()")
    op.drop_table("funnel_state_counts")


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"
