"""SQLAlchemy implementation of the admin dashboard's funnel analytics.

Current-state counts read ``funnel_state_counts``, the trigger-maintained summary (migration 0002), so they cost
a scan of a few thousand summary rows instead of every candidate. An entry-time window that does not fall on UTC
midnights is answered exactly: whole days from the summary, the partial days at its edges from ``candidates``.
Log-based figures (reached states, durations, exits, cohorts) read the funnel log joined to live candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, cast, distinct, func, select, union
from sqlalchemy.orm import Session

from hireflow.domain.models.funnel import EXIT_STATES, HIRED_STATES, CohortCounts, FunnelFilters, FunnelState
from hireflow.domain.models.org import HiringObjective
from hireflow.infra.db import tables as t
from hireflow.infra.db.base import UtcDateTime

C = t.Candidate
LOG = t.CandidateFunnelLog
SUMMARY = t.FunnelStateCount


class SqlAlchemyAdminDashboardRepository:
    """Funnel analytics over one session; every method takes the company group it reports on."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- current state ----------------------------------------------------------------------------------
    def state_counts(self, company_id: int, filters: FunnelFilters) -> Mapping[FunnelState, int]:
        whole_days, edges = _split_window(filters.entered_from, filters.entered_to)
        counts: dict[FunnelState, int] = defaultdict(int)
        if whole_days is not None:
            for state, n in self.session.execute(self._summary_query(company_id, filters, whole_days)):
                counts[FunnelState(state)] += int(n)
        for start, end in edges:
            query = (
                select(C.funnel_state, func.count())
                .where(*_candidate_filters(company_id, filters), C.entered_at >= start, C.entered_at < end)
                .group_by(C.funnel_state)
            )
            for state, n in self.session.execute(query):
                counts[FunnelState(state)] += int(n)
        return dict(counts)

    def source_state_counts(
        self, company_id: int, filters: FunnelFilters
    ) -> Mapping[str, Mapping[FunnelState, int]]:
        query = (
            select(C.source, C.funnel_state, func.count())
            .where(*_candidate_filters(company_id, filters), *_window(filters))
            .group_by(C.source, C.funnel_state)
        )
        result: dict[str, dict[FunnelState, int]] = defaultdict(dict)
        for source, state, n in self.session.execute(query):
            result[source][FunnelState(state)] = int(n)
        return dict(result)

    # -- history ------------------------------------------------------------------------------------------
    def reached_counts(self, company_id: int, filters: FunnelFilters) -> Mapping[FunnelState, int]:
        where = (*_candidate_filters(company_id, filters), *_window(filters))
        moved = (
            select(LOG.candidate_id.label("cid"), LOG.to_state.label("state"))
            .join(C, C.id == LOG.candidate_id)
            .where(LOG.applied.is_(True), *where)
        )
        current = select(C.id.label("cid"), C.funnel_state.label("state")).where(*where)
        both = union(moved, current).subquery()
        query = select(both.c.state, func.count()).group_by(both.c.state)
        counts = {FunnelState(state): int(n) for state, n in self.session.execute(query)}
        # Every candidate entered at the top of the funnel, whatever state they were first recorded in.
        total = self.session.scalar(select(func.count()).select_from(C).where(*where)) or 0
        counts[FunnelState.LEAD] = int(total)
        return counts

    def stage_durations(
        self, company_id: int, filters: FunnelFilters
    ) -> Mapping[FunnelState, Sequence[float]]:
        previous = func.lag(LOG.occurred_at, type_=UtcDateTime()).over(
            partition_by=LOG.candidate_id, order_by=(LOG.occurred_at, LOG.id)
        )
        moves = (
            select(LOG.from_state, LOG.occurred_at, previous.label("previous_at"), C.entered_at)
            .join(C, C.id == LOG.candidate_id)
            .where(
                LOG.applied.is_(True), LOG.from_state.is_not(None), *_candidate_filters(company_id, filters)
            )
            .where(*_window(filters))
        )
        durations: dict[FunnelState, list[float]] = defaultdict(list)
        for state, at, previous_at, entered_at in self.session.execute(moves):
            assert state is not None  # filtered in SQL
            started = _aware(previous_at) if previous_at is not None else _aware(entered_at)
            seconds = (_aware(at) - started).total_seconds()
            if seconds >= 0:
                durations[FunnelState(state)].append(seconds)
        return dict(durations)

    def exit_counts(
        self, company_id: int, filters: FunnelFilters
    ) -> Mapping[tuple[FunnelState, FunnelState], int]:
        query = (
            select(LOG.from_state, LOG.to_state, func.count(distinct(LOG.candidate_id)))
            .join(C, C.id == LOG.candidate_id)
            .where(LOG.applied.is_(True), LOG.from_state.is_not(None))
            .where(LOG.to_state.in_([state.value for state in EXIT_STATES]))
            .where(*_candidate_filters(company_id, filters), *_window(filters))
            .group_by(LOG.from_state, LOG.to_state)
        )
        return {(FunnelState(str(a)), FunnelState(b)): int(n) for a, b, n in self.session.execute(query)}

    def daily_cohorts(self, company_id: int, filters: FunnelFilters) -> Sequence[CohortCounts]:
        where = (*_candidate_filters(company_id, filters), *_window(filters))
        day = _utc_day(self.session, C.entered_at).label("day")
        entered = select(day, func.count()).where(*where).group_by(day)
        reached_rows = union(
            select(C.id.label("cid"), day, LOG.to_state.label("state"))
            .join(LOG, LOG.candidate_id == C.id)
            .where(LOG.applied.is_(True), *where),
            select(C.id.label("cid"), day, C.funnel_state.label("state")).where(*where),
        ).subquery()
        reached = select(reached_rows.c.day, reached_rows.c.state, func.count()).group_by(
            reached_rows.c.day, reached_rows.c.state
        )
        per_day: dict[date, dict[FunnelState, int]] = defaultdict(dict)
        for on, state, n in self.session.execute(reached):
            per_day[_as_date(on)][FunnelState(state)] = int(n)
        cohorts = []
        for on, n in self.session.execute(entered):
            entered_on = _as_date(on)
            counts = per_day.get(entered_on, {}) | {FunnelState.LEAD: int(n)}
            cohorts.append(CohortCounts(entered_on=entered_on, entered=int(n), reached=counts))
        return sorted(cohorts, key=lambda cohort: cohort.entered_on)

    # -- objectives ---------------------------------------------------------------------------------------
    def objectives(self, company_id: int) -> Sequence[HiringObjective]:
        rows = self.session.scalars(
            select(t.HiringObjective)
            .where(t.HiringObjective.company_group_id == company_id)
            .order_by(t.HiringObjective.id)
        )
        return [HiringObjective.model_validate(row) for row in rows]

    def hire_times(
        self,
        company_id: int,
        *,
        role_id: int,
        location_id: int | None,
        business_unit_id: int | None,
        since: datetime,
        until: datetime | None,
    ) -> Sequence[datetime]:
        hired_at = func.max(LOG.occurred_at)
        query = (
            select(hired_at)
            .join(C, C.id == LOG.candidate_id)
            .where(
                LOG.company_group_id == company_id,
                LOG.applied.is_(True),
                LOG.to_state == FunnelState.HIRED.value,
                LOG.occurred_at >= since,
                *_live(company_id),
                C.role_id == role_id,
                C.funnel_state.in_([state.value for state in HIRED_STATES]),
            )
            .group_by(LOG.candidate_id)
        )
        if until is not None:
            query = query.where(LOG.occurred_at < until)
        if location_id is not None:
            query = query.where(C.location_id == location_id)
        if business_unit_id is not None:
            query = query.where(C.business_unit_id == business_unit_id)
        return sorted(_aware(at) for at in self.session.scalars(query))

    # -- helpers ------------------------------------------------------------------------------------------
    def _summary_query(
        self, company_id: int, filters: FunnelFilters, days: tuple[date | None, date | None]
    ) -> Any:
        query = select(SUMMARY.funnel_state, func.sum(SUMMARY.candidate_count)).where(
            SUMMARY.company_group_id == company_id
        )
        for column, value in (
            (SUMMARY.business_unit_key, filters.business_unit_id),
            (SUMMARY.location_key, filters.location_id),
            (SUMMARY.role_key, filters.role_id),
        ):
            if value is not None:
                query = query.where(column == value)
        first, last = days
        if first is not None:
            query = query.where(SUMMARY.entered_on >= first)
        if last is not None:
            query = query.where(SUMMARY.entered_on < last)
        return query.group_by(SUMMARY.funnel_state)


