"""External-id links name their candidate and company group in one foreign key

Revision ID: 0009_tenant_bound_links
Revises: 0008_matching
Create Date: 2026-12-02 05:00:00

``candidate_external_ids`` had two foreign keys, ``candidate_id`` onto candidates and ``company_group_id`` onto
company groups, which let a link of one company group point at another's candidate. Now the pair
``(candidate_id, company_group_id)`` references the candidate's own ``(id, company_group_id)`` (unique, as ``id``
is), so the link and its candidate always share a tenant, and inserting a link costs one check instead of two.
The link's own ``company_group_id`` index goes: the ``(company_group_id, source, external_id)`` key leads with it.

An existing link whose company group differs from its candidate's makes the upgrade fail (and change nothing);
there is no such link unless something wrote one around the repositories.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009_tenant_bound_links"
down_revision: str | None = "0008_matching"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LINKS = "candidate_external_ids"
CANDIDATE_FK = "fk_candidate_external_ids_candidate_id_candidates"
TENANT_FK = "fk_candidate_external_ids_company_group_id_company_groups"
TENANT_INDEX = "ix_candidate_external_ids_company_group_id"
CANDIDATE_TENANT_KEY = "ix_candidates_id_company_group_id"


def upgrade() -> None:
    # A unique index, not a constraint: SQLite adds it without rebuilding candidates (which would drop the
    # funnel-count triggers), and both databases accept it as a foreign key's target.
    op.create_index(CANDIDATE_TENANT_KEY, "candidates", ["id", "company_group_id"], unique=True)
    with op.batch_alter_table(LINKS) as batch:
        batch.drop_constraint(CANDIDATE_FK, type_="foreignkey")
        batch.drop_constraint(TENANT_FK, type_="foreignkey")
        batch.drop_index(TENANT_INDEX)
        batch.create_foreign_key(
            CANDIDATE_FK,
            "candidates",
            ["candidate_id", "company_group_id"],
            ["id", "company_group_id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table(LINKS) as batch:
        batch.drop_constraint(CANDIDATE_FK, type_="foreignkey")
        batch.create_index(TENANT_INDEX, ["company_group_id"], unique=False)
        batch.create_foreign_key(
            TENANT_FK, "company_groups", ["company_group_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_foreign_key(CANDIDATE_FK, "candidates", ["candidate_id"], ["id"], ondelete="CASCADE")
    op.drop_index(CANDIDATE_TENANT_KEY, table_name="candidates")
