"""Workforce context: the scenario of an AI-automation impact simulation, and the limits a run must respect.

One simulation step is one month. Money is integer minor units of the scenario's ``currency`` (cents for USD).
Every model here is frozen and forbids unknown keys, so a typo in a scenario file is an error, not a silent
default. Validation reports every error at once: the cross-field rules run even when some fields are invalid
(see :class:`_AllErrorsModel`), so one pass lists a negative headcount *and* a duplicate role name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, ModelWrapValidatorHandler, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from hireflow.domain.models.base import DomainModel
from hireflow.domain.models.org import CurrencyCode

Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
"""A fraction between 0 and 1 inclusive."""
MinorUnits = Annotated[int, Field(gt=0)]
"""A positive amount of money in minor units of the scenario's currency (cents for USD)."""
SocCode = Annotated[str, Field(pattern=r"^\d{2}-\d{4}$")]
"""A 2018 SOC occupation code such as ``43-4051`` (the first seven characters of an O*NET-SOC code)."""
Rater = Literal["dv", "human"]
"""Who rated task exposure in the "GPTs are GPTs" data: ``dv`` = GPT-4, ``human`` = human annotators."""
Measure = Literal["alpha", "beta", "gamma"]
"""Exposure measure: ``alpha`` = E1, ``beta`` = E1 + 0.5·E2, ``gamma`` = E1 + E2."""

Problem = tuple[tuple[str | int, ...], str]
"""A broken cross-field rule: where (a location below the model) and what."""


def value_of(values: object, name: str) -> Any:
    """``name`` of a validated model or of the raw mapping it was built from (None when absent)."""
    if isinstance(values, Mapping):
        return values.get(name)
    return getattr(values, name, None)


