"""CRM sync: client companies, job openings, applications and placements; sync cursors, runs and dead letters;
candidates gain the profile fields CRMs carry, and their external ids a content hash

Revision ID: 0007_crm_sync
Revises: 0006_simulation_runs
Create Date: 2026-12-01 02:00:00

Every synced table has ``(company_group_id, source, external_id)`` unique (NULL external ids, for records made
in Hireflow, never collide) and ``content_hash``, so a sync can skip records whose content did not change.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hireflow.infra.db.base import BigIntId, JSONType, UtcDateTime, utc_now_default

revision: str = "0007_crm_sync"
down_revision: str | None = "0006_simulation_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "client_companies",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("status", sa.String(length=50), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("source", sa.String(length=50), server_default=sa.text("'hireflow'"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("source_modified_at", UtcDateTime(), nullable=True),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_client_companies_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_companies")),
        sa.UniqueConstraint(
            "company_group_id",
            "source",
            "external_id",
            name=op.f("uq_client_companies_company_group_id_source_external_id"),
        ),
    )
    op.create_index(
        op.f("ix_client_companies_company_group_id"), "client_companies", ["company_group_id"], unique=False
    )
    op.create_table(
        "sync_cursors",
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("modified_at", UtcDateTime(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "entity = 'client_companies' OR entity = 'jobs' OR entity = 'candidates' OR entity = 'applications' OR entity = 'placements'",
            name=op.f("ck_sync_cursors_entity_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_sync_cursors_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_group_id", "source", "entity", name=op.f("pk_sync_cursors")),
    )
    op.create_table(
        "sync_runs",
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("entities", JSONType, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("full", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default=sa.text("'running'"), nullable=False),
        sa.Column("fetched", sa.Integer(), server_default="0", nullable=False),
        sa.Column("inserted", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated", sa.Integer(), server_default="0", nullable=False),
        sa.Column("unchanged", sa.Integer(), server_default="0", nullable=False),
        sa.Column("deleted", sa.Integer(), server_default="0", nullable=False),
        sa.Column("invalid", sa.Integer(), server_default="0", nullable=False),
        sa.Column("entity_counts", JSONType, server_default=sa.text("'{}'"), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.CheckConstraint(
            "status = 'running' OR status = 'succeeded' OR status = 'partial' OR status = 'failed'",
            name=op.f("ck_sync_runs_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_sync_runs_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    op.create_index(op.f("ix_sync_runs_company_group_id"), "sync_runs", ["company_group_id"], unique=False)
    op.create_index(
        op.f("ix_sync_runs_company_group_id_source_id"),
        "sync_runs",
        ["company_group_id", "source", "id"],
        unique=False,
    )
    op.create_table(
        "dead_letters",
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("payload", JSONType, nullable=False),
        sa.Column("modified_at", UtcDateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("errors", JSONType, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="1", nullable=False),
        sa.Column("first_seen_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("last_seen_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("resolved_at", UtcDateTime(), nullable=True),
        sa.Column("last_run_id", BigIntId, nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.CheckConstraint(
            "entity = 'client_companies' OR entity = 'jobs' OR entity = 'candidates' OR entity = 'applications' OR entity = 'placements'",
            name=op.f("ck_dead_letters_entity_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_dead_letters_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["last_run_id"],
            ["sync_runs.id"],
            name=op.f("fk_dead_letters_last_run_id_sync_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
        sa.UniqueConstraint(
            "company_group_id",
            "source",
            "entity",
            "external_id",
            name=op.f("uq_dead_letters_company_group_id_source_entity_external_id"),
        ),
    )
    op.create_index(
        op.f("ix_dead_letters_company_group_id"), "dead_letters", ["company_group_id"], unique=False
    )
    op.create_table(
        "jobs",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("client_company_id", BigIntId, nullable=True),
        sa.Column("role_id", BigIntId, nullable=True),
        sa.Column("location_id", BigIntId, nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("salary_min_minor", sa.Integer(), nullable=True),
        sa.Column("salary_max_minor", sa.Integer(), nullable=True),
        sa.Column("salary_currency", sa.String(length=3), server_default=sa.text("'USD'"), nullable=False),
        sa.Column("salary_unit", sa.String(length=10), nullable=True),
        sa.Column("employment_type", sa.String(length=20), nullable=True),
        sa.Column("skills", JSONType, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("status", sa.String(length=20), server_default=sa.text("'open'"), nullable=False),
        sa.Column("openings", sa.Integer(), server_default="1", nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("source", sa.String(length=50), server_default=sa.text("'hireflow'"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("source_modified_at", UtcDateTime(), nullable=True),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint(
            "employment_type IS NULL OR employment_type = 'permanent' OR employment_type = 'contract' OR employment_type = 'contract_to_hire' OR employment_type = 'temporary' OR employment_type = 'part_time'",
            name=op.f("ck_jobs_employment_type_valid"),
        ),
        sa.CheckConstraint(
            "salary_unit IS NULL OR salary_unit = 'hour' OR salary_unit = 'day' OR salary_unit = 'week' OR salary_unit = 'month' OR salary_unit = 'year'",
            name=op.f("ck_jobs_salary_unit_valid"),
        ),
        sa.CheckConstraint(
            "status = 'open' OR status = 'on_hold' OR status = 'filled' OR status = 'closed' OR status = 'cancelled'",
            name=op.f("ck_jobs_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["client_company_id"],
            ["client_companies.id"],
            name=op.f("fk_jobs_client_company_id_client_companies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_jobs_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_jobs_location_id_locations"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_jobs_role_id_roles"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint(
            "company_group_id",
            "source",
            "external_id",
            name=op.f("uq_jobs_company_group_id_source_external_id"),
        ),
    )
    op.create_index(op.f("ix_jobs_client_company_id"), "jobs", ["client_company_id"], unique=False)
    op.create_index(op.f("ix_jobs_company_group_id"), "jobs", ["company_group_id"], unique=False)
    op.create_index(
        op.f("ix_jobs_company_group_id_status"), "jobs", ["company_group_id", "status"], unique=False
    )
    op.create_table(
        "applications",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("job_id", BigIntId, nullable=False),
        sa.Column("status", sa.String(length=20), server_default=sa.text("'submitted'"), nullable=False),
        sa.Column("applied_at", UtcDateTime(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("source", sa.String(length=50), server_default=sa.text("'hireflow'"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("source_modified_at", UtcDateTime(), nullable=True),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint(
            "status = 'submitted' OR status = 'screening' OR status = 'interviewing' OR status = 'offered' OR status = 'placed' OR status = 'rejected' OR status = 'withdrawn'",
            name=op.f("ck_applications_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_applications_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_applications_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_applications_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint(
            "company_group_id",
            "source",
            "external_id",
            name=op.f("uq_applications_company_group_id_source_external_id"),
        ),
    )
    op.create_index(
        op.f("ix_applications_company_group_id"), "applications", ["company_group_id"], unique=False
    )
    op.create_index(
        op.f("ix_applications_company_group_id_candidate_id"),
        "applications",
        ["company_group_id", "candidate_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_applications_company_group_id_job_id"),
        "applications",
        ["company_group_id", "job_id"],
        unique=False,
    )
    op.create_table(
        "placements",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("job_id", BigIntId, nullable=False),
        sa.Column("application_id", BigIntId, nullable=True),
        sa.Column("status", sa.String(length=20), server_default=sa.text("'active'"), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("salary_minor", sa.Integer(), nullable=True),
        sa.Column("salary_unit", sa.String(length=10), nullable=True),
        sa.Column("salary_currency", sa.String(length=3), server_default=sa.text("'USD'"), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("source", sa.String(length=50), server_default=sa.text("'hireflow'"), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("source_modified_at", UtcDateTime(), nullable=True),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint(
            "salary_unit IS NULL OR salary_unit = 'hour' OR salary_unit = 'day' OR salary_unit = 'week' OR salary_unit = 'month' OR salary_unit = 'year'",
            name=op.f("ck_placements_salary_unit_valid"),
        ),
        sa.CheckConstraint(
            "status = 'pending' OR status = 'active' OR status = 'completed' OR status = 'terminated'",
            name=op.f("ck_placements_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_placements_application_id_applications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_placements_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_placements_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_placements_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
        sa.UniqueConstraint(
            "company_group_id",
            "source",
            "external_id",
            name=op.f("uq_placements_company_group_id_source_external_id"),
        ),
    )
    op.create_index(op.f("ix_placements_company_group_id"), "placements", ["company_group_id"], unique=False)
    op.create_index(
        op.f("ix_placements_company_group_id_candidate_id"),
        "placements",
        ["company_group_id", "candidate_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_placements_company_group_id_job_id"),
        "placements",
        ["company_group_id", "job_id"],
        unique=False,
    )
    op.add_column("candidate_external_ids", sa.Column("content_hash", sa.String(length=64), nullable=True))
    op.add_column("candidate_external_ids", sa.Column("source_modified_at", UtcDateTime(), nullable=True))
    op.add_column("candidates", sa.Column("region", sa.String(length=100), nullable=True))
    op.add_column("candidates", sa.Column("country", sa.String(length=2), nullable=True))
    op.add_column("candidates", sa.Column("postal_code", sa.String(length=20), nullable=True))
    op.add_column("candidates", sa.Column("headline", sa.String(length=200), nullable=True))
    op.add_column("candidates", sa.Column("skills", JSONType, server_default=sa.text("'[]'"), nullable=False))
    op.add_column("candidates", sa.Column("summary", sa.Text(), nullable=True))
    op.add_column("candidates", sa.Column("available_from", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("candidates", "available_from")
    op.drop_column("candidates", "summary")
    op.drop_column("candidates", "skills")
    op.drop_column("candidates", "headline")
    op.drop_column("candidates", "postal_code")
    op.drop_column("candidates", "country")
    op.drop_column("candidates", "region")
    op.drop_column("candidate_external_ids", "source_modified_at")
    op.drop_column("candidate_external_ids", "content_hash")
    op.drop_index(op.f("ix_placements_company_group_id_job_id"), table_name="placements")
    op.drop_index(op.f("ix_placements_company_group_id_candidate_id"), table_name="placements")
    op.drop_index(op.f("ix_placements_company_group_id"), table_name="placements")
    op.drop_table("placements")
    op.drop_index(op.f("ix_applications_company_group_id_job_id"), table_name="applications")
    op.drop_index(op.f("ix_applications_company_group_id_candidate_id"), table_name="applications")
    op.drop_index(op.f("ix_applications_company_group_id"), table_name="applications")
    op.drop_table("applications")
    op.drop_index(op.f("ix_jobs_company_group_id_status"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_company_group_id"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_client_company_id"), table_name="jobs")
    op.drop_table("jobs")
    op.drop_index(op.f("ix_dead_letters_company_group_id"), table_name="dead_letters")
    op.drop_table("dead_letters")
    op.drop_index(op.f("ix_sync_runs_company_group_id_source_id"), table_name="sync_runs")
    op.drop_index(op.f("ix_sync_runs_company_group_id"), table_name="sync_runs")
    op.drop_table("sync_runs")
    op.drop_table("sync_cursors")
    op.drop_index(op.f("ix_client_companies_company_group_id"), table_name="client_companies")
    op.drop_table("client_companies")
