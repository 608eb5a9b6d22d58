"""Workforce scenarios: build one from plain data, check it against the limits, and fill what it leaves to the
occupation tables (exposure by SOC code, salary from wage data).

Every function here reports every problem it finds in one :class:`~hireflow.shared.errors.ValidationFailed`,
each as ``{"field": "roles.0.headcount", "message": ...}``. :func:`prepare_scenario` runs all three steps and
reports all their problems together, which is what a file loader, the CLI and the API want.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from hireflow.domain.models.workforce import Role, Scenario, ScenarioLimits, value_of
from hireflow.domain.ports.workforce import ExposureTable, OccupationWage, WageTable
from hireflow.domain.services._support import build, revise
from hireflow.shared.errors import ValidationFailed

FieldError = dict[str, Any]


def scenario_from_mapping(data: object) -> Scenario:
    """A :class:`Scenario` from parsed JSON/YAML; raises ValidationFailed listing every field at fault."""
    if not isinstance(data, Mapping):
        raise _failed(
            [{"field": "scenario", "message": f"expected a mapping of fields, got {type(data).__name__}"}]
        )
    return build(Scenario, "scenario", **{str(key): value for key, value in data.items()})


def check_limits(scenario: Scenario, limits: ScenarioLimits) -> None:
    """Raise ValidationFailed listing every limit ``scenario`` exceeds."""
    errors = _limit_errors(scenario, limits)
    if errors:
        raise _failed(errors)


def resolve_roles(scenario: Scenario, exposures: ExposureTable, wages: WageTable) -> Scenario:
    """``scenario`` with every missing exposure and salary filled from the tables by SOC code.

    Exposure comes from ``scenario.exposure_source`` (rater and measure). The salary becomes ``annual_salary``
    from the wage table's ``scenario.wage_statistic`` (mean or median; the other one when that one is
    suppressed); wage data is in USD, so filling a salary needs ``currency: USD``. A table is consulted only
    for what a role leaves out, so a role that gives both needs neither table. Raises ValidationFailed listing
    every unknown SOC code (and every wage the table lacks) at once.
    """
    errors: list[FieldError] = []
    roles: list[Role] = []
    for index, role in enumerate(scenario.roles):
        changes, role_errors = _fill(index, role, scenario, exposures, wages)
        errors.extend(role_errors)
        roles.append(revise(role, f"roles.{index}", **changes) if changes else role)
    if errors:
        raise _failed(errors)
    return revise(scenario, "scenario", roles=roles)


def prepare_scenario(
    data: object, *, exposures: ExposureTable, wages: WageTable, limits: ScenarioLimits
) -> Scenario:
    """Validate ``data``, check the limits and resolve the roles, reporting the problems of all three at once.

    When ``data`` is not a valid scenario, unknown SOC codes are still reported (from the raw roles)."""
    try:
        scenario = scenario_from_mapping(data)
    except ValidationFailed as failure:
        raw_roles = value_of(data, "roles") if isinstance(data, Mapping) else None
        raw_errors = [
            error
            for index, role in enumerate(raw_roles if isinstance(raw_roles, list) else [])
            for error in _unknown_codes(index, role, exposures, wages)
        ]
        raise _failed([*failure.errors, *raw_errors, *_raw_limit_errors(data, limits)]) from None
    errors = _limit_errors(scenario, limits)
    try:
        scenario = resolve_roles(scenario, exposures, wages)
    except ValidationFailed as failure:
        errors.extend(failure.errors)
    if errors:
        raise _failed(errors)
    return scenario


def _limit_errors(scenario: Scenario, limits: ScenarioLimits) -> list[FieldError]:
    errors: list[FieldError] = []
    employees = scenario.total_headcount
    if employees > limits.max_employees:
        errors.append(
            _error("roles", f"{employees:,} employees exceed the limit of {limits.max_employees:,}")
        )
    if scenario.iterations > limits.max_iterations:
        errors.append(
            _error("iterations", f"{scenario.iterations:,} exceed the limit of {limits.max_iterations:,}")
        )
    if scenario.horizon_steps > limits.max_steps:
        errors.append(
            _error("horizon_steps", f"{scenario.horizon_steps:,} exceed the limit of {limits.max_steps:,}")
        )
    work = employees * scenario.horizon_steps * scenario.iterations
    if work > limits.max_employee_steps:
        errors.append(
            _error(
                "scenario",
                f"{work:,} employee-steps (employees x horizon_steps x iterations) exceed the limit of "
                f"{limits.max_employee_steps:,}: reduce iterations or the horizon",
            )
        )
    return errors


def _raw_limit_errors(data: object, limits: ScenarioLimits) -> list[FieldError]:
    """The limits an invalid scenario already exceeds, judged from the fields that are whole numbers."""
    errors: list[FieldError] = []
    for field, limit in (("iterations", limits.max_iterations), ("horizon_steps", limits.max_steps)):
        value = value_of(data, field)
        if _whole(value) and value > limit:
            errors.append(_error(field, f"{value:,} exceed the limit of {limit:,}"))
    roles = value_of(data, "roles")
    counts = [value_of(role, "headcount") for role in roles] if isinstance(roles, list) else []
    employees = sum(count for count in counts if _whole(count) and count > 0)
    if employees > limits.max_employees:
        errors.append(
            _error("roles", f"{employees:,} employees exceed the limit of {limits.max_employees:,}")
        )
    return errors


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _fill(
    index: int, role: Role, scenario: Scenario, exposures: ExposureTable, wages: WageTable
) -> tuple[dict[str, Any], list[FieldError]]:
    """The values the tables give ``role``, and what they cannot give."""
    errors = _unknown_codes(index, role, exposures, wages)
    changes: dict[str, Any] = {}
    if errors or role.soc_code is None:
        return changes, errors
    if role.exposure is None:
        source = scenario.exposure_source
        changes["exposure"] = exposures[role.soc_code].share(source.rater, source.measure)
    if role.annual_salary is None and role.salary_distribution is None:
        if scenario.currency != "USD":
            message = f"wage data is in USD but the scenario's currency is {scenario.currency}: give a salary"
            errors.append(_error(f"roles.{index}.annual_salary", message))
        else:
            salary = _annual_wage(wages[role.soc_code], scenario.wage_statistic)
            if salary is None:
                message = f"the wage table has no annual wage for SOC code {role.soc_code!r}: give a salary"
                errors.append(_error(f"roles.{index}.annual_salary", message))
            else:
                changes["annual_salary"] = salary
    return changes, errors


def _unknown_codes(index: int, role: object, exposures: ExposureTable, wages: WageTable) -> list[FieldError]:
    """The tables ``role`` needs (for a missing exposure or salary) that lack its SOC code."""
    code = value_of(role, "soc_code")
    if not isinstance(code, str):
        return []
    field = f"roles.{index}.soc_code"
    errors: list[FieldError] = []
    if value_of(role, "exposure") is None and code not in exposures:
        errors.append(_error(field, f"SOC code {code!r} is not in the occupation exposure table"))
    salary_missing = value_of(role, "annual_salary") is None and value_of(role, "salary_distribution") is None
    if salary_missing and code not in wages:
        errors.append(_error(field, f"SOC code {code!r} is not in the wage table"))
    return errors


def _annual_wage(wage: OccupationWage, statistic: str) -> int | None:
    if statistic == "median":
        return wage.annual_median_cents if wage.annual_median_cents is not None else wage.annual_mean_cents
    return wage.annual_mean_cents if wage.annual_mean_cents is not None else wage.annual_median_cents


def _error(field: str, message: str) -> FieldError:
    return {"field": field, "message": message}


def _failed(errors: list[FieldError]) -> ValidationFailed:
    listed = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
    return ValidationFailed(f"scenario is not valid: {listed}", errors)