class _AllErrorsModel(DomainModel):
    """A model whose cross-field rules (:meth:`_problems`) run even when fields are invalid.

    A plain ``model_validator(mode="after")`` is skipped as soon as one field fails, so a user would fix one
    batch of errors only to meet the next. Here the rules also see the raw input, and their problems join the
    field errors in one ``ValidationError``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def _problems(cls, values: object) -> list[Problem]:
        """Broken cross-field rules; ``values`` is the model, or the raw input when a field was invalid."""
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _every_error_at_once(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        errors: list[InitErrorDetails] = []
        try:
            model: Self | None = handler(data)
        except ValidationError as error:
            model = None
            errors = [
                InitErrorDetails(
                    type=PydanticCustomError(item["type"], item["msg"]), loc=item["loc"], input=item["input"]
                )
                for item in error.errors()
            ]
        if model is not None or isinstance(data, Mapping):
            for loc, message in cls._problems(model if model is not None else data):
                errors.append(
                    InitErrorDetails(type=PydanticCustomError("rule", message), loc=loc, input=data)
                )
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        assert model is not None  # no errors means the handler returned a model
        return model


# --- salary distributions ------------------------------------------------------------------------------


class LognormalSalary(_AllErrorsModel):
    """Salaries whose logarithm is normal: ``median`` (minor units) and ``sigma``, the standard deviation of
    the log salary (0.2-0.4 is typical inside one role)."""

    kind: Literal["lognormal"]
    median: MinorUnits
    sigma: float = Field(gt=0, le=3)


class NormalSalary(_AllErrorsModel):
    """Normally distributed salaries: ``mean`` and ``std_dev`` in minor units (engines clip draws at zero)."""

    kind: Literal["normal"]
    mean: MinorUnits
    std_dev: int = Field(ge=0)


class UniformSalary(_AllErrorsModel):
    """Salaries uniform between ``low`` and ``high`` (minor units, inclusive)."""

    kind: Literal["uniform"]
    low: int = Field(ge=0)
    high: MinorUnits

    @classmethod
    def _problems(cls, values: object) -> list[Problem]:
        low, high = value_of(values, "low"), value_of(values, "high")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            return [(("high",), f"high ({high}) must not be below low ({low})")]
        return []


SalaryDistribution = Annotated[LognormalSalary | NormalSalary | UniformSalary, Field(discriminator="kind")]


# --- roles --------------------------------------------------------------------------------------------


class Role(_AllErrorsModel):
    """One role of the simulated company.

    ``exposure`` is the share of the role's tasks exposed to automation; when it is missing, ``soc_code`` lets
    :func:`~hireflow.domain.services.workforce_scenarios.resolve_roles` look it up. Likewise the salary: give
    ``annual_salary`` or ``salary_distribution``, or neither and a ``soc_code`` to fill it from wage data.
    """

    name: str = Field(min_length=1, max_length=100)
    soc_code: SocCode | None = None
    headcount: int = Field(ge=0)
    annual_salary: MinorUnits | None = None
    salary_distribution: SalaryDistribution | None = None
    exposure: Share | None = None
    attrition_rate: Share
    hiring_lead_time_months: int = Field(ge=0, le=60)

    @classmethod
    def _problems(cls, values: object) -> list[Problem]:
        problems: list[Problem] = []
        soc_code = value_of(values, "soc_code")
        salary, distribution = value_of(values, "annual_salary"), value_of(values, "salary_distribution")
        if salary is not None and distribution is not None:
            problems.append((("salary_distribution",), "give annual_salary or salary_distribution, not both"))
        if salary is None and distribution is None and soc_code is None:
            problems.append(
                (("annual_salary",), "missing: give annual_salary, salary_distribution, or a soc_code")
            )
        if value_of(values, "exposure") is None and soc_code is None:
            problems.append((("exposure",), "missing: give exposure, or a soc_code to look it up"))
        return problems


# --- adoption over time ---------------------------------------------------------------------------------


class LinearAdoption(_AllErrorsModel):
    """Adoption rises in a straight line from 0 at ``start_step`` to 1 at ``end_step`` (months)."""

    kind: Literal["linear"]
    start_step: int = Field(ge=0)
    end_step: int = Field(ge=1)

    @classmethod
    def _problems(cls, values: object) -> list[Problem]:
        start, end = value_of(values, "start_step"), value_of(values, "end_step")
        if isinstance(start, int) and isinstance(end, int) and end <= start:
            return [(("end_step",), f"end_step ({end}) must be after start_step ({start})")]
        return []

    def level(self, step: float) -> float:
        """Share of the automation potential adopted at ``step`` (0-1)."""
        return min(1.0, max(0.0, (step - self.start_step) / (self.end_step - self.start_step)))


class LogisticAdoption(_AllErrorsModel):
    """An S-curve: half adopted at ``midpoint_step``; ``steepness`` is the growth rate per month."""

    kind: Literal["logistic"]
    midpoint_step: float = Field(ge=0, le=1200)
    steepness: float = Field(gt=0, le=10)

    def level(self, step: float) -> float:
        """Share of the automation potential adopted at ``step`` (0-1)."""
        return 1.0 / (1.0 + math.exp(-self.steepness * (step - self.midpoint_step)))


AdoptionCurve = Annotated[LinearAdoption | LogisticAdoption, Field(discriminator="kind")]


# --- what happens to freed capacity ---------------------------------------------------------------------


class AbsorbPolicy(_AllErrorsModel):
    """Keep everyone; freed capacity becomes slack (utilisation falls)."""

    kind: Literal["absorb"]


class StopBackfillingPolicy(_AllErrorsModel):
    """Do not replace leavers while the role has more capacity than work."""

    kind: Literal["stop_backfilling"]


class RedeployPolicy(_AllErrorsModel):
    """Move freed employees to roles that lack capacity.

    A role lacks capacity in a step when its required work (grown by demand) exceeds the capacity of its
    employees; freed employees go to the roles with the largest shortfall first, never beyond the shortfall.
    ``target_roles`` restricts the receiving roles (empty: any other role). Each redeployed employee costs
    ``reskilling_cost_per_employee`` (minor units) and adds no capacity for ``delay_months``.
    """

    kind: Literal["redeploy"]
    reskilling_cost_per_employee: int = Field(ge=0)
    delay_months: int = Field(ge=0, le=60)
    target_roles: list[str] = Field(default_factory=list)


class ReduceHeadcountPolicy(_AllErrorsModel):
    """Let employees go as their capacity is freed."""

    kind: Literal["reduce_headcount"]


WorkforcePolicy = Annotated[
    AbsorbPolicy | StopBackfillingPolicy | RedeployPolicy | ReduceHeadcountPolicy, Field(discriminator="kind")
]


class ExposureSource(_AllErrorsModel):
    """Which column of the occupation exposure table fills a role's missing ``exposure``."""

    rater: Rater = "human"
    measure: Measure = "beta"


