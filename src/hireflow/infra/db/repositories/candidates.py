"""SQLAlchemy repositories of the candidates context. External ids live in their own table; the candidate
repository reaches them through a :class:`SqlAlchemyCandidateExternalIdRepository` of the same tenant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import func
from sqlalchemy.orm import Session

from hireflow.domain.models import candidates as m
from hireflow.domain.models.funnel import FunnelState
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.base import MAX_PAGE, TenantRepository
from hireflow.shared.errors import NotFound


class SqlAlchemyCandidateExternalIdRepository(TenantRepository[t.CandidateExternalId, m.CandidateExternalId]):
    """External CRM and channel ids of one company group's candidates."""

    row_type = t.CandidateExternalId
    model_type = m.CandidateExternalId
    entity_name = "candidate external id"

    def find_by_key(self, source: str, external_id: str) -> m.CandidateExternalId | None:
        query = self._select().where(
            t.CandidateExternalId.source == source, t.CandidateExternalId.external_id == external_id
        )
        return self._one(query)

    def for_candidate(self, candidate_id: int) -> Sequence[m.CandidateExternalId]:
        query = self._select().where(t.CandidateExternalId.candidate_id == candidate_id)
        return self._many(query.order_by(t.CandidateExternalId.source, t.CandidateExternalId.external_id))

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)


class SqlAlchemyCandidateRepository(TenantRepository[t.Candidate, m.Candidate]):
    """Candidates of one company group."""

    row_type = t.Candidate
    model_type = m.Candidate
    entity_name = "candidate"

    def __init__(self, session: Session, company_group_id: int) -> None:
        super().__init__(session, company_group_id)
        self._external_ids = SqlAlchemyCandidateExternalIdRepository(session, company_group_id)

    def get_by_phone(self, phone_e164: str) -> m.Candidate:
        found = self.find_by_phone(phone_e164)
        if found is None:
            raise NotFound(self.entity_name, phone_e164)
        return found

    def find_by_phone(self, phone_e164: str) -> m.Candidate | None:
        return self._one(self._select().where(t.Candidate.phone_e164 == phone_e164))

    def find_by_email(self, email: str) -> Sequence[m.Candidate]:
        # The domain model stores emails lower-cased, so a plain comparison can use the email index.
        query = self._select().where(t.Candidate.email == email.strip().lower())
        return self._many(query.order_by(t.Candidate.id))

    def find_by_external_id(self, source: str, external_id: str) -> m.Candidate | None:
        query = (
            self._select()
            .join(t.CandidateExternalId, t.CandidateExternalId.candidate_id == t.Candidate.id)
            .where(
                t.CandidateExternalId.company_group_id == self.company_group_id,
                t.CandidateExternalId.source == source,
                t.CandidateExternalId.external_id == external_id,
            )
        )
        return self._one(query)

    def add_external_id(self, candidate_id: int, source: str, external_id: str) -> m.CandidateExternalId:
        mapping = m.CandidateExternalId(
            company_group_id=self.company_group_id,
            candidate_id=candidate_id,
            source=source,
            external_id=external_id,
        )
        return self._external_ids.add(mapping)

    def external_ids(self, candidate_id: int) -> Sequence[m.CandidateExternalId]:
        return self._external_ids.for_candidate(candidate_id)

    def in_state(
        self, state: FunnelState, *, limit: int = 100, after_id: int | None = None
    ) -> Sequence[m.Candidate]:
        query = self._select().where(t.Candidate.funnel_state == state.value)
        if after_id is not None:
            query = query.where(t.Candidate.id > after_id)
        return self._many(query.order_by(t.Candidate.id).limit(min(max(limit, 1), MAX_PAGE)))

    def count_by_state(self) -> Mapping[FunnelState, int]:
        query = (
            self._select()
            .with_only_columns(t.Candidate.funnel_state, func.count())
            .group_by(t.Candidate.funnel_state)
        )
        return {FunnelState(state): int(count) for state, count in self.session.execute(query)}

    def merged_into(self, candidate_id: int) -> Sequence[m.Candidate]:
        query = self._select().where(t.Candidate.merged_into_id == candidate_id)
        return self._many(query.order_by(t.Candidate.id))


class SqlAlchemyCandidateMediaRepository(TenantRepository[t.CandidateMedia, m.CandidateMedia]):
    """Files of one company group's candidates."""

    row_type = t.CandidateMedia
    model_type = m.CandidateMedia
    entity_name = "candidate media"

    def for_candidate(self, candidate_id: int) -> Sequence[m.CandidateMedia]:
        query = self._select().where(t.CandidateMedia.candidate_id == candidate_id)
        return self._many(query.order_by(t.CandidateMedia.id))

    def find_by_storage_key(self, storage_key: str) -> m.CandidateMedia | None:
        return self._one(self._select().where(t.CandidateMedia.storage_key == storage_key))

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)
