"""audit log: one row per write through the API

Revision ID: 0004_audit_log
Revises: 0003_refresh_tokens
Create Date: 2026-11-30 23:20:00

Who (actor_user_id), what (method, route template, resource), which tenant, when, and the ids before (the
path's) and after (the response's). No foreign keys: the trail outlives what it mentions.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hireflow.infra.db.base import BigIntId, UtcDateTime, utc_now_default

revision: str = "0004_audit_log"
down_revision: str | None = "0003_refresh_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("occurred_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=True),
        sa.Column("actor_user_id", BigIntId, nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("route", sa.String(length=200), nullable=False),
        sa.Column("resource", sa.String(length=60), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("result_id", sa.String(length=64), nullable=True),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_company_group_id_id", "audit_log", ["company_group_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_company_group_id_id", table_name="audit_log")
    op.drop_table("audit_log")
