"""SQLAlchemy repository of the funnel context: the funnel log."""

from __future__ import annotations

from collections.abc import Sequence

from hireflow.domain.models import funnel as m
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.base import TenantRepository


class SqlAlchemyFunnelLogRepository(TenantRepository[t.CandidateFunnelLog, m.FunnelLogEntry]):
    """The funnel log of one company group."""

    row_type = t.CandidateFunnelLog
    model_type = m.FunnelLogEntry
    entity_name = "funnel log entry"

    def for_candidate(self, candidate_id: int) -> Sequence[m.FunnelLogEntry]:
        query = self._select().where(t.CandidateFunnelLog.candidate_id == candidate_id)
        return self._many(query.order_by(t.CandidateFunnelLog.occurred_at, t.CandidateFunnelLog.id))

    def last_applied(self, candidate_id: int) -> m.FunnelLogEntry | None:
        query = self._select().where(
            t.CandidateFunnelLog.candidate_id == candidate_id, t.CandidateFunnelLog.applied.is_(True)
        )
        return self._first(
            query.order_by(t.CandidateFunnelLog.occurred_at.desc(), t.CandidateFunnelLog.id.desc())
        )

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)
