"""Workforce scenarios: validation (every error at once), limits, and filling roles from occupation tables."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from hireflow.domain.models.workforce import (
    AbsorbPolicy,
    LinearAdoption,
    LogisticAdoption,
    ScenarioLimits,
    employee_steps,
)
from hireflow.domain.ports.workforce import OccupationExposure, OccupationWage
from hireflow.domain.services.workforce_scenarios import (
    check_limits,
    prepare_scenario,
    resolve_roles,
    scenario_from_mapping,
)
from hireflow.shared.errors import ValidationFailed

RATINGS = [(rater, measure) for rater in ("dv", "human") for measure in ("alpha", "beta", "gamma")]


def _role(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Agent",
        "headcount": 10,
        "annual_salary": 4_000_000,
        "exposure": 0.5,
        "attrition_rate": 0.2,
        "hiring_lead_time_months": 2,
    } | changes


def _data(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Test",
        "roles": [_role()],
        "automation_factor": 0.5,
        "adoption": {"kind": "linear", "start_step": 0, "end_step": 12},
        "horizon_steps": 24,
    } | changes


def _errors(data: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        scenario_from_mapping(data)
    return {error["field"]: error["message"] for error in caught.value.errors}


def _exposure(code: str, value: float) -> OccupationExposure:
    shares = dict.fromkeys(RATINGS, value) | {("dv", "beta"): value / 2}
    return OccupationExposure(soc_code=code, title=code, shares=shares)


def _wage(code: str, mean: int | None, median: int | None) -> OccupationWage:
    return OccupationWage(code, code, "detailed", 1000, mean, median)


EXPOSURES = {"43-4051": _exposure("43-4051", 0.7), "41-9041": _exposure("41-9041", 0.5)}
WAGES = {
    "43-4051": _wage("43-4051", 3_907_000, 3_692_000),
    "41-9041": _wage("41-9041", None, 2_891_000),
    "27-2011": _wage("27-2011", None, None),
}


# --- building ----------------------------------------------------------------------------------------


def test_a_minimal_scenario_takes_the_documented_defaults() -> None:
    scenario = scenario_from_mapping(_data())

    assert scenario.policy == AbsorbPolicy(kind="absorb")
    assert (scenario.exposure_source.rater, scenario.exposure_source.measure) == ("human", "beta")
    assert (scenario.iterations, scenario.seed, scenario.currency, scenario.demand_growth) == (
        100,
        0,
        "USD",
        0.0,
    )
    assert scenario.wage_statistic == "mean"
    assert scenario.total_headcount == 10


def test_every_field_error_and_every_broken_rule_is_reported_at_once() -> None:
    data = _data(
        roles=[
            _role(headcount=-1, exposure=1.5),
            _role(name="agent", attrition_rate=-0.1, soc_code="4340-51"),
            _role(name="Clerk", exposure=None, annual_salary=None, hiring_lead_time_months=61),
        ],
        automation_factor=2,
        horizon_steps=0,
        iterations=0,
        seed=-1,
    )

    errors = _errors(data)

    assert set(errors) == {
        "roles.0.headcount",
        "roles.0.exposure",
        "roles.1.attrition_rate",
        "roles.1.soc_code",
        "roles.1.name",  # a duplicate of roles.0 (names compare case-insensitively)
        "roles.2.exposure",
        "roles.2.annual_salary",
        "roles.2.hiring_lead_time_months",
        "automation_factor",
        "horizon_steps",
        "iterations",
        "seed",
    }
    assert errors["roles.1.name"] == "role name 'agent' is already used by roles.0"
    assert errors["roles.2.exposure"] == "missing: give exposure, or a soc_code to look it up"


def test_the_failure_message_lists_every_field_on_one_line() -> None:
    with pytest.raises(ValidationFailed) as caught:
        scenario_from_mapping(_data(roles=[_role(headcount=-1)], automation_factor=-1))

    assert "\n" not in str(caught.value)
    assert "roles.0.headcount: Input should be greater than or equal to 0" in str(caught.value)
    assert "automation_factor:" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_data(roles=[]), "roles"),
        (_data(roles=[_role(headcount=0)]), "roles"),
        (_data(roles=[_role(headcont=3)]), "roles.0.headcont"),
        (_data(automation_factor=float("nan")), "automation_factor"),
        (_data(demand_growth=-1), "demand_growth"),
        (_data(currency="usd"), "currency"),
        (_data(exposure_source={"rater": "gpt", "measure": "delta"}), "exposure_source.rater"),
        (_data(wage_statistic="mode"), "wage_statistic"),
        (_data(name=""), "name"),
    ],
)
def test_a_broken_field_is_named(data: dict[str, Any], field: str) -> None:
    assert field in _errors(data)


def test_a_scenario_must_be_a_mapping() -> None:
    assert _errors([1, 2]) == {"scenario": "expected a mapping of fields, got list"}


def test_a_scenario_is_frozen() -> None:
    scenario = scenario_from_mapping(_data())
    with pytest.raises(ValidationError):
        scenario.iterations = 5  # type: ignore[misc]


# --- roles and salaries ------------------------------------------------------------------------------


def test_a_soc_code_stands_in_for_a_missing_exposure_and_salary() -> None:
    scenario = scenario_from_mapping(
        _data(roles=[_role(soc_code="43-4051", exposure=None, annual_salary=None)])
    )

    assert scenario.roles[0].exposure is None
    assert scenario.roles[0].annual_salary is None


def test_a_role_gives_one_salary_not_two() -> None:
    distribution = {"kind": "normal", "mean": 4_000_000, "std_dev": 400_000}
    errors = _errors(_data(roles=[_role(salary_distribution=distribution)]))

    assert errors == {"roles.0.salary_distribution": "give annual_salary or salary_distribution, not both"}


@pytest.mark.parametrize(
    "distribution",
    [
        {"kind": "lognormal", "median": 4_000_000, "sigma": 0.25},
        {"kind": "normal", "mean": 4_000_000, "std_dev": 0},
        {"kind": "uniform", "low": 3_000_000, "high": 3_000_000},
    ],
)
def test_each_salary_distribution_is_accepted(distribution: dict[str, Any]) -> None:
    scenario = scenario_from_mapping(
        _data(roles=[_role(annual_salary=None, salary_distribution=distribution)])
    )

    role_distribution = scenario.roles[0].salary_distribution
    assert role_distribution is not None
    assert role_distribution.kind == distribution["kind"]


@pytest.mark.parametrize(
    ("distribution", "field"),
    [
        (
            {"kind": "lognormal", "median": 4_000_000, "sigma": 0},
            "roles.0.salary_distribution.lognormal.sigma",
        ),
        ({"kind": "normal", "mean": -5, "std_dev": -1}, "roles.0.salary_distribution.normal.std_dev"),
        ({"kind": "uniform", "low": 5, "high": 4}, "roles.0.salary_distribution.uniform.high"),
        ({"kind": "pareto", "alpha": 2}, "roles.0.salary_distribution"),
    ],
)
def test_a_broken_salary_distribution_is_named(distribution: dict[str, Any], field: str) -> None:
    assert field in _errors(_data(roles=[_role(annual_salary=None, salary_distribution=distribution)]))


# --- adoption ----------------------------------------------------------------------------------------


def test_linear_adoption_must_end_after_it_starts_and_start_within_the_horizon() -> None:
    errors = _errors(_data(adoption={"kind": "linear", "start_step": 30, "end_step": 30}))

    assert errors == {
        "adoption.linear.end_step": "end_step (30) must be after start_step (30)",
        "adoption.start_step": "start_step (30) must be before horizon_steps (24)",
    }


def test_adoption_levels_follow_the_curves() -> None:
    linear = LinearAdoption(kind="linear", start_step=6, end_step=18)
    logistic = LogisticAdoption(kind="logistic", midpoint_step=12, steepness=0.5)

    assert [linear.level(step) for step in (0, 6, 12, 18, 30)] == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert logistic.level(12) == 0.5
    assert logistic.level(0) < 0.01 < 0.99 < logistic.level(24)


def test_an_unknown_adoption_kind_is_named() -> None:
    assert "adoption" in _errors(_data(adoption={"kind": "exponential", "rate": 2}))


# --- policies ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["absorb", "stop_backfilling", "reduce_headcount"])
def test_the_simple_policies_need_no_parameters(kind: str) -> None:
    assert scenario_from_mapping(_data(policy={"kind": kind})).policy.kind == kind


def test_redeploy_needs_known_target_roles_and_a_second_role() -> None:
    policy = {
        "kind": "redeploy",
        "reskilling_cost_per_employee": -1,
        "delay_months": 2,
        "target_roles": ["Agent", "Help desk"],
    }
    errors = _errors(_data(policy=policy))

    assert errors == {
        "policy.redeploy.reskilling_cost_per_employee": "Input should be greater than or equal to 0",
        "policy": "redeploy needs at least two roles: one to free people, one to receive",
        "policy.target_roles.1": "'Help desk' is not the name of a role",
    }


def test_redeploy_to_any_role_with_a_shortfall_by_default() -> None:
    policy = {"kind": "redeploy", "reskilling_cost_per_employee": 350_000, "delay_months": 2}
    scenario = scenario_from_mapping(_data(roles=[_role(), _role(name="Clerk")], policy=policy))

    assert scenario.policy.kind == "redeploy"
    assert scenario.policy.target_roles == []


# --- limits ------------------------------------------------------------------------------------------


def test_every_exceeded_limit_is_listed() -> None:
    scenario = scenario_from_mapping(_data(roles=[_role(headcount=200)], iterations=50, horizon_steps=40))
    limits = ScenarioLimits(max_employees=100, max_iterations=10, max_steps=36, max_employee_steps=1000)

    with pytest.raises(ValidationFailed) as caught:
        check_limits(scenario, limits)

    assert {error["field"] for error in caught.value.errors} == {
        "roles",
        "iterations",
        "horizon_steps",
        "scenario",
    }
    assert "400,000 employee-steps" in str(caught.value)


def test_the_default_limits_admit_the_benchmark_scenario() -> None:
    scenario = scenario_from_mapping(
        _data(roles=[_role(headcount=10_000)], iterations=1_000, horizon_steps=36)
    )

    check_limits(scenario, ScenarioLimits())
    assert employee_steps(scenario) == 360_000_000


# --- filling roles from occupation tables ------------------------------------------------------------


def test_resolve_fills_exposure_with_the_chosen_rater_and_measure_and_the_mean_wage() -> None:
    role = _role(soc_code="43-4051", exposure=None, annual_salary=None)
    scenario = scenario_from_mapping(_data(roles=[role], exposure_source={"rater": "dv", "measure": "beta"}))

    resolved = resolve_roles(scenario, EXPOSURES, WAGES)

    assert resolved.roles[0].exposure == 0.35
    assert resolved.roles[0].annual_salary == 3_907_000
    assert scenario.roles[0].exposure is None  # the input is left as it was


def test_resolve_uses_the_median_when_asked_and_falls_back_when_a_wage_is_suppressed() -> None:
    roles = [
        _role(soc_code="43-4051", annual_salary=None),
        _role(name="Telemarketer", soc_code="41-9041", annual_salary=None),
    ]
    median = resolve_roles(
        scenario_from_mapping(_data(roles=roles, wage_statistic="median")), EXPOSURES, WAGES
    )
    mean = resolve_roles(scenario_from_mapping(_data(roles=roles)), EXPOSURES, WAGES)

    assert [role.annual_salary for role in median.roles] == [3_692_000, 2_891_000]
    assert [role.annual_salary for role in mean.roles] == [3_907_000, 2_891_000]


def test_resolve_keeps_given_values_and_consults_only_the_tables_it_needs() -> None:
    roles = [_role(soc_code="99-9999", exposure=0.1), _role(name="Other", soc_code="41-9041", exposure=None)]
    resolved = resolve_roles(scenario_from_mapping(_data(roles=roles)), EXPOSURES, {})

    assert [(role.exposure, role.annual_salary) for role in resolved.roles] == [
        (0.1, 4_000_000),
        (0.5, 4_000_000),
    ]


def test_resolve_lists_every_unknown_soc_code_and_missing_wage_at_once() -> None:
    roles = [
        _role(soc_code="11-1111", exposure=None),
        _role(name="B", soc_code="22-2222", annual_salary=None),
        _role(name="C", soc_code="27-2011", annual_salary=None),
    ]

    with pytest.raises(ValidationFailed) as caught:
        resolve_roles(scenario_from_mapping(_data(roles=roles)), EXPOSURES, WAGES)

    assert caught.value.errors == [
        {
            "field": "roles.0.soc_code",
            "message": "SOC code '11-1111' is not in the occupation exposure table",
        },
        {"field": "roles.1.soc_code", "message": "SOC code '22-2222' is not in the wage table"},
        {
            "field": "roles.2.annual_salary",
            "message": "the wage table has no annual wage for SOC code '27-2011': give a salary",
        },
    ]


def test_resolve_fills_salaries_only_in_dollars() -> None:
    scenario = scenario_from_mapping(
        _data(currency="EUR", roles=[_role(soc_code="43-4051", annual_salary=None)])
    )

    with pytest.raises(ValidationFailed, match="wage data is in USD"):
        resolve_roles(scenario, EXPOSURES, WAGES)


def test_prepare_reports_invalid_fields_and_unknown_soc_codes_together() -> None:
    data = _data(roles=[_role(headcount=-5, soc_code="11-1111", exposure=None)])

    with pytest.raises(ValidationFailed) as caught:
        prepare_scenario(data, exposures=EXPOSURES, wages=WAGES, limits=ScenarioLimits())

    assert [error["field"] for error in caught.value.errors] == ["roles.0.headcount", "roles.0.soc_code"]


def test_prepare_reports_limits_and_unknown_soc_codes_together() -> None:
    data = _data(roles=[_role(soc_code="11-1111", exposure=None)], iterations=20)

    with pytest.raises(ValidationFailed) as caught:
        prepare_scenario(data, exposures=EXPOSURES, wages=WAGES, limits=ScenarioLimits(max_iterations=10))

    assert [error["field"] for error in caught.value.errors] == ["iterations", "roles.0.soc_code"]


def test_prepare_returns_the_resolved_scenario() -> None:
    data = _data(roles=[_role(soc_code="43-4051", exposure=None)])

    scenario = prepare_scenario(data, exposures=EXPOSURES, wages=WAGES, limits=ScenarioLimits())

    assert scenario.roles[0].exposure == 0.7
