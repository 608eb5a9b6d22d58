"""Candidates' e-mail addresses are stored lower-cased, those the CRM sync wrote included

Revision ID: 0010_lower_case_candidate_emails
Revises: 0009_tenant_bound_links
Create Date: 2026-12-02 09:00:00

Hireflow stores e-mails lower-cased so that look-ups compare them exactly, on their index. The CRM sync wrote
what the CRM had (``Ana.Lima@example.com``), so later CRM records and Hireflow's own look-ups did not find those
candidates by e-mail. This lower-cases every candidate's e-mail as Python does (SQL's ``lower`` leaves non-ASCII
letters alone on SQLite and under the C locale). The downgrade keeps the lower-cased addresses: the original
capitals are not worth restoring, and nothing older depends on them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_lower_case_candidate_emails"
down_revision: str | None = "0009_tenant_bound_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5_000


def upgrade() -> None:
    connection = op.get_bind()
    candidates = sa.table("candidates", sa.column("id", sa.Integer), sa.column("email", sa.String))
    rows = connection.execute(
        sa.select(candidates.c.id, candidates.c.email).where(candidates.c.email.is_not(None))
    ).all()
    changed = [{"_id": row_id, "_email": email.lower()} for row_id, email in rows if email != email.lower()]
    statement = (
        candidates.update().where(candidates.c.id == sa.bindparam("_id")).values(email=sa.bindparam("_email"))
    )
    for start in range(0, len(changed), _BATCH):
        connection.execute(statement, changed[start : start + _BATCH])


def downgrade() -> None:
    pass  # the lower-cased addresses stay (see the module's docstring)