def _live(company_id: int) -> tuple[ColumnElement[bool], ...]:
    return (C.company_group_id == company_id, C.deleted_at.is_(None), C.merged_into_id.is_(None))


def _candidate_filters(company_id: int, filters: FunnelFilters) -> tuple[ColumnElement[bool], ...]:
    conditions = list(_live(company_id))
    for column, value in (
        (C.business_unit_id, filters.business_unit_id),
        (C.location_id, filters.location_id),
        (C.role_id, filters.role_id),
    ):
        if value is not None:
            conditions.append(column == value)
    return tuple(conditions)


def _window(filters: FunnelFilters) -> tuple[ColumnElement[bool], ...]:
    conditions: list[ColumnElement[bool]] = []
    if filters.entered_from is not None:
        conditions.append(C.entered_at >= filters.entered_from)
    if filters.entered_to is not None:
        conditions.append(C.entered_at < filters.entered_to)
    return tuple(conditions)


def _split_window(
    start: datetime | None, end: datetime | None
) -> tuple[tuple[date | None, date | None] | None, list[tuple[datetime, datetime]]]:
    """Split ``[start, end)`` into whole UTC days (for the summary) and the partial-day edges around them."""
    first = None if start is None else _ceil_day(start.astimezone(UTC))
    last = None if end is None else end.astimezone(UTC).date()
    if start is not None and end is not None and first is not None and last is not None and first >= last:
        return None, [(start, end)] if start < end else []  # no whole day inside the window
    edges = []
    if start is not None and first is not None and _midnight(first) > start:
        edges.append((start, _midnight(first)))
    if end is not None and last is not None and _midnight(last) < end:
        edges.append((_midnight(last), end))
    return (first, last), edges


def _ceil_day(moment: datetime) -> date:
    day = moment.date()
    return day if moment == _midnight(day) else day + timedelta(days=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _utc_day(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
