"""The Mesa engine: one agent per employee; invariants of the model, reproducibility, the shape of outputs."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("mesa")

from hireflow.domain.models.workforce_results import OUTPUTS, SimulationResult
from hireflow.infra.workforce._mesa_model import Employee, WorkforceModel
from hireflow.infra.workforce.agents import MesaEngine
from hireflow.infra.workforce.vectorized import expected_salary
from tests.unit.workforce.scenarios import POLICIES, role_data, two_roles


def _role(name: str, **changes: Any) -> dict[str, Any]:
    return role_data(name, **changes)


def _scenario(**changes: Any) -> Any:
    return two_roles(40, 15, **({"horizon_steps": 18, "iterations": 5} | changes))


def _run(**changes: Any) -> SimulationResult:
    return MesaEngine().run(_scenario(**changes))


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: policy["kind"])
def test_no_automation_and_no_attrition_leave_headcount_unchanged(policy: dict[str, Any]) -> None:
    roles = [_role("Agent", attrition_rate=0.0), _role("Analyst", headcount=15, attrition_rate=0.0)]
    result = _run(roles=roles, automation_factor=0.0, policy=policy)
    for role, expected in ((None, 55), ("Agent", 40), ("Analyst", 15)):
        series = result.get("headcount", role)
        assert series.p5 == series.p95 == series.mean == [expected] * 18
    assert result.get("hires").mean == result.get("separations").mean == [0.0] * 18
    assert result.get("redeployments").mean == [0.0] * 18


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: policy["kind"])
def test_headcount_is_never_negative(policy: dict[str, Any]) -> None:
    roles = [
        _role("Agent", attrition_rate=0.9, exposure=1.0),
        _role("Analyst", headcount=3, attrition_rate=0.9),
    ]
    result = _run(roles=roles, automation_factor=1.0, policy=policy, demand_growth=-0.5)
    for role in (None, "Agent", "Analyst"):
        assert min(result.get("headcount", role).p5) >= 0


def test_the_same_seed_gives_the_same_result_and_another_seed_another() -> None:
    policy = POLICIES[-1]
    first, second = _run(policy=policy), _run(policy=policy)
    assert first == second
    assert MesaEngine().run(_scenario(policy=policy), seed=8) != first


def test_every_output_has_one_point_per_step_for_the_total_and_each_role() -> None:
    result = _run(policy={"kind": "reduce_headcount"})
    assert result.engine == "mesa"
    assert result.iterations == 5
    assert len(result.series) == len(OUTPUTS) * 3
    for series in result.series:
        assert len(series.mean) == len(series.p5) == len(series.p50) == len(series.p95) == 18
        assert all(
            low <= mid <= high for low, mid, high in zip(series.p5, series.p50, series.p95, strict=True)
        )


def test_every_employee_is_an_agent_with_its_role_salary_and_tenure() -> None:
    scenario = _scenario(automation_factor=0.0, roles=[_role("Agent", attrition_rate=0.0)])
    model = WorkforceModel(scenario, rng=None)
    for _ in range(3):
        model.step()
    employees = list(model.agents)
    assert len(employees) == 40
    assert all(isinstance(employee, Employee) for employee in employees)
    assert {employee.tenure for employee in employees} == {3}
    assert {employee.salary for employee in employees} == {expected_salary(scenario.roles[0])}
    assert model.datacollector.model_vars["headcount:Agent"] == [40.0, 40.0, 40.0]


def test_redeploying_moves_agents_and_costs_reskilling() -> None:
    roles = [
        _role("Agent", exposure=0.9, attrition_rate=0.0),
        _role("Analyst", exposure=0.0, attrition_rate=0.0),
    ]
    policy = {"kind": "redeploy", "reskilling_cost_per_employee": 300_000, "delay_months": 2}
    result = _run(roles=roles, automation_factor=1.0, policy=policy, demand_growth=0.5)
    assert sum(result.get("redeployments", "Analyst").mean) > 0
    assert sum(result.get("redeployments", "Agent").mean) == 0
    assert result.summary.total_reskilling_cost_mean == 300_000 * sum(result.get("redeployments").mean)


def test_progress_reaches_one() -> None:
    seen: list[float] = []
    MesaEngine().run(_scenario(), iterations=2, progress=seen.append)
    assert seen == [0.5, 1.0]
