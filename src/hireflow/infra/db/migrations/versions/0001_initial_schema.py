"""initial schema: organisation, identity, candidates, funnel, screening, messaging, analytics

Revision ID: 0001_initial
Revises: (none)
Create Date: 2026-11-22 02:57:56.628009
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hireflow.infra.db.base import (
    EMPTY_JSON_ARRAY,
    EMPTY_JSON_OBJECT,
    BigIntId,
    JSONType,
    UtcDateTime,
    utc_now_default,
)

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_groups",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("default_phone_region", sa.String(length=2), server_default="US", nullable=False),
        sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_company_groups_name_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_groups")),
        sa.UniqueConstraint("slug", name=op.f("uq_company_groups_slug")),
    )
    op.create_table(
        "users",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=500), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("is_superadmin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_login_at", UtcDateTime(), nullable=True),
        sa.Column("failed_login_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", UtcDateTime(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "business_units",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_business_units_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_business_units_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_units")),
        sa.UniqueConstraint("company_group_id", "name", name=op.f("uq_business_units_company_group_id_name")),
    )
    with op.batch_alter_table("business_units", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_business_units_company_group_id"), ["company_group_id"], unique=False
        )

    op.create_table(
        "dashboard_configurations",
        sa.Column("user_id", BigIntId, nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("layout", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("filters", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_dashboard_configurations_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_dashboard_configurations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_configurations")),
        sa.UniqueConstraint(
            "company_group_id",
            "user_id",
            "name",
            name=op.f("uq_dashboard_configurations_company_group_id_user_id_name"),
        ),
    )
    with op.batch_alter_table("dashboard_configurations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dashboard_configurations_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dashboard_configurations_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_dashboard_configurations_company_group_id_name_company_wide",
            ["company_group_id", "name"],
            unique=True,
            sqlite_where=sa.text("user_id IS NULL"),
            postgresql_where=sa.text("user_id IS NULL"),
        )

    op.create_table(
        "memberships",
        sa.Column("user_id", BigIntId, nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "role = 'admin' OR role = 'recruiter' OR role = 'hiring_manager' OR role = 'viewer'",
            name=op.f("ck_memberships_role_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_memberships_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint(
            "user_id", "company_group_id", name=op.f("uq_memberships_user_id_company_group_id")
        ),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_memberships_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_memberships_user_id"), ["user_id"], unique=False)

    op.create_table(
        "message_templates",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=5), server_default="en", nullable=False),
        sa.Column("category", sa.String(length=20), server_default="utility", nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("variables", JSONType, server_default=EMPTY_JSON_ARRAY, nullable=False),
        sa.Column("provider_template_id", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=10), server_default="draft", nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "category = 'utility' OR category = 'marketing' OR category = 'authentication'",
            name=op.f("ck_message_templates_category_valid"),
        ),
        sa.CheckConstraint(
            "channel = 'whatsapp' OR channel = 'sms' OR channel = 'email' OR channel = 'phone'",
            name=op.f("ck_message_templates_channel_valid"),
        ),
        sa.CheckConstraint(
            "status = 'draft' OR status = 'pending' OR status = 'approved' OR status = 'rejected'",
            name=op.f("ck_message_templates_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_message_templates_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_templates")),
        sa.UniqueConstraint(
            "company_group_id",
            "name",
            "channel",
            "language",
            name=op.f("uq_message_templates_company_group_id_name_channel_language"),
        ),
    )
    with op.batch_alter_table("message_templates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_templates_company_group_id"), ["company_group_id"], unique=False
        )

    op.create_table(
        "product_usage",
        sa.Column("user_id", BigIntId, nullable=True),
        sa.Column("event_name", sa.String(length=100), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("properties", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_product_usage_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_product_usage_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_usage")),
    )
    with op.batch_alter_table("product_usage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_usage_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_usage_company_group_id_event_name_occurred_at"),
            ["company_group_id", "event_name", "occurred_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_product_usage_user_id"), ["user_id"], unique=False)

    op.create_table(
        "locations",
        sa.Column("business_unit_id", BigIntId, nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address_line", sa.String(length=300), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("country_code", sa.String(length=2), server_default="US", nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "(latitude IS NULL) = (longitude IS NULL)", name=op.f("ck_locations_coordinates_paired")
        ),
        sa.CheckConstraint(
            "latitude IS NULL OR (latitude >= -90 AND latitude <= 90)",
            name=op.f("ck_locations_latitude_range"),
        ),
        sa.CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)",
            name=op.f("ck_locations_longitude_range"),
        ),
        sa.ForeignKeyConstraint(
            ["business_unit_id"],
            ["business_units.id"],
            name=op.f("fk_locations_business_unit_id_business_units"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_locations_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
        sa.UniqueConstraint("company_group_id", "name", name=op.f("uq_locations_company_group_id_name")),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_locations_business_unit_id"), ["business_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_locations_company_group_id"), ["company_group_id"], unique=False)

    op.create_table(
        "roles",
        sa.Column("business_unit_id", BigIntId, nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("employment_type", sa.String(length=20), server_default="full_time", nullable=False),
        sa.Column("pay_min_minor", sa.Integer(), nullable=True),
        sa.Column("pay_max_minor", sa.Integer(), nullable=True),
        sa.Column("pay_currency", sa.String(length=3), server_default="USD", nullable=False),
        sa.Column("pay_period", sa.String(length=10), server_default="hour", nullable=False),
        sa.Column("eligibility_criteria", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "employment_type = 'full_time' OR employment_type = 'part_time' OR employment_type = 'temporary' OR employment_type = 'contract' OR employment_type = 'seasonal' OR employment_type = 'internship'",
            name=op.f("ck_roles_employment_type_valid"),
        ),
        sa.CheckConstraint(
            "pay_period = 'hour' OR pay_period = 'day' OR pay_period = 'week' OR pay_period = 'month' OR pay_period = 'year'",
            name=op.f("ck_roles_pay_period_valid"),
        ),
        sa.CheckConstraint(
            "pay_min_minor IS NULL OR pay_max_minor IS NULL OR pay_min_minor <= pay_max_minor",
            name=op.f("ck_roles_pay_band_ordered"),
        ),
        sa.CheckConstraint(
            "pay_min_minor IS NULL OR pay_min_minor >= 0", name=op.f("ck_roles_pay_min_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["business_unit_id"],
            ["business_units.id"],
            name=op.f("fk_roles_business_unit_id_business_units"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_roles_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint(
            "company_group_id",
            "business_unit_id",
            "title",
            name=op.f("uq_roles_company_group_id_business_unit_id_title"),
        ),
    )
    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roles_business_unit_id"), ["business_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_roles_company_group_id"), ["company_group_id"], unique=False)
        batch_op.create_index(
            "uq_roles_company_group_id_title_without_unit",
            ["company_group_id", "title"],
            unique=True,
            sqlite_where=sa.text("business_unit_id IS NULL"),
            postgresql_where=sa.text("business_unit_id IS NULL"),
        )

    op.create_table(
        "ad_templates",
        sa.Column("role_id", BigIntId, nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=10), server_default="meta", nullable=False),
        sa.Column("headline", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("call_to_action", sa.String(length=50), nullable=True),
        sa.Column("image_storage_key", sa.String(length=500), nullable=True),
        sa.Column("targeting", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("status", sa.String(length=10), server_default="draft", nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "platform = 'meta' OR platform = 'google' OR platform = 'indeed' OR platform = 'linkedin' OR platform = 'other'",
            name=op.f("ck_ad_templates_platform_valid"),
        ),
        sa.CheckConstraint(
            "status = 'draft' OR status = 'active' OR status = 'paused' OR status = 'archived'",
            name=op.f("ck_ad_templates_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_ad_templates_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_ad_templates_role_id_roles"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ad_templates")),
        sa.UniqueConstraint(
            "company_group_id",
            "platform",
            "name",
            name=op.f("uq_ad_templates_company_group_id_platform_name"),
        ),
    )
    with op.batch_alter_table("ad_templates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ad_templates_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ad_templates_role_id"), ["role_id"], unique=False)

    op.create_table(
        "candidates",
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("phone_e164", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("business_unit_id", BigIntId, nullable=True),
        sa.Column("location_id", BigIntId, nullable=True),
        sa.Column("role_id", BigIntId, nullable=True),
        sa.Column("source", sa.String(length=20), server_default="other", nullable=False),
        sa.Column("source_detail", sa.String(length=200), nullable=True),
        sa.Column("funnel_state", sa.String(length=30), server_default="lead", nullable=False),
        sa.Column("state_changed_at", UtcDateTime(), nullable=True),
        sa.Column("entered_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("education_level", sa.String(length=20), nullable=True),
        sa.Column("experience_months", sa.Integer(), nullable=True),
        sa.Column("languages", JSONType, server_default=EMPTY_JSON_ARRAY, nullable=False),
        sa.Column("shifts_available", JSONType, server_default=EMPTY_JSON_ARRAY, nullable=False),
        sa.Column("has_work_authorization", sa.Boolean(), nullable=True),
        sa.Column("salary_expectation_minor", sa.Integer(), nullable=True),
        sa.Column("consent_to_contact", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("merged_into_id", BigIntId, nullable=True),
        sa.Column("deleted_at", UtcDateTime(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "education_level IS NULL OR education_level = 'none' OR education_level = 'primary' OR education_level = 'secondary' OR education_level = 'vocational' OR education_level = 'associate' OR education_level = 'bachelor' OR education_level = 'master' OR education_level = 'doctorate'",
            name=op.f("ck_candidates_education_level_valid"),
        ),
        sa.CheckConstraint(
            "funnel_state = 'lead' OR funnel_state = 'contacted' OR funnel_state = 'screening' OR funnel_state = 'screened' OR funnel_state = 'eligible' OR funnel_state = 'ineligible' OR funnel_state = 'interview_scheduled' OR funnel_state = 'interviewed' OR funnel_state = 'offered' OR funnel_state = 'hired' OR funnel_state = 'onboarding' OR funnel_state = 'onboarded' OR funnel_state = 'rejected' OR funnel_state = 'withdrawn' OR funnel_state = 'no_show' OR funnel_state = 'expired'",
            name=op.f("ck_candidates_funnel_state_valid"),
        ),
        sa.CheckConstraint("phone_e164 LIKE '+%'", name=op.f("ck_candidates_phone_is_e164")),
        sa.CheckConstraint(
            "source = 'whatsapp' OR source = 'meta_ads' OR source = 'job_board' OR source = 'referral' OR source = 'careers_site' OR source = 'walk_in' OR source = 'crm' OR source = 'agency' OR source = 'other'",
            name=op.f("ck_candidates_source_valid"),
        ),
        sa.CheckConstraint(
            "experience_months IS NULL OR experience_months >= 0",
            name=op.f("ck_candidates_experience_not_negative"),
        ),
        sa.CheckConstraint(
            "latitude IS NULL OR (latitude >= -90 AND latitude <= 90)",
            name=op.f("ck_candidates_latitude_range"),
        ),
        sa.CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)",
            name=op.f("ck_candidates_longitude_range"),
        ),
        sa.CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id", name=op.f("ck_candidates_not_merged_into_self")
        ),
        sa.CheckConstraint(
            "salary_expectation_minor IS NULL OR salary_expectation_minor >= 0",
            name=op.f("ck_candidates_salary_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["business_unit_id"],
            ["business_units.id"],
            name=op.f("fk_candidates_business_unit_id_business_units"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_candidates_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_candidates_location_id_locations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["candidates.id"],
            name=op.f("fk_candidates_merged_into_id_candidates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_candidates_role_id_roles"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
        sa.UniqueConstraint(
            "company_group_id", "phone_e164", name=op.f("uq_candidates_company_group_id_phone_e164")
        ),
    )
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidates_business_unit_id"), ["business_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidates_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidates_company_group_id_email"), ["company_group_id", "email"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidates_company_group_id_entered_at"),
            ["company_group_id", "entered_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_candidates_company_group_id_funnel_state"),
            ["company_group_id", "funnel_state"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_candidates_company_group_id_last_name_first_name"),
            ["company_group_id", "last_name", "first_name"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_candidates_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_candidates_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_candidates_role_id"), ["role_id"], unique=False)

    op.create_table(
        "hiring_objectives",
        sa.Column("role_id", BigIntId, nullable=False),
        sa.Column("location_id", BigIntId, nullable=True),
        sa.Column("business_unit_id", BigIntId, nullable=True),
        sa.Column("objective_amount", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "status = 'open' OR status = 'met' OR status = 'closed' OR status = 'cancelled'",
            name=op.f("ck_hiring_objectives_status_valid"),
        ),
        sa.CheckConstraint(
            "deadline IS NULL OR deadline >= start_date",
            name=op.f("ck_hiring_objectives_deadline_after_start"),
        ),
        sa.CheckConstraint(
            "objective_amount > 0", name=op.f("ck_hiring_objectives_objective_amount_positive")
        ),
        sa.ForeignKeyConstraint(
            ["business_unit_id"],
            ["business_units.id"],
            name=op.f("fk_hiring_objectives_business_unit_id_business_units"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_hiring_objectives_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_hiring_objectives_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_hiring_objectives_role_id_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hiring_objectives")),
    )
    with op.batch_alter_table("hiring_objectives", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hiring_objectives_business_unit_id"), ["business_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hiring_objectives_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hiring_objectives_company_group_id_status"),
            ["company_group_id", "status"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_hiring_objectives_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hiring_objectives_role_id"), ["role_id"], unique=False)

    op.create_table(
        "question_sets",
        sa.Column("role_id", BigIntId, nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("language", sa.String(length=5), server_default="en", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_question_sets_version_positive")),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_question_sets_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_question_sets_role_id_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_sets")),
        sa.UniqueConstraint(
            "company_group_id",
            "role_id",
            "name",
            "language",
            "version",
            name=op.f("uq_question_sets_company_group_id_role_id_name_language_version"),
        ),
    )
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_question_sets_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_question_sets_role_id"), ["role_id"], unique=False)

    op.create_table(
        "candidate_external_ids",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidate_external_ids_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_candidate_external_ids_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_external_ids")),
        sa.UniqueConstraint(
            "company_group_id",
            "source",
            "external_id",
            name=op.f("uq_candidate_external_ids_company_group_id_source_external_id"),
        ),
    )
    with op.batch_alter_table("candidate_external_ids", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_external_ids_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_external_ids_company_group_id"), ["company_group_id"], unique=False
        )

    op.create_table(
        "candidate_funnel_log",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("from_state", sa.String(length=30), nullable=True),
        sa.Column("to_state", sa.String(length=30), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), server_default="system", nullable=False),
        sa.Column("actor_user_id", BigIntId, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("applied", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("details", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "from_state IS NULL OR from_state = 'lead' OR from_state = 'contacted' OR from_state = 'screening' OR from_state = 'screened' OR from_state = 'eligible' OR from_state = 'ineligible' OR from_state = 'interview_scheduled' OR from_state = 'interviewed' OR from_state = 'offered' OR from_state = 'hired' OR from_state = 'onboarding' OR from_state = 'onboarded' OR from_state = 'rejected' OR from_state = 'withdrawn' OR from_state = 'no_show' OR from_state = 'expired'",
            name=op.f("ck_candidate_funnel_log_from_state_valid"),
        ),
        sa.CheckConstraint(
            "to_state = 'lead' OR to_state = 'contacted' OR to_state = 'screening' OR to_state = 'screened' OR to_state = 'eligible' OR to_state = 'ineligible' OR to_state = 'interview_scheduled' OR to_state = 'interviewed' OR to_state = 'offered' OR to_state = 'hired' OR to_state = 'onboarding' OR to_state = 'onboarded' OR to_state = 'rejected' OR to_state = 'withdrawn' OR to_state = 'no_show' OR to_state = 'expired'",
            name=op.f("ck_candidate_funnel_log_to_state_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_candidate_funnel_log_actor_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidate_funnel_log_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_candidate_funnel_log_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_funnel_log")),
    )
    with op.batch_alter_table("candidate_funnel_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_funnel_log_actor_user_id"), ["actor_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_funnel_log_candidate_id_occurred_at"),
            ["candidate_id", "occurred_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_funnel_log_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_funnel_log_company_group_id_to_state_occurred_at"),
            ["company_group_id", "to_state", "occurred_at"],
            unique=False,
        )

    op.create_table(
        "candidate_media",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("storage_key", sa.String(length=500), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("original_filename", sa.String(length=300), nullable=True),
        sa.Column("details", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "kind = 'photo' OR kind = 'resume' OR kind = 'id_document' OR kind = 'certificate' OR kind = 'work_permit' OR kind = 'audio' OR kind = 'video' OR kind = 'other'",
            name=op.f("ck_candidate_media_kind_valid"),
        ),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_candidate_media_size_not_negative")),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidate_media_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_candidate_media_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_media")),
        sa.UniqueConstraint(
            "company_group_id", "storage_key", name=op.f("uq_candidate_media_company_group_id_storage_key")
        ),
    )
    with op.batch_alter_table("candidate_media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_media_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_candidate_media_company_group_id"), ["company_group_id"], unique=False
        )

    op.create_table(
        "candidate_references",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("relationship", sa.String(length=100), nullable=True),
        sa.Column("company_name", sa.String(length=200), nullable=True),
        sa.Column("phone_e164", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="requested", nullable=False),
        sa.Column("requested_at", UtcDateTime(), nullable=True),
        sa.Column("responded_at", UtcDateTime(), nullable=True),
        sa.Column("verified_at", UtcDateTime(), nullable=True),
        sa.Column("verified_by_user_id", BigIntId, nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "status = 'requested' OR status = 'contacted' OR status = 'responded' OR status = 'verified' OR status = 'declined' OR status = 'unreachable'",
            name=op.f("ck_candidate_references_status_valid"),
        ),
        sa.CheckConstraint(
            "phone_e164 IS NOT NULL OR email IS NOT NULL", name=op.f("ck_candidate_references_reachable")
        ),
        sa.CheckConstraint(
            "rating IS NULL OR (rating >= 1 AND rating <= 5)",
            name=op.f("ck_candidate_references_rating_range"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidate_references_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_candidate_references_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_user_id"],
            ["users.id"],
            name=op.f("fk_candidate_references_verified_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_references")),
    )
    with op.batch_alter_table("candidate_references", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_references_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_references_company_group_id"), ["company_group_id"], unique=False
        )

    op.create_table(
        "eligibility_evaluation_log",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("role_id", BigIntId, nullable=False),
        sa.Column("evaluated_at", UtcDateTime(), nullable=False),
        sa.Column("is_eligible", sa.Boolean(), nullable=False),
        sa.Column("results", JSONType, server_default=EMPTY_JSON_ARRAY, nullable=False),
        sa.Column("criteria", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("actor", sa.String(length=100), server_default="system", nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_eligibility_evaluation_log_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_eligibility_evaluation_log_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_eligibility_evaluation_log_role_id_roles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_evaluation_log")),
    )
    with op.batch_alter_table("eligibility_evaluation_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_eligibility_evaluation_log_candidate_id_evaluated_at"),
            ["candidate_id", "evaluated_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_eligibility_evaluation_log_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_eligibility_evaluation_log_role_id"), ["role_id"], unique=False)

    op.create_table(
        "email_logs",
        sa.Column("candidate_id", BigIntId, nullable=True),
        sa.Column("template_id", BigIntId, nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("from_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="queued", nullable=False),
        sa.Column("provider_message_id", sa.String(length=200), nullable=True),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "status = 'queued' OR status = 'sent' OR status = 'failed' OR status = 'bounced'",
            name=op.f("ck_email_logs_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_email_logs_candidate_id_candidates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_email_logs_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["message_templates.id"],
            name=op.f("fk_email_logs_template_id_message_templates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_logs")),
    )
    with op.batch_alter_table("email_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_logs_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_email_logs_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_email_logs_company_group_id_status"), ["company_group_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_email_logs_template_id"), ["template_id"], unique=False)

    op.create_table(
        "onboarding_responses",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("step_key", sa.String(length=100), nullable=False),
        sa.Column("value", JSONType, nullable=True),
        sa.Column("submitted_at", UtcDateTime(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_onboarding_responses_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_onboarding_responses_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_responses")),
        sa.UniqueConstraint(
            "candidate_id", "step_key", name=op.f("uq_onboarding_responses_candidate_id_step_key")
        ),
    )
    with op.batch_alter_table("onboarding_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_onboarding_responses_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_onboarding_responses_company_group_id"), ["company_group_id"], unique=False
        )

    op.create_table(
        "phone_interviews",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("role_id", BigIntId, nullable=True),
        sa.Column("question_set_id", BigIntId, nullable=True),
        sa.Column("status", sa.String(length=20), server_default="scheduled", nullable=False),
        sa.Column("provider", sa.String(length=50), server_default="elevenlabs", nullable=False),
        sa.Column("provider_call_id", sa.String(length=200), nullable=True),
        sa.Column("scheduled_at", UtcDateTime(), nullable=True),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("transcript", sa.Text(), nullable=True),
        sa.Column("recording_url", sa.String(length=1000), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome = 'pass' OR outcome = 'fail' OR outcome = 'review'",
            name=op.f("ck_phone_interviews_outcome_valid"),
        ),
        sa.CheckConstraint(
            "status = 'scheduled' OR status = 'in_progress' OR status = 'completed' OR status = 'no_answer' OR status = 'failed' OR status = 'cancelled'",
            name=op.f("ck_phone_interviews_status_valid"),
        ),
        sa.CheckConstraint(
            "ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at",
            name=op.f("ck_phone_interviews_ends_after_start"),
        ),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 100)", name=op.f("ck_phone_interviews_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_phone_interviews_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_phone_interviews_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_set_id"],
            ["question_sets.id"],
            name=op.f("fk_phone_interviews_question_set_id_question_sets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_phone_interviews_role_id_roles"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_interviews")),
        sa.UniqueConstraint(
            "company_group_id",
            "provider",
            "provider_call_id",
            name=op.f("uq_phone_interviews_company_group_id_provider_provider_call_id"),
        ),
    )
    with op.batch_alter_table("phone_interviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phone_interviews_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_phone_interviews_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_phone_interviews_question_set_id"), ["question_set_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_phone_interviews_role_id"), ["role_id"], unique=False)

    op.create_table(
        "screening_questions",
        sa.Column("question_set_id", BigIntId, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("help_text", sa.Text(), nullable=True),
        sa.Column("options", JSONType, server_default=EMPTY_JSON_ARRAY, nullable=False),
        sa.Column("validation", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("is_required", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "kind = 'yes_no' OR kind = 'single_choice' OR kind = 'multiple_choice' OR kind = 'number' OR kind = 'date' OR kind = 'free_text' OR kind = 'location' OR kind = 'document'",
            name=op.f("ck_screening_questions_kind_valid"),
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_screening_questions_position_not_negative")),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_screening_questions_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_set_id"],
            ["question_sets.id"],
            name=op.f("fk_screening_questions_question_set_id_question_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_questions")),
        sa.UniqueConstraint(
            "question_set_id", "key", name=op.f("uq_screening_questions_question_set_id_key")
        ),
        sa.UniqueConstraint(
            "question_set_id", "position", name=op.f("uq_screening_questions_question_set_id_position")
        ),
    )
    with op.batch_alter_table("screening_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screening_questions_company_group_id"), ["company_group_id"], unique=False
        )

    op.create_table(
        "phone_interview_questions",
        sa.Column("phone_interview_id", BigIntId, nullable=False),
        sa.Column("screening_question_id", BigIntId, nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_text", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint("position >= 0", name=op.f("ck_phone_interview_questions_position_not_negative")),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 100)",
            name=op.f("ck_phone_interview_questions_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_phone_interview_questions_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["phone_interview_id"],
            ["phone_interviews.id"],
            name=op.f("fk_phone_interview_questions_phone_interview_id_phone_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["screening_question_id"],
            ["screening_questions.id"],
            name=op.f("fk_phone_interview_questions_screening_question_id_screening_questions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_interview_questions")),
        sa.UniqueConstraint(
            "phone_interview_id",
            "position",
            name=op.f("uq_phone_interview_questions_phone_interview_id_position"),
        ),
    )
    with op.batch_alter_table("phone_interview_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_phone_interview_questions_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_phone_interview_questions_screening_question_id"),
            ["screening_question_id"],
            unique=False,
        )

    op.create_table(
        "reference_messages",
        sa.Column("reference_id", BigIntId, nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=False),
        sa.Column("external_message_id", sa.String(length=200), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "channel = 'whatsapp' OR channel = 'sms' OR channel = 'email' OR channel = 'phone'",
            name=op.f("ck_reference_messages_channel_valid"),
        ),
        sa.CheckConstraint(
            "direction = 'outbound' OR direction = 'inbound'",
            name=op.f("ck_reference_messages_direction_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_reference_messages_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reference_id"],
            ["candidate_references.id"],
            name=op.f("fk_reference_messages_reference_id_candidate_references"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_messages")),
    )
    with op.batch_alter_table("reference_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reference_messages_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reference_messages_external_message_id"), ["external_message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reference_messages_reference_id"), ["reference_id"], unique=False
        )

    op.create_table(
        "response_timing",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("question_id", BigIntId, nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("response_ms", BigIntId, nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "answered_at IS NULL OR answered_at >= sent_at",
            name=op.f("ck_response_timing_answered_after_sent"),
        ),
        sa.CheckConstraint(
            "response_ms IS NULL OR response_ms >= 0",
            name=op.f("ck_response_timing_response_ms_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_response_timing_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_response_timing_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["screening_questions.id"],
            name=op.f("fk_response_timing_question_id_screening_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_timing")),
        sa.UniqueConstraint(
            "candidate_id", "question_id", name=op.f("uq_response_timing_candidate_id_question_id")
        ),
    )
    with op.batch_alter_table("response_timing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_response_timing_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_response_timing_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_response_timing_question_id"), ["question_id"], unique=False)

    op.create_table(
        "screening_answers",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("question_id", BigIntId, nullable=False),
        sa.Column("value", JSONType, nullable=True),
        sa.Column("raw_text", sa.Text(), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_screening_answers_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_screening_answers_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["screening_questions.id"],
            name=op.f("fk_screening_answers_question_id_screening_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_answers")),
        sa.UniqueConstraint(
            "candidate_id", "question_id", name=op.f("uq_screening_answers_candidate_id_question_id")
        ),
    )
    with op.batch_alter_table("screening_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_answers_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_screening_answers_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_screening_answers_question_id"), ["question_id"], unique=False)

    op.create_table(
        "screening_messages",
        sa.Column("candidate_id", BigIntId, nullable=False),
        sa.Column("template_id", BigIntId, nullable=True),
        sa.Column("question_id", BigIntId, nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("external_message_id", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=10), server_default="queued", nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.Column("read_at", UtcDateTime(), nullable=True),
        sa.Column("error_code", sa.String(length=50), nullable=True),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "channel = 'whatsapp' OR channel = 'sms' OR channel = 'email' OR channel = 'phone'",
            name=op.f("ck_screening_messages_channel_valid"),
        ),
        sa.CheckConstraint(
            "direction = 'outbound' OR direction = 'inbound'",
            name=op.f("ck_screening_messages_direction_valid"),
        ),
        sa.CheckConstraint(
            "status = 'queued' OR status = 'sent' OR status = 'delivered' OR status = 'read' OR status = 'failed' OR status = 'received'",
            name=op.f("ck_screening_messages_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_screening_messages_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_screening_messages_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["screening_questions.id"],
            name=op.f("fk_screening_messages_question_id_screening_questions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["message_templates.id"],
            name=op.f("fk_screening_messages_template_id_message_templates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_messages")),
        sa.UniqueConstraint(
            "company_group_id",
            "channel",
            "external_message_id",
            name="uq_screening_messages_external_message",
        ),
    )
    with op.batch_alter_table("screening_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screening_messages_candidate_id_sent_at"),
            ["candidate_id", "sent_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_screening_messages_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_screening_messages_question_id"), ["question_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_screening_messages_template_id"), ["template_id"], unique=False)

    op.create_table(
        "whatsapp_status_updates",
        sa.Column("screening_message_id", BigIntId, nullable=True),
        sa.Column("external_message_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("error_code", sa.String(length=50), nullable=True),
        sa.Column("error_title", sa.String(length=500), nullable=True),
        sa.Column("raw_payload", JSONType, server_default=EMPTY_JSON_OBJECT, nullable=False),
        sa.Column("id", BigIntId, autoincrement=True, nullable=False),
        sa.Column("company_group_id", BigIntId, nullable=False),
        sa.Column("created_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), server_default=utc_now_default(), nullable=False),
        sa.CheckConstraint(
            "status = 'queued' OR status = 'sent' OR status = 'delivered' OR status = 'read' OR status = 'failed' OR status = 'received'",
            name=op.f("ck_whatsapp_status_updates_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["company_group_id"],
            ["company_groups.id"],
            name=op.f("fk_whatsapp_status_updates_company_group_id_company_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["screening_message_id"],
            ["screening_messages.id"],
            name=op.f("fk_whatsapp_status_updates_screening_message_id_screening_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_status_updates")),
    )
    with op.batch_alter_table("whatsapp_status_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_whatsapp_status_updates_company_group_id"), ["company_group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_whatsapp_status_updates_external_message_id_occurred_at"),
            ["external_message_id", "occurred_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_whatsapp_status_updates_screening_message_id"),
            ["screening_message_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("whatsapp_status_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_whatsapp_status_updates_screening_message_id"))
        batch_op.drop_index(batch_op.f("ix_whatsapp_status_updates_external_message_id_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_whatsapp_status_updates_company_group_id"))

    op.drop_table("whatsapp_status_updates")
    with op.batch_alter_table("screening_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_messages_template_id"))
        batch_op.drop_index(batch_op.f("ix_screening_messages_question_id"))
        batch_op.drop_index(batch_op.f("ix_screening_messages_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_screening_messages_candidate_id_sent_at"))

    op.drop_table("screening_messages")
    with op.batch_alter_table("screening_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_answers_question_id"))
        batch_op.drop_index(batch_op.f("ix_screening_answers_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_screening_answers_candidate_id"))

    op.drop_table("screening_answers")
    with op.batch_alter_table("response_timing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_timing_question_id"))
        batch_op.drop_index(batch_op.f("ix_response_timing_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_response_timing_candidate_id"))

    op.drop_table("response_timing")
    with op.batch_alter_table("reference_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reference_messages_reference_id"))
        batch_op.drop_index(batch_op.f("ix_reference_messages_external_message_id"))
        batch_op.drop_index(batch_op.f("ix_reference_messages_company_group_id"))

    op.drop_table("reference_messages")
    with op.batch_alter_table("phone_interview_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_interview_questions_screening_question_id"))
        batch_op.drop_index(batch_op.f("ix_phone_interview_questions_company_group_id"))

    op.drop_table("phone_interview_questions")
    with op.batch_alter_table("screening_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_questions_company_group_id"))

    op.drop_table("screening_questions")
    with op.batch_alter_table("phone_interviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_interviews_role_id"))
        batch_op.drop_index(batch_op.f("ix_phone_interviews_question_set_id"))
        batch_op.drop_index(batch_op.f("ix_phone_interviews_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_phone_interviews_candidate_id"))

    op.drop_table("phone_interviews")
    with op.batch_alter_table("onboarding_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onboarding_responses_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_onboarding_responses_candidate_id"))

    op.drop_table("onboarding_responses")
    with op.batch_alter_table("email_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_logs_template_id"))
        batch_op.drop_index(batch_op.f("ix_email_logs_company_group_id_status"))
        batch_op.drop_index(batch_op.f("ix_email_logs_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_email_logs_candidate_id"))

    op.drop_table("email_logs")
    with op.batch_alter_table("eligibility_evaluation_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_eligibility_evaluation_log_role_id"))
        batch_op.drop_index(batch_op.f("ix_eligibility_evaluation_log_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_eligibility_evaluation_log_candidate_id_evaluated_at"))

    op.drop_table("eligibility_evaluation_log")
    with op.batch_alter_table("candidate_references", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_references_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_candidate_references_candidate_id"))

    op.drop_table("candidate_references")
    with op.batch_alter_table("candidate_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_media_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_candidate_media_candidate_id"))

    op.drop_table("candidate_media")
    with op.batch_alter_table("candidate_funnel_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_funnel_log_company_group_id_to_state_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_candidate_funnel_log_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_candidate_funnel_log_candidate_id_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_candidate_funnel_log_actor_user_id"))

    op.drop_table("candidate_funnel_log")
    with op.batch_alter_table("candidate_external_ids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_external_ids_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_candidate_external_ids_candidate_id"))

    op.drop_table("candidate_external_ids")
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_sets_role_id"))
        batch_op.drop_index(batch_op.f("ix_question_sets_company_group_id"))

    op.drop_table("question_sets")
    with op.batch_alter_table("hiring_objectives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hiring_objectives_role_id"))
        batch_op.drop_index(batch_op.f("ix_hiring_objectives_location_id"))
        batch_op.drop_index(batch_op.f("ix_hiring_objectives_company_group_id_status"))
        batch_op.drop_index(batch_op.f("ix_hiring_objectives_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_hiring_objectives_business_unit_id"))

    op.drop_table("hiring_objectives")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidates_role_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_merged_into_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_location_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_company_group_id_last_name_first_name"))
        batch_op.drop_index(batch_op.f("ix_candidates_company_group_id_funnel_state"))
        batch_op.drop_index(batch_op.f("ix_candidates_company_group_id_entered_at"))
        batch_op.drop_index(batch_op.f("ix_candidates_company_group_id_email"))
        batch_op.drop_index(batch_op.f("ix_candidates_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_business_unit_id"))

    op.drop_table("candidates")
    with op.batch_alter_table("ad_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ad_templates_role_id"))
        batch_op.drop_index(batch_op.f("ix_ad_templates_company_group_id"))

    op.drop_table("ad_templates")
    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_roles_company_group_id_title_without_unit",
            sqlite_where=sa.text("business_unit_id IS NULL"),
            postgresql_where=sa.text("business_unit_id IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_roles_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_roles_business_unit_id"))

    op.drop_table("roles")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locations_company_group_id"))
        batch_op.drop_index(batch_op.f("ix_locations_business_unit_id"))

    op.drop_table("locations")
    with op.batch_alter_table("product_usage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_usage_user_id"))
        batch_op.drop_index(batch_op.f("ix_product_usage_company_group_id_event_name_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_product_usage_company_group_id"))

    op.drop_table("product_usage")
    with op.batch_alter_table("message_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_templates_company_group_id"))

    op.drop_table("message_templates")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_user_id"))
        batch_op.drop_index(batch_op.f("ix_memberships_company_group_id"))

    op.drop_table("memberships")
    with op.batch_alter_table("dashboard_configurations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_dashboard_configurations_company_group_id_name_company_wide",
            sqlite_where=sa.text("user_id IS NULL"),
            postgresql_where=sa.text("user_id IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_dashboard_configurations_user_id"))
        batch_op.drop_index(batch_op.f("ix_dashboard_configurations_company_group_id"))

    op.drop_table("dashboard_configurations")
    with op.batch_alter_table("business_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_business_units_company_group_id"))

    op.drop_table("business_units")
    op.drop_table("users")
    op.drop_table("company_groups")