# --- the scenario ---------------------------------------------------------------------------------------


class Scenario(_AllErrorsModel):
    """Everything a simulation run needs. See ``docs/workforce.md`` for the file format, field by field."""

    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=2000)
    currency: CurrencyCode = "USD"
    roles: list[Role] = Field(min_length=1, max_length=500)
    automation_factor: Share
    adoption: AdoptionCurve
    demand_growth: float = Field(0.0, gt=-1, le=10, allow_inf_nan=False)
    policy: WorkforcePolicy = Field(default_factory=lambda: AbsorbPolicy(kind="absorb"))
    horizon_steps: int = Field(ge=1, le=1200)
    iterations: int = Field(100, ge=1)
    seed: int = Field(0, ge=0, lt=2**64)
    exposure_source: ExposureSource = Field(default_factory=ExposureSource)
    wage_statistic: Literal["mean", "median"] = "mean"

    @property
    def total_headcount(self) -> int:
        """Employees at step 0, over every role."""
        return sum(role.headcount for role in self.roles)

    @classmethod
    def _problems(cls, values: object) -> list[Problem]:
        roles = value_of(values, "roles")
        roles = roles if isinstance(roles, list) else []
        return [
            *_duplicate_names(roles),
            *_no_employees(roles),
            *_redeploy_problems(value_of(values, "policy"), roles),
            *_adoption_problems(value_of(values, "adoption"), value_of(values, "horizon_steps")),
        ]


def _duplicate_names(roles: list[Any]) -> list[Problem]:
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for index, role in enumerate(roles):
        name = value_of(role, "name")
        if not isinstance(name, str):
            continue
        key = name.strip().casefold()
        if key in seen:
            problems.append(
                (("roles", index, "name"), f"role name {name!r} is already used by roles.{seen[key]}")
            )
        else:
            seen[key] = index
    return problems


def _no_employees(roles: list[Any]) -> list[Problem]:
    counts = [value_of(role, "headcount") for role in roles]
    if roles and all(isinstance(count, int) and count == 0 for count in counts):
        return [(("roles",), "the scenario has no employees: give at least one role a headcount above 0")]
    return []


def _redeploy_problems(policy: object, roles: list[Any]) -> list[Problem]:
    if value_of(policy, "kind") != "redeploy":
        return []
    problems: list[Problem] = []
    if len(roles) < 2:
        problems.append(
            (("policy",), "redeploy needs at least two roles: one to free people, one to receive")
        )
    names = {value_of(role, "name") for role in roles}
    targets = value_of(policy, "target_roles")
    for index, target in enumerate(targets if isinstance(targets, list) else []):
        if target not in names:
            problems.append((("policy", "target_roles", index), f"{target!r} is not the name of a role"))
    return problems


def _adoption_problems(adoption: object, horizon: object) -> list[Problem]:
    start = value_of(adoption, "start_step")
    linear = value_of(adoption, "kind") == "linear"
    if linear and isinstance(start, int) and isinstance(horizon, int) and 1 <= horizon <= start:
        return [
            (("adoption", "start_step"), f"start_step ({start}) must be before horizon_steps ({horizon})")
        ]
    return []


class ScenarioLimits(DomainModel):
    """What one run may ask for. An employee-step is one employee simulated for one month in one iteration:
    ``total_headcount * horizon_steps * iterations`` (headcount at step 0)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_employees: int = Field(100_000, gt=0)
    max_iterations: int = Field(10_000, gt=0)
    max_steps: int = Field(600, gt=0)
    max_employee_steps: int = Field(2_000_000_000, gt=0)


def employee_steps(scenario: Scenario) -> int:
    """How many employee-steps a run of ``scenario`` simulates (see :class:`ScenarioLimits`)."""
    return scenario.total_headcount * scenario.horizon_steps * scenario.iterations
