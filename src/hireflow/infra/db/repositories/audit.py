"""The SQLAlchemy audit log: append-only, one short transaction per entry."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from hireflow.domain.models.identity import AuditEntry
from hireflow.infra.db import tables as t

MAX_PAGE = 1000


class SqlAlchemyAuditLog:
    """An :class:`~hireflow.domain.ports.identity.AuditLog` over a session factory."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def record(self, entry: AuditEntry) -> AuditEntry:
        with self._session_factory() as session, session.begin():
            row = t.AuditEntry(**entry.model_dump(exclude={"id", "occurred_at"}, exclude_none=True))
            if entry.occurred_at is not None:
                row.occurred_at = entry.occurred_at
            session.add(row)
            session.flush()
            return AuditEntry.model_validate(row)

    def entries(
        self, company_group_id: int | None, *, limit: int = 100, after_id: int | None = None
    ) -> Sequence[AuditEntry]:
        query = select(t.AuditEntry).order_by(t.AuditEntry.id.desc()).limit(min(max(limit, 1), MAX_PAGE))
        if company_group_id is None:
            query = query.where(t.AuditEntry.company_group_id.is_(None))
        else:
            query = query.where(t.AuditEntry.company_group_id == company_group_id)
        if after_id is not None:
            query = query.where(t.AuditEntry.id < after_id)
        with self._session_factory() as session:
            return [AuditEntry.model_validate(row) for row in session.scalars(query)]
