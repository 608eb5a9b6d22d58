"""Matching: embeddings of candidates and job openings with their sets (model, dimensions, revision), match runs
and matches

Revision ID: 0008_matching
Revises: 0007_crm_sync
Create Date: 2026-12-01 05:00:00

Vectors are float32 blobs on every database: the table is the source of truth, and the nearest-neighbour indexes
(pgvector's HNSW on PostgreSQL where the extension exists, a usearch file beside the database otherwise) are
derived from it and catch up by revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hireflow.infra.db.base import BigIntId, JSONType, UtcDateTime, utc_now_default

revision: str = "0008_matching"
down_revision: str | None = "0007_crm_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTITY_CHECK = "entity = 'candidate' OR entity = 'job'"


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["company_group_id"],
        ["company_groups.id"],
        name=op.f(f"fk_{table}_company_group_id_company_groups"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "embedding_sets",
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("dimensions", sa.Integer(), nullable=False),
        sa.Column("generation", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(ENTITY_CHECK, name=op.f("ck_embedding_sets_entity_valid")),
        _tenant_fk("embedding_sets"),
        sa.PrimaryKeyConstraint("company_group_id", "entity", name=op.f("pk_embedding_sets")),
    )
    op.create_table(
        "embeddings",
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("record_id", BigIntId, autoincrement=False, nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=True),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(ENTITY_CHECK, name=op.f("ck_embeddings_entity_valid")),
        _tenant_fk("embeddings"),
        sa.PrimaryKeyConstraint("company_group_id", "entity", "record_id", name=op.f("pk_embeddings")),
    )
    op.create_index(
        op.f("ix_embeddings_company_group_id_entity_revision"),
        "embeddings",
        ["company_group_id", "entity", "revision"],
    )
    op.create_table(
        "match_runs",
        sa.Column("direction", sa.String(length=30), nullable=False),
        sa.Column("subject_ids", JSONType, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("top_k", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("weights", JSONType, server_default=sa.text("'{}'"), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("matches", sa.Integer(), server_default="0", nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.CheckConstraint(
            "direction = 'candidates_for_job' OR direction = 'jobs_for_candidate'",
            name=op.f("ck_match_runs_direction_valid"),
        ),
        _tenant_fk("match_runs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_runs")),
    )
    op.create_index(op.f("ix_match_runs_company_group_id"), "match_runs", ["company_group_id"])
    op.create_table(
        "matches",
        sa.Column("run_id", BigIntId, nullable=False),
        sa.Column("job_id", BigIntId, nullable=False),
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("components", JSONType, nullable=False),
        sa.Column("explanation", JSONType, nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_matches_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        _tenant_fk("matches"),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_matches_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["match_runs.id"], name=op.f("fk_matches_run_id_match_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
    )
    op.create_index(op.f("ix_matches_company_group_id"), "matches", ["company_group_id"])
    op.create_index(
        op.f("ix_matches_company_group_id_candidate_id_run_id"),
        "matches",
        ["company_group_id", "candidate_id", "run_id"],
    )
    op.create_index(
        op.f("ix_matches_company_group_id_job_id_run_id"), "matches", ["company_group_id", "job_id", "run_id"]
    )
    op.create_index(op.f("ix_matches_run_id_job_id_rank"), "matches", ["run_id", "job_id", "rank"])


def downgrade() -> None:
    op.drop_table("matches")
    op.drop_table("match_runs")
    op.drop_table("embeddings")
    op.drop_table("embedding_sets")
