"""Funnel analytics: buckets, stage conversion, time in stage, drop-off, weekly cohorts and sources.

Usage, as the SDK's design document has it::

    with SessionLocal() as session:
        repo = SqlAlchemyAdminDashboardRepository(session)
        buckets = FunnelService(repo).buckets(company_id=company_group_id)
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from pydantic import Field

from hireflow.domain.models.base import DomainModel
from hireflow.domain.models.funnel import (
    EXIT_STATES,
    HIRED_STATES,
    MAIN_PATH,
    CohortCounts,
    FunnelFilters,
    FunnelState,
)
from hireflow.domain.ports.funnel_analytics import AdminDashboardRepository

SECONDS_PER_HOUR = 3600.0


class StageConversion(DomainModel):
    """Of the candidates who reached ``from_state``, the share who went on to reach ``to_state``."""

    from_state: FunnelState
    to_state: FunnelState
    reached_from: int
    reached_to: int
    rate: float | None = Field(description="reached_to / reached_from; None when nobody reached from_state")


class StageTiming(DomainModel):
    """How long candidates stayed in a stage before moving on (those still in it are not counted)."""

    state: FunnelState
    samples: int
    median_hours: float | None
    p90_hours: float | None


class StageDropOff(DomainModel):
    """How many candidates left the funnel from a stage, and into which exit."""

    state: FunnelState
    reached: int
    dropped: int
    rate: float | None
    by_exit: dict[FunnelState, int]


class WeeklyCohort(DomainModel):
    """Candidates who entered in one ISO week (starting Monday) and how far they got."""

    week_start: date
    entered: int
    reached: dict[FunnelState, int]
    hired: int
    hire_rate: float | None


class SourceBreakdown(DomainModel):
    """Where candidates of one source stand."""

    source: str
    total: int
    active: int
    hired: int
    exited: int
    hire_rate: float | None
    by_state: dict[FunnelState, int]


class FunnelService:
    """Read-only funnel analytics of one company group at a time, over an :class:`AdminDashboardRepository`."""

    def __init__(self, repository: AdminDashboardRepository) -> None:
        self._repository = repository

    def buckets(
        self,
        company_id: int,
        *,
        business_unit_id: int | None = None,
        location_id: int | None = None,
        role_id: int | None = None,
        entered_from: datetime | None = None,
        entered_to: datetime | None = None,
    ) -> dict[FunnelState, int]:
        """Candidates in every funnel state (zeros included, in funnel order)."""
        filters = FunnelFilters(
            business_unit_id=business_unit_id,
            location_id=location_id,
            role_id=role_id,
            entered_from=entered_from,
            entered_to=entered_to,
        )
        return _every_state(self._repository.state_counts(company_id, filters))

    def conversion(self, company_id: int, filters: FunnelFilters | None = None) -> list[StageConversion]:
        """Stage-to-stage conversion along the main path (lead -> contacted -> ... -> onboarded)."""
        reached = _every_state(self._repository.reached_counts(company_id, filters or FunnelFilters()))
        return [
            StageConversion(
                from_state=here,
                to_state=there,
                reached_from=reached[here],
                reached_to=reached[there],
                rate=_ratio(reached[there], reached[here]),
            )
            for here, there in itertools.pairwise(MAIN_PATH)
        ]

    def time_in_stage(self, company_id: int, filters: FunnelFilters | None = None) -> list[StageTiming]:
        """Median and 90th-percentile hours spent in each stage, for every state."""
        durations = self._repository.stage_durations(company_id, filters or FunnelFilters())
        return [_timing(state, durations.get(state, ())) for state in FunnelState]

    def drop_off(self, company_id: int, filters: FunnelFilters | None = None) -> list[StageDropOff]:
        """For each stage of the main path, how many of those who reached it left the funnel from it."""
        filters = filters or FunnelFilters()
        reached = _every_state(self._repository.reached_counts(company_id, filters))
        exits = self._repository.exit_counts(company_id, filters)
        rows = []
        for state in MAIN_PATH:
            by_exit = {exit_: n for (left, exit_), n in sorted(exits.items()) if left == state and n}
            dropped = sum(by_exit.values())
            rows.append(
                StageDropOff(
                    state=state,
                    reached=reached[state],
                    dropped=dropped,
                    rate=_ratio(dropped, reached[state]),
                    by_exit=by_exit,
                )
            )
        return rows

    def weekly_cohorts(self, company_id: int, filters: FunnelFilters | None = None) -> list[WeeklyCohort]:
        """Candidates grouped by the ISO week they entered, with how many reached each main-path stage."""
        days = self._repository.daily_cohorts(company_id, filters or FunnelFilters())
        weeks: dict[date, list[CohortCounts]] = {}
        for day in days:
            weeks.setdefault(day.entered_on - timedelta(days=day.entered_on.weekday()), []).append(day)
        return [_week(start, members) for start, members in sorted(weeks.items())]

    def by_source(self, company_id: int, filters: FunnelFilters | None = None) -> list[SourceBreakdown]:
        """Totals, hires and exits per candidate source, most candidates first."""
        per_source = self._repository.source_state_counts(company_id, filters or FunnelFilters())
        rows = [_source(source, _every_state(counts)) for source, counts in per_source.items()]
        return sorted(rows, key=lambda row: (-row.total, row.source))


def _every_state(counts: Mapping[FunnelState, int]) -> dict[FunnelState, int]:
    return {state: int(counts.get(state, 0)) for state in FunnelState}


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def _timing(state: FunnelState, seconds: Sequence[float]) -> StageTiming:
    if not seconds:
        return StageTiming(state=state, samples=0, median_hours=None, p90_hours=None)
    hours = sorted(value / SECONDS_PER_HOUR for value in seconds)
    p90 = hours[0] if len(hours) == 1 else statistics.quantiles(hours, n=10, method="inclusive")[-1]
    return StageTiming(
        state=state,
        samples=len(hours),
        median_hours=round(statistics.median(hours), 3),
        p90_hours=round(p90, 3),
    )


def _week(start: date, days: Sequence[CohortCounts]) -> WeeklyCohort:
    entered = sum(day.entered for day in days)
    reached = {state: sum(day.reached.get(state, 0) for day in days) for state in MAIN_PATH}
    hired = reached[FunnelState.HIRED]
    return WeeklyCohort(
        week_start=start, entered=entered, reached=reached, hired=hired, hire_rate=_ratio(hired, entered)
    )


def _source(source: str, counts: dict[FunnelState, int]) -> SourceBreakdown:
    total = sum(counts.values())
    hired = sum(counts[state] for state in HIRED_STATES)
    exited = sum(counts[state] for state in EXIT_STATES)
    return SourceBreakdown(
        source=source,
        total=total,
        active=total - hired - exited,
        hired=hired,
        exited=exited,
        hire_rate=_ratio(hired, total),
        by_state=counts,
    )
