"""workforce simulation runs and the outputs of their chunks

Revision ID: 0006_simulation_runs
Revises: 0005_candidates_by_state_change
Create Date: 2026-12-01 02:30:00

A run stores its resolved scenario, progress and result; each finished chunk stores its whole outputs (a
compressed .npz) until the chunk that completes the run combines them and deletes them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hireflow.infra.db.base import BigIntId, JSONType, UtcDateTime, utc_now_default

revision: str = "0006_simulation_runs"
down_revision: str | None = "0005_candidates_by_state_change"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")


def upgrade() -> None:
    op.create_table(
        "simulation_runs",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("engine", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), server_default=sa.text("'queued'"), nullable=False),
        sa.Column("iterations", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("horizon_steps", sa.Integer(), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("chunk_iterations", sa.Integer(), nullable=False),
        sa.Column("chunks_total", sa.Integer(), nullable=False),
        sa.Column("chunks_done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by_user_id", BigIntId, nullable=True),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("scenario", JSONType, nullable=False),
        sa.Column("result", JSONType, nullable=True),
        sa.Column("job_ids", JSONType, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            " OR ".join(f"status = '{status}'" for status in STATUSES),
            name=op.f("ck_simulation_runs_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_simulation_runs_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_simulation_runs_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulation_runs")),
    )
    op.create_index(
        op.f("ix_simulation_runs_company_group_id"), "simulation_runs", ["company_group_id"], unique=False
    )
    op.create_index(
        "ix_simulation_runs_company_group_id_id", "simulation_runs", ["company_group_id", "id"], unique=False
    )
    op.create_table(
        "simulation_chunks",
        sa.Column("simulation_id", BigIntId, nullable=False),
        sa.Column("chunk", sa.Integer(), nullable=False),
        sa.Column("outputs", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["simulation_id"],
            ["simulation_runs.id"],
            name=op.f("fk_simulation_chunks_simulation_id_simulation_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("simulation_id", "chunk", name=op.f("pk_simulation_chunks")),
    )


def downgrade() -> None:
    op.drop_table("simulation_chunks")
    op.drop_index("ix_simulation_runs_company_group_id_id", table_name="simulation_runs")
    op.drop_index(op.f("ix_simulation_runs_company_group_id"), table_name="simulation_runs")
    op.drop_table("simulation_runs")
