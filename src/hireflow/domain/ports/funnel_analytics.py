"""The read-side port of funnel analytics: counts and timings over a company group's candidates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from hireflow.domain.models.funnel import CohortCounts, FunnelFilters, FunnelState
from hireflow.domain.models.org import HiringObjective


class AdminDashboardRepository(Protocol):
    """Aggregates behind the admin dashboard. Counts cover live candidates only (not deleted, not merged)."""

    def state_counts(self, company_id: int, filters: FunnelFilters) -> Mapping[FunnelState, int]:
        """How many candidates are in each state now; states with none may be left out."""
        ...

    def reached_counts(self, company_id: int, filters: FunnelFilters) -> Mapping[FunnelState, int]:
        """How many candidates ever reached each state (an applied funnel move, or being there now)."""
        ...

    def stage_durations(
        self, company_id: int, filters: FunnelFilters
    ) -> Mapping[FunnelState, Sequence[float]]:
        """Seconds spent in each state by candidates who left it (the first stage counts from entry)."""
        ...

    def exit_counts(
        self, company_id: int, filters: FunnelFilters
    ) -> Mapping[tuple[FunnelState, FunnelState], int]:
        """``(stage left, exit state) -> candidates``: applied moves into an exit state, by where they came from."""
        ...

    def daily_cohorts(self, company_id: int, filters: FunnelFilters) -> Sequence[CohortCounts]:
        """Per entry day (UTC): candidates who entered and how many of them reached each state."""
        ...

    def source_state_counts(
        self, company_id: int, filters: FunnelFilters
    ) -> Mapping[str, Mapping[FunnelState, int]]:
        """Current state counts per candidate source."""
        ...

    def objectives(self, company_id: int) -> Sequence[HiringObjective]:
        """The company group's hiring objectives, by id."""
        ...

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
        """When candidates who are still hired (hired, onboarding, onboarded) were hired, oldest first."""
        ...
