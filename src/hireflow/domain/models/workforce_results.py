"""Workforce context: what a simulation run reports.

Every output is a :class:`Series` over the steps (months) of the horizon, for one role or, with ``role=None``,
for the whole workforce, aggregated over the iterations as mean and 5th, 50th and 95th percentiles. Money is in
minor units of the scenario's currency; aggregated money is a float (a mean or percentile of integer amounts
need not be a whole number of cents), unlike scenario inputs, which are integers.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from hireflow.domain.models.base import DomainModel

OUTPUTS: tuple[str, ...] = (
    "headcount",
    "hires",
    "separations",
    "redeployments",
    "salary_cost",
    "automation_rate",
    "capacity_utilisation",
    "fte_freed",
)
"""The outputs every engine reports, per role and in total, at every step.

- ``headcount``: employees at the end of the step (trainees being reskilled included);
- ``hires``, ``separations`` (attrition and lay-offs), ``redeployments`` (employees moved *into* the role):
  counts during the step;
- ``salary_cost``: salaries paid for the step (one month), minor units;
- ``automation_rate``: share of the role's task-hours automated (total: weighted by task-hours);
- ``capacity_utilisation``: required work / available capacity, in FTE (above 1: the role runs short);
- ``fte_freed``: task-hours automated, in full-time equivalents.
"""


class Series(DomainModel):
    """One output over time: ``mean``, ``p5``, ``p50`` and ``p95`` hold one value per step (month 1 first)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    role: str | None = None
    mean: list[float]
    p5: list[float]
    p50: list[float]
    p95: list[float]


class SimulationSummary(DomainModel):
    """The run in a few numbers, money in minor units (floats: they are statistics over iterations).

    ``net_annual_savings``: salary cost avoided against the no-automation baseline (base headcount grown with
    demand), minus reskilling costs, over the horizon and scaled to one year; mean and 5th-95th percentiles.
    ``break_even_step``: the first step where mean cumulative savings exceed mean cumulative reskilling costs,
    or None when they never do within the horizon.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    net_annual_savings_mean: float
    net_annual_savings_p5: float
    net_annual_savings_p95: float
    total_reskilling_cost_mean: float
    break_even_step: int | None = Field(None, ge=1)


class SimulationResult(DomainModel):
    """Every output of one run, per role and in total, and its summary."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario_name: str
    currency: str
    engine: str
    iterations: int = Field(ge=1)
    seed: int = Field(ge=0)
    horizon_steps: int = Field(ge=1)
    series: list[Series]
    summary: SimulationSummary

    def get(self, name: str, role: str | None = None) -> Series:
        """The series ``name`` for ``role`` (None: the whole workforce); KeyError names what exists."""
        for series in self.series:
            if series.name == name and series.role == role:
                return series
        raise KeyError(f"no series {name!r} for role {role!r}; outputs are {', '.join(OUTPUTS)}")
