"""Hiring-objective progress: hires against target, pace, forecast date of attainment and an at-risk flag."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from pydantic import Field

from hireflow.domain.models.base import DomainModel
from hireflow.domain.models.org import HiringObjective, ObjectiveStatus
from hireflow.domain.ports.funnel_analytics import AdminDashboardRepository
from hireflow.shared.clock import Clock, SystemClock

RollupKey = Literal["role", "location", "business_unit"]


class ObjectiveProgress(DomainModel):
    """Where one hiring objective stands on a given day."""

    objective_id: int
    role_id: int
    location_id: int | None
    business_unit_id: int | None
    objective_amount: int
    hired: int
    remaining: int
    attainment_pct: float = Field(description="hired / objective_amount x 100, may exceed 100")
    pace_per_week: float = Field(description="hires per week since the objective started")
    forecast_date: date | None = Field(description="when the target is (or was) reached at the current pace")
    deadline: date | None
    at_risk: bool = Field(description="open, and the forecast falls after the deadline (or there is no pace)")
    status: ObjectiveStatus


class ProgressRollup(DomainModel):
    """Objectives summed by role, location or business unit."""

    key: RollupKey
    key_id: int | None
    objectives: int
    objective_amount: int
    hired: int
    attainment_pct: float
    at_risk: int


class ObjectiveProgressService:
    """Computes objective progress from hires recorded in the funnel log."""

    def __init__(self, repository: AdminDashboardRepository, clock: Clock | None = None) -> None:
        self._repository = repository
        self._clock = clock or SystemClock()

    def progress(self, company_id: int) -> list[ObjectiveProgress]:
        """Progress of every objective of the company group, by objective id."""
        today = self._clock.now().date()
        return [
            self._one(company_id, objective, today) for objective in self._repository.objectives(company_id)
        ]

    def rollup(self, company_id: int, by: RollupKey) -> list[ProgressRollup]:
        """Objectives grouped by role, location or business unit, with summed targets and hires."""
        pick: dict[RollupKey, Callable[[ObjectiveProgress], int | None]] = {
            "role": lambda p: p.role_id,
            "location": lambda p: p.location_id,
            "business_unit": lambda p: p.business_unit_id,
        }
        groups: dict[int | None, list[ObjectiveProgress]] = {}
        for item in self.progress(company_id):
            groups.setdefault(pick[by](item), []).append(item)
        return [_rollup(by, key, items) for key, items in sorted(groups.items(), key=lambda kv: kv[0] or 0)]

    def _one(self, company_id: int, objective: HiringObjective, today: date) -> ObjectiveProgress:
        assert objective.id is not None
        hires = self._repository.hire_times(
            company_id,
            role_id=objective.role_id,
            location_id=objective.location_id,
            business_unit_id=objective.business_unit_id,
            since=_midnight(objective.start_date),
            until=_midnight(objective.deadline + timedelta(days=1)) if objective.deadline else None,
        )
        return _progress(objective, hires, today)


def _progress(objective: HiringObjective, hires: Sequence[datetime], today: date) -> ObjectiveProgress:
    assert objective.id is not None
    amount = objective.objective_amount
    hired = len(hires)
    # Pace over the days the objective has run: up to today, or up to its deadline once that has passed.
    end = min(today, objective.deadline) if objective.deadline else today
    elapsed_days = max((end - objective.start_date).days + 1, 1)
    pace_per_day = hired / elapsed_days
    forecast = _forecast(amount, hires, pace_per_day, today)
    is_open = objective.status is ObjectiveStatus.OPEN
    at_risk = (
        is_open
        and hired < amount
        and objective.deadline is not None
        and (forecast is None or forecast > objective.deadline)
    )
    return ObjectiveProgress(
        objective_id=objective.id,
        role_id=objective.role_id,
        location_id=objective.location_id,
        business_unit_id=objective.business_unit_id,
        objective_amount=amount,
        hired=hired,
        remaining=max(amount - hired, 0),
        attainment_pct=round(100.0 * hired / amount, 1),
        pace_per_week=round(pace_per_day * 7, 2),
        forecast_date=forecast,
        deadline=objective.deadline,
        at_risk=at_risk,
        status=objective.status,
    )


def _forecast(amount: int, hires: Sequence[datetime], pace_per_day: float, today: date) -> date | None:
    if len(hires) >= amount:
        return sorted(hires)[amount - 1].date()  # the day the target was reached
    if pace_per_day <= 0:
        return None
    return today + timedelta(days=math.ceil((amount - len(hires)) / pace_per_day))


def _rollup(key: RollupKey, key_id: int | None, items: Sequence[ObjectiveProgress]) -> ProgressRollup:
    amount = sum(item.objective_amount for item in items)
    hired = sum(item.hired for item in items)
    return ProgressRollup(
        key=key,
        key_id=key_id,
        objectives=len(items),
        objective_amount=amount,
        hired=hired,
        attainment_pct=round(100.0 * hired / amount, 1) if amount else 0.0,
        at_risk=sum(item.at_risk for item in items),
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
