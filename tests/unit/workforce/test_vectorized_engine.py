"""The vectorized engine: invariants of the model, reproducibility, and the shape of its outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("numpy")

from hireflow.domain.models.workforce import ScenarioLimits
from hireflow.domain.models.workforce_results import OUTPUTS, SimulationResult
from hireflow.domain.ports.workforce import OccupationExposure, OccupationWage
from hireflow.domain.services.workforce_scenarios import prepare_scenario
from hireflow.infra.workforce import read_scenario_file
from hireflow.infra.workforce.vectorized import VectorizedEngine, expected_salary
from tests.unit.workforce.scenarios import POLICIES, role_data, two_roles

EXAMPLE = Path(__file__).parents[3] / "examples" / "workforce" / "contact_center.yaml"
RATINGS = [(rater, measure) for rater in ("dv", "human") for measure in ("alpha", "beta", "gamma")]


def _role(name: str, **changes: Any) -> dict[str, Any]:
    return role_data(name, **({"headcount": 200} | changes))


def _scenario(**changes: Any) -> Any:
    return two_roles(200, 50, **({"horizon_steps": 24, "iterations": 50} | changes))


def _run(iterations: int | None = None, seed: int | None = None, **changes: Any) -> SimulationResult:
    return VectorizedEngine().run(_scenario(**changes), iterations=iterations, seed=seed)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: policy["kind"])
def test_no_automation_and_no_attrition_leave_headcount_unchanged(policy: dict[str, Any]) -> None:
    roles = [_role("Agent", attrition_rate=0.0), _role("Analyst", headcount=50, attrition_rate=0.0)]
    result = _run(roles=roles, automation_factor=0.0, policy=policy)
    for role in (None, "Agent", "Analyst"):
        series = result.get("headcount", role)
        expected = {None: 250, "Agent": 200, "Analyst": 50}[role]
        assert series.p5 == series.p95 == series.mean == [expected] * 24
    assert result.get("hires").mean == result.get("separations").mean == [0.0] * 24


def test_reduce_headcount_is_monotone_in_the_automation_factor() -> None:
    finals, freed = [], []
    for factor in (0.0, 0.25, 0.5, 0.75, 1.0):
        result = _run(iterations=200, automation_factor=factor, policy={"kind": "reduce_headcount"})
        finals.append(result.get("headcount").mean[-1])
        freed.append(result.get("fte_freed").mean[-1])
    assert finals == sorted(finals, reverse=True)
    assert freed == sorted(freed)
    assert finals[-1] < finals[0]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: policy["kind"])
def test_headcount_is_never_negative_and_quantiles_are_ordered(policy: dict[str, Any]) -> None:
    roles = [_role("Agent", attrition_rate=0.9, exposure=1.0), _role("Tiny", headcount=1, attrition_rate=1.0)]
    result = _run(roles=roles, automation_factor=1.0, policy=policy, demand_growth=-0.5)
    for series in result.series:
        assert len(series.mean) == len(series.p5) == len(series.p50) == len(series.p95) == 24
        assert all(
            low <= mid <= high for low, mid, high in zip(series.p5, series.p50, series.p95, strict=True)
        )
    for role in (None, "Agent", "Tiny"):
        assert min(result.get("headcount", role).p5) >= 0


def test_every_output_is_reported_per_role_and_in_total() -> None:
    result = _run()
    assert {(series.name, series.role) for series in result.series} == {
        (name, role) for name in OUTPUTS for role in (None, "Agent", "Analyst")
    }
    assert (result.horizon_steps, result.iterations, result.seed) == (24, 50, 7)


def test_the_same_seed_gives_the_same_results_and_another_seed_others() -> None:
    policy = POLICIES[-1]
    first, again, other = _run(policy=policy), _run(policy=policy), _run(policy=policy, seed=8)
    assert first == again
    assert first.get("headcount").mean != other.get("headcount").mean


def test_run_arguments_override_the_scenario_and_progress_is_reported() -> None:
    seen: list[float] = []
    result = VectorizedEngine().run(_scenario(), iterations=3, seed=11, progress=seen.append)
    assert (result.iterations, result.seed) == (3, 11)
    assert seen[0] > 0
    assert seen[-1] == 1.0
    assert len(seen) == 24


def test_automation_rate_follows_its_expected_value() -> None:
    result = _run(iterations=200, roles=[_role("Agent", headcount=500, exposure=0.6)])
    # after full adoption (step 12) the rate's mean is automation_factor · exposure = 0.3
    assert result.get("automation_rate", "Agent").mean[-1] == pytest.approx(0.3, abs=0.005)


def test_redeploy_moves_surplus_to_short_roles_at_a_cost() -> None:
    roles = [_role("Agent", exposure=0.8), _role("Supervisor", headcount=20, exposure=0.0)]
    policy = {"kind": "redeploy", "reskilling_cost_per_employee": 300_000, "delay_months": 1}
    result = _run(roles=roles, policy=policy, demand_growth=0.5)
    assert sum(result.get("redeployments", "Supervisor").mean) > 0
    assert sum(result.get("redeployments", "Agent").mean) == 0
    assert result.summary.total_reskilling_cost_mean > 0


def test_reduce_headcount_saves_money_and_breaks_even() -> None:
    result = _run(policy={"kind": "reduce_headcount"})
    summary = result.summary
    assert summary.net_annual_savings_p5 <= summary.net_annual_savings_mean <= summary.net_annual_savings_p95
    assert summary.net_annual_savings_mean > 0
    assert summary.break_even_step is not None


def test_expected_salaries_follow_the_distributions() -> None:
    scenario = _scenario(
        roles=[
            _role("Flat"),
            _role(
                "Uniform", annual_salary=None, salary_distribution={"kind": "uniform", "low": 10, "high": 20}
            ),
            _role(
                "Normal",
                annual_salary=None,
                salary_distribution={"kind": "normal", "mean": 100, "std_dev": 0},
            ),
        ]
    )
    assert [expected_salary(role) for role in scenario.roles] == [5_000_000, 15, 100]


def _exposure(code: str, value: float) -> OccupationExposure:
    return OccupationExposure(soc_code=code, title=code, shares=dict.fromkeys(RATINGS, value))


def _wage(code: str, mean: int) -> OccupationWage:
    return OccupationWage(code, code, "detailed", 1000, mean, mean)


def test_the_example_scenario_runs() -> None:
    exposures = {code: _exposure(code, 0.5) for code in ("43-4051", "41-9041", "43-3021", "43-1011")}
    wages = {code: _wage(code, 4_000_000) for code in ("43-4051", "41-9041", "15-1232")}
    scenario = prepare_scenario(
        read_scenario_file(EXAMPLE), exposures=exposures, wages=wages, limits=ScenarioLimits()
    )
    result = VectorizedEngine().run(scenario, iterations=50)
    assert result.horizon_steps == 36
    assert result.get("headcount").mean[0] == pytest.approx(573, rel=0.05)
    assert sum(result.get("redeployments").mean) > 0
