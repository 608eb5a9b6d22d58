"""refresh tokens: token families with rotation and reuse detection, and the access-token denylist

Revision ID: 0003_refresh_tokens
Revises: 0002_funnel_counts
Create Date: 2026-11-22 04:30:00

Refresh tokens are opaque and stored only as their SHA-256 hex digest. Each sign-in starts a family; a token
used twice revokes its whole family. ``revoked_access_tokens`` holds the ``jti`` of signed-out access tokens
until they expire.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hireflow.infra.db.base import BigIntId, UtcDateTime, utc_now_default

revision: str = "0003_refresh_tokens"
down_revision: str | None = "0002_funnel_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refresh_token_families",
        sa.Column("user_id", BigIntId, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=True),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_reason", sa.String(length=30), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_refresh_token_families_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_refresh_token_families_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_token_families")),
    )
    op.create_index(
        op.f("ix_refresh_token_families_company_group_id"), "refresh_token_families", ["company_group_id"]
    )
    op.create_index(op.f("ix_refresh_token_families_user_id"), "refresh_token_families", ["user_id"])
    op.create_table(
        "refresh_tokens",
        sa.Column("family_id", BigIntId, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime(), nullable=True),
        sa.Column("replaced_by_id", BigIntId, nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["refresh_token_families.id"],
            name=op.f("fk_refresh_tokens_family_id_refresh_token_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_tokens_token_hash")),
    )
    op.create_index(op.f("ix_refresh_tokens_family_id"), "refresh_tokens", ["family_id"])
    op.create_table(
        "revoked_access_tokens",
        sa.Column("jti", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_revoked_access_tokens")),
    )
    op.create_index(op.f("ix_revoked_access_tokens_expires_at"), "revoked_access_tokens", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_revoked_access_tokens_expires_at"), table_name="revoked_access_tokens")
    op.drop_table("revoked_access_tokens")
    op.drop_index(op.f("ix_refresh_tokens_family_id"), table_name="refresh_tokens")
    op.drop_table("refresh_tokens")
    op.drop_index(op.f("ix_refresh_token_families_user_id"), table_name="refresh_token_families")
    op.drop_index(op.f("ix_refresh_token_families_company_group_id"), table_name="refresh_token_families")
    op.drop_table("refresh_token_families")
