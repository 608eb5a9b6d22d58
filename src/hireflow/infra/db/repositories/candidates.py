"""SQLAlchemy repositories of the candidates context. External ids live in their own table; the candidate
repository reaches them through a :class:`SqlAlchemyCandidateExternalIdRepository` of the same tenant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select
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

    def get_with_external_ids(self, candidate_id: int) -> tuple[m.Candidate, Sequence[m.CandidateExternalId]]:
        # One round trip instead of two, with a statement built once: a candidate page is the API's most
        # frequent read.
        query, parameters = (
            _WITH_EXTERNAL_IDS,
            {"tenant": self.company_group_id, "candidate_id": candidate_id},
        )
        rows = self.session.execute(query, parameters).all()
        if not rows:
            raise NotFound(self.entity_name, candidate_id)
        external_ids = [m.CandidateExternalId.model_validate(row[1]) for row in rows if row[1] is not None]
        return self._to_model(rows[0][0]), external_ids

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

    def search(
        self,
        filters: m.CandidateFilters,
        *,
        sort: m.CandidateSort = m.CandidateSort.ID,
        limit: int = 100,
        after: m.CandidatePosition | None = None,
    ) -> Sequence[m.Candidate]:
        limit = min(max(limit, 1), MAX_PAGE)
        query = self._select().where(*_matching(filters))
        if sort.fields != ("state_changed_at",):
            return self._many(_page_after(query, sort, after).limit(limit))
        # A nullable sort key: the candidates who moved, in order, then those who never did (by id, in the
        # sort's direction). Each part is one index range; together they read as one order, nulls last.
        found: list[m.Candidate] = []
        changed_at = t.Candidate.state_changed_at
        if after is None or after.values[0] is not None:
            found += self._many(_page_after(query.where(changed_at.is_not(None)), sort, after).limit(limit))
            after = None
        if len(found) < limit:
            by_id = m.CandidateSort.ID_DESC if sort.descending else m.CandidateSort.ID
            never = _page_after(
                query.where(changed_at.is_(None)), by_id, after and m.CandidatePosition(id=after.id)
            )
            found += self._many(never.limit(limit - len(found)))
        return found

    def external_ids_for(self, candidate_ids: Sequence[int]) -> Mapping[int, Sequence[m.CandidateExternalId]]:
        found: dict[int, list[m.CandidateExternalId]] = {}
        if not candidate_ids:
            return found
        x = t.CandidateExternalId
        query = (
            select(x)
            .where(x.company_group_id == self.company_group_id, x.candidate_id.in_(set(candidate_ids)))
            .order_by(x.candidate_id, x.source, x.external_id)
        )
        for row in self.session.scalars(query):
            found.setdefault(row.candidate_id, []).append(m.CandidateExternalId.model_validate(row))
        return found


def _matching(filters: m.CandidateFilters) -> list[ColumnElement[bool]]:
    """WHERE conditions of ``filters`` (the tenant's own condition comes from the repository)."""
    c = t.Candidate
    where: list[ColumnElement[bool]] = []
    if not filters.include_deleted:
        where += [c.deleted_at.is_(None), c.merged_into_id.is_(None)]
    if filters.phone_e164 is not None:
        where.append(c.phone_e164 == filters.phone_e164)
    if filters.looks_like_phone:
        where.append(c.phone_e164.contains(filters.phone_digits, autoescape=True))
    for term in filters.terms:
        where.append(
            or_(
                func.lower(c.first_name).contains(term, autoescape=True),
                func.lower(c.last_name).contains(term, autoescape=True),
                func.lower(c.email).contains(term, autoescape=True),
            )
        )
    if filters.funnel_state:
        where.append(c.funnel_state.in_([state.value for state in filters.funnel_state]))
    for name in ("business_unit_id", "location_id", "role_id"):
        value = getattr(filters, name)
        if value is not None:
            where.append(getattr(c, name) == value)
    if filters.source is not None:
        where.append(c.source == filters.source.value)
    if filters.entered_from is not None:
        where.append(c.entered_at >= _utc_midnight(filters.entered_from))
    if filters.entered_to is not None:
        where.append(c.entered_at < _utc_midnight(filters.entered_to + timedelta(days=1)))
    return where


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _page_after(query: Select[Any], sort: m.CandidateSort, after: m.CandidatePosition | None) -> Select[Any]:
    """``query`` in ``sort`` order (then id), from just after ``after``. The leading sort column also gets a
    plain range bound (``>=``/``<=``), so the database can start its index scan at the position."""
    columns = [getattr(t.Candidate, field) for field in sort.fields] + [t.Candidate.id]
    ordered = query.order_by(*(column.desc() if sort.descending else column.asc() for column in columns))
    if after is None:
        return ordered
    values = [*after.values, after.id]
    beyond = _after_keys(columns, values, descending=sort.descending)
    first, start = columns[0], values[0]
    bound = first <= start if sort.descending else first >= start
    return ordered.where(bound, beyond)


def _after_keys(columns: Sequence[Any], values: Sequence[Any], *, descending: bool) -> ColumnElement[bool]:
    """``(columns) > (values)`` compared left to right (``<`` when descending), spelt out with OR/AND so that it
    means the same on every database."""
    column, value = columns[0], values[0]
    past: ColumnElement[bool] = column < value if descending else column > value
    if len(columns) == 1:
        return past
    return or_(past, and_(column == value, _after_keys(columns[1:], values[1:], descending=descending)))


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


# On the candidate id alone, so SQLite picks that index (the tenant's would scan all its ids); an external id
# always belongs to its candidate's tenant (the repositories refuse anything else).
_WITH_EXTERNAL_IDS = (
    select(t.Candidate, t.CandidateExternalId)
    .outerjoin(t.CandidateExternalId, t.CandidateExternalId.candidate_id == t.Candidate.id)
    .where(t.Candidate.company_group_id == bindparam("tenant"), t.Candidate.id == bindparam("candidate_id"))
    .order_by(t.CandidateExternalId.id)
)
