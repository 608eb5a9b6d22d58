"""SQLAlchemy repositories of the jobs context."""

from __future__ import annotations

from collections.abc import Sequence

from hireflow.domain.models import jobs as m
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.base import TenantRepository


class SqlAlchemyClientCompanyRepository(TenantRepository[t.ClientCompany, m.ClientCompany]):
    """Client companies of one company group."""

    row_type = t.ClientCompany
    model_type = m.ClientCompany
    entity_name = "client company"

    def by_external_id(self, source: str, external_id: str) -> m.ClientCompany | None:
        query = self._select().where(
            t.ClientCompany.source == source, t.ClientCompany.external_id == external_id
        )
        return self._one(query)


class SqlAlchemyJobOpeningRepository(TenantRepository[t.Job, m.JobOpening]):
    """Job openings of one company group."""

    row_type = t.Job
    model_type = m.JobOpening
    entity_name = "job"

    def by_external_id(self, source: str, external_id: str) -> m.JobOpening | None:
        query = self._select().where(t.Job.source == source, t.Job.external_id == external_id)
        return self._one(query)


class SqlAlchemyApplicationRepository(TenantRepository[t.Application, m.Application]):
    """Applications of one company group's candidates."""

    row_type = t.Application
    model_type = m.Application
    entity_name = "application"

    def for_candidate(self, candidate_id: int) -> Sequence[m.Application]:
        return self._many(
            self._select().where(t.Application.candidate_id == candidate_id).order_by(t.Application.id)
        )

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)


class SqlAlchemyPlacementRepository(TenantRepository[t.Placement, m.Placement]):
    """Placements of one company group's candidates."""

    row_type = t.Placement
    model_type = m.Placement
    entity_name = "placement"

    def for_candidate(self, candidate_id: int) -> Sequence[m.Placement]:
        return self._many(
            self._select().where(t.Placement.candidate_id == candidate_id).order_by(t.Placement.id)
        )

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)
