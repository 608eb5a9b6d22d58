"""Funnel and objective services over a fixed in-memory dashboard repository: the arithmetic and edge cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from hireflow.domain.models.funnel import CohortCounts, FunnelFilters, FunnelState
from hireflow.domain.models.org import HiringObjective, ObjectiveStatus
from hireflow.domain.services.funnel import FunnelService
from hireflow.domain.services.objectives import ObjectiveProgressService
from hireflow.shared.clock import FixedClock
from tests.builders import T0

S = FunnelState


@dataclass
class StaticDashboard:
    """An AdminDashboardRepository answering from fixed data, recording the filters it was asked with."""

    states: dict[FunnelState, int] = field(default_factory=dict)
    reached: dict[FunnelState, int] = field(default_factory=dict)
    durations: dict[FunnelState, list[float]] = field(default_factory=dict)
    exits: dict[tuple[FunnelState, FunnelState], int] = field(default_factory=dict)
    cohorts: list[CohortCounts] = field(default_factory=list)
    sources: dict[str, dict[FunnelState, int]] = field(default_factory=dict)
    goals: list[HiringObjective] = field(default_factory=list)
    hires: dict[int, list[datetime]] = field(default_factory=dict)
    asked: list[FunnelFilters] = field(default_factory=list)

    def state_counts(self, company_id: int, filters: FunnelFilters) -> Mapping[FunnelState, int]:
        self.asked.append(filters)
        return self.states

    def reached_counts(self, company_id: int, filters: FunnelFilters) -> Mapping[FunnelState, int]:
        return self.reached

    def stage_durations(
        self, company_id: int, filters: FunnelFilters
    ) -> Mapping[FunnelState, Sequence[float]]:
        return self.durations

    def exit_counts(
        self, company_id: int, filters: FunnelFilters
    ) -> Mapping[tuple[FunnelState, FunnelState], int]:
        return self.exits

    def daily_cohorts(self, company_id: int, filters: FunnelFilters) -> Sequence[CohortCounts]:
        return self.cohorts

    def source_state_counts(
        self, company_id: int, filters: FunnelFilters
    ) -> Mapping[str, Mapping[FunnelState, int]]:
        return self.sources

    def objectives(self, company_id: int) -> Sequence[HiringObjective]:
        return self.goals

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
        return [at for at in self.hires.get(role_id, []) if at >= since and (until is None or at < until)]


def test_buckets_fill_every_state_and_pass_the_filters() -> None:
    repo = StaticDashboard(states={S.HIRED: 3})
    buckets = FunnelService(repo).buckets(7, role_id=2, entered_from=T0)
    assert list(buckets) == list(FunnelState)
    assert buckets[S.HIRED] == 3
    assert sum(buckets.values()) == 3
    assert repo.asked == [FunnelFilters(role_id=2, entered_from=T0)]


def test_bad_filters_are_refused() -> None:
    with pytest.raises(ValueError, match="entered_to must not be before entered_from"):
        FunnelService(StaticDashboard()).buckets(1, entered_from=T0, entered_to=T0 - timedelta(days=1))


def test_conversion_never_divides_by_zero() -> None:
    rows = FunnelService(StaticDashboard(reached={S.LEAD: 10, S.CONTACTED: 4})).conversion(1)
    assert rows[0].rate == 0.4
    assert rows[1].rate == 0.0  # contacted -> screening: nobody went on
    assert rows[2].rate is None  # screening -> screened: nobody reached screening


def test_time_in_stage_percentiles() -> None:
    hours = [1.0, 2.0, 3.0, 4.0, 100.0]
    repo = StaticDashboard(durations={S.LEAD: [h * 3600 for h in hours], S.SCREENING: [7200.0]})
    timing = {row.state: row for row in FunnelService(repo).time_in_stage(1)}
    assert (timing[S.LEAD].median_hours, timing[S.LEAD].samples) == (3.0, 5)
    assert timing[S.LEAD].p90_hours == pytest.approx(61.6)
    assert timing[S.SCREENING].p90_hours == timing[S.SCREENING].median_hours == 2.0
    assert timing[S.HIRED].median_hours is None


def test_drop_off_groups_exits_by_stage() -> None:
    repo = StaticDashboard(
        reached={S.CONTACTED: 10},
        exits={(S.CONTACTED, S.WITHDRAWN): 2, (S.CONTACTED, S.EXPIRED): 3, (S.OFFERED, S.REJECTED): 1},
    )
    rows = {row.state: row for row in FunnelService(repo).drop_off(1)}
    assert (rows[S.CONTACTED].dropped, rows[S.CONTACTED].rate) == (5, 0.5)
    assert rows[S.CONTACTED].by_exit == {S.WITHDRAWN: 2, S.EXPIRED: 3}
    assert rows[S.OFFERED].rate is None  # reached unknown (0): no rate rather than a division by zero


def test_days_fold_into_iso_weeks_starting_monday() -> None:
    days = [
        CohortCounts(entered_on=date(2024, 5, 12), entered=2, reached={S.HIRED: 1}),  # a Sunday
        CohortCounts(entered_on=date(2024, 5, 13), entered=3, reached={S.HIRED: 0}),  # the next Monday
        CohortCounts(entered_on=date(2024, 5, 6), entered=1, reached={S.HIRED: 1}),
    ]
    weeks = FunnelService(StaticDashboard(cohorts=days)).weekly_cohorts(1)
    assert [(w.week_start, w.entered, w.hired) for w in weeks] == [
        (date(2024, 5, 6), 3, 2),
        (date(2024, 5, 13), 3, 0),
    ]
    assert weeks[0].hire_rate == pytest.approx(0.6667)


def test_sources_sorted_by_size() -> None:
    repo = StaticDashboard(sources={"referral": {S.HIRED: 1}, "whatsapp": {S.LEAD: 5, S.REJECTED: 2}})
    rows = FunnelService(repo).by_source(1)
    assert [row.source for row in rows] == ["whatsapp", "referral"]
    assert (rows[0].active, rows[0].exited, rows[0].hire_rate) == (5, 2, 0.0)
    assert rows[1].hire_rate == 1.0


def _goal(
    objective_id: int, role_id: int, amount: int, deadline_days: int | None, **extra: object
) -> HiringObjective:
    return HiringObjective.model_validate(
        {
            "id": objective_id,
            "company_group_id": 1,
            "role_id": role_id,
            "objective_amount": amount,
            "start_date": T0.date(),
            "deadline": None if deadline_days is None else T0.date() + timedelta(days=deadline_days),
            **extra,
        }
    )


def test_objective_forecasts() -> None:
    day = timedelta(days=1)
    repo = StaticDashboard(
        goals=[
            _goal(1, 10, 2, 30),  # met on day 3
            _goal(2, 20, 10, 5),  # 1 hire in 10 days, deadline long past: at risk
            _goal(3, 30, 5, None),  # no deadline: never at risk
            _goal(4, 40, 5, 20, status=ObjectiveStatus.CANCELLED),  # not open: never at risk
        ],
        hires={10: [T0 + day, T0 + 3 * day, T0 + 4 * day], 20: [T0 + 2 * day], 40: []},
    )
    met, late, open_ended, cancelled = ObjectiveProgressService(repo, FixedClock(T0 + 9 * day)).progress(1)
    assert (met.hired, met.remaining, met.attainment_pct, met.forecast_date) == (
        3,
        0,
        150.0,
        (T0 + 3 * day).date(),
    )
    assert not met.at_risk
    assert late.pace_per_week == pytest.approx(round(1 / 6 * 7, 2))  # pace counted up to the deadline
    assert late.at_risk
    assert (open_ended.forecast_date, open_ended.at_risk) == (None, False)
    assert not cancelled.at_risk


def test_rollups_sum_targets_and_hires() -> None:
    repo = StaticDashboard(
        goals=[_goal(1, 10, 4, 30, location_id=5), _goal(2, 10, 6, 30, location_id=6), _goal(3, 20, 2, 30)],
        hires={10: [T0, T0]},
    )
    service = ObjectiveProgressService(repo, FixedClock(T0 + timedelta(days=1)))
    by_role = {row.key_id: row for row in service.rollup(1, by="role")}
    assert (by_role[10].objectives, by_role[10].objective_amount, by_role[10].hired) == (2, 10, 4)
    assert by_role[10].attainment_pct == 40.0
    by_location = {row.key_id: row for row in service.rollup(1, by="location")}
    assert set(by_location) == {None, 5, 6}
