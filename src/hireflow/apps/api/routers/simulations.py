"""Workforce AI-automation simulations of the caller's company group: ``/api/v1/simulations``.

A scenario is validated when it is submitted (every problem at once, the server's limits included, 422), stored
and split into chunks of iterations that run as background jobs, so several workers share one simulation. Poll
the run's ``Location`` until its status is final; then read the results (every output per step, per role and in
total, as mean, p5, p50 and p95, and the summary) or the plot.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import Path, Query, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from hireflow.apps.api.deps import CanReadSimulations, CanRunSimulations, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, Problem, PublicRecord
from hireflow.domain.models.workforce_results import OUTPUTS, SimulationResult
from hireflow.domain.models.workforce_runs import EngineName, SimulationRun, SimulationStatus
from hireflow.domain.services.workforce_runs import EngineChoice

PREFIX = "/api/v1/simulations"
router = new_router(prefix=PREFIX, tags=["simulations"])

MAX_SCENARIO_BYTES = 1_000_000
"""The largest scenario document (JSON) a submission may carry."""

SimulationId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The simulation's id")]
OutputName = Literal[
    "headcount",
    "hires",
    "separations",
    "redeployments",
    "salary_cost",
    "automation_rate",
    "capacity_utilisation",
    "fte_freed",
]
assert set(OutputName.__args__) == set(OUTPUTS), "OutputName must list every output"  # type: ignore[attr-defined]

_EXAMPLE_SCENARIO: dict[str, Any] = {
    "name": "Claims operations",
    "currency": "USD",
    "horizon_steps": 36,
    "iterations": 200,
    "seed": 7,
    "automation_factor": 0.6,
    "adoption": {"kind": "logistic", "midpoint_step": 12, "steepness": 0.4},
    "policy": {"kind": "reduce_headcount"},
    "roles": [
        {
            "name": "Claims adjuster",
            "headcount": 120,
            "annual_salary": 6_500_000,
            "exposure": 0.45,
            "attrition_rate": 0.12,
            "hiring_lead_time_months": 2,
        },
        {
            "name": "Customer service representative",
            "headcount": 80,
            "annual_salary": 4_200_000,
            "exposure": 0.6,
            "attrition_rate": 0.3,
            "hiring_lead_time_months": 1,
        },
    ],
}

_SUBMITTED: dict[int | str, dict[str, Any]] = {
    202: {
        "headers": {
            "Location": {
                "description": "The simulation's URL, to poll for its status",
                "schema": {"type": "string"},
            }
        }
    },
}
_NO_RESULT: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: {
        "model": Problem,
        "description": "The simulation has no result (yet): it is queued, running, failed or cancelled",
        "content": {"application/problem+json": {}},
    },
}


class SimulationCreate(BaseModel):
    """A scenario to simulate, and the engine to run it on."""

    model_config = ConfigDict(extra="forbid")

    scenario: dict[str, Any] = Field(
        description="The scenario, as in a scenario file (docs/workforce.md): roles, automation factor, adoption "
        "curve, demand growth, policy, horizon, iterations, seed. Roles may give a SOC code instead of an "
        "exposure or a salary when the server has the occupation tables configured.",
        examples=[_EXAMPLE_SCENARIO],
    )
    engine: EngineChoice = Field(
        "auto",
        description="mesa (one agent per employee), vectorized (numpy cohorts), or auto: mesa up to 200,000 "
        "employee-steps, vectorized above",
    )

    @field_validator("scenario")
    @classmethod
    def _not_too_large(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(value, separators=(",", ":")).encode()) > MAX_SCENARIO_BYTES:
            raise ValueError(f"the scenario exceeds {MAX_SCENARIO_BYTES:,} bytes of JSON")
        return value


class SimulationPublic(PublicRecord):
    """A simulation run: what it simulates and how far it has come."""

    name: str = Field(description="The scenario's name")
    engine: EngineName
    status: SimulationStatus
    progress: float = Field(description="Share of the chunks done, 0 to 1 (1 once the result is stored)")
    iterations: int
    seed: int
    horizon_steps: int = Field(description="Months simulated")
    employees: int = Field(description="Headcount at step 0")
    chunk_iterations: int = Field(description="Iterations per background job")
    chunks_total: int
    chunks_done: int
    error: str | None = Field(description="Why it failed: the error's type and message")
    created_by_user_id: int | None
    started_at: AwareDatetime | None
    finished_at: AwareDatetime | None = Field(description="Set once the status is final")


def _public(run: SimulationRun) -> SimulationPublic:
    return SimulationPublic.model_validate({**run.model_dump(), "progress": run.progress})


@router.post("", response_model=SimulationPublic, status_code=status.HTTP_202_ACCEPTED, responses=_SUBMITTED)
def submit_simulation(
    body: SimulationCreate, caller: CanRunSimulations, services: Services, response: Response
) -> SimulationPublic:
    """Start a simulation; poll its Location until its status is final."""
    run = services.simulations.submit(
        caller.company_group_id, body.scenario, engine=body.engine, user_id=caller.user_id
    )
    response.headers["Location"] = f"{PREFIX}/{run.id}"
    return _public(run)


@router.get("", response_model=Page[SimulationPublic])
def list_simulations(
    *, caller: CanReadSimulations, services: Services, limit: Limit = 50, cursor: Cursor = None
) -> Page[SimulationPublic]:
    """List simulations, newest first."""
    return paginate(
        lambda n, before: services.simulations.recent(caller.company_group_id, limit=n, before_id=before),
        limit,
        cursor,
        _public,
    )


@router.get("/{simulation_id}", response_model=SimulationPublic, responses=NOT_FOUND)
def get_simulation(
    simulation_id: SimulationId, caller: CanReadSimulations, services: Services
) -> SimulationPublic:
    """Get a simulation's status and progress."""
    return _public(services.simulations.get(caller.company_group_id, simulation_id))


@router.get("/{simulation_id}/scenario", response_model=dict[str, Any], responses=NOT_FOUND)
def get_simulation_scenario(
    simulation_id: SimulationId, caller: CanReadSimulations, services: Services
) -> dict[str, Any]:
    """Get the scenario a simulation runs, with the exposures and salaries filled from the occupation tables."""
    return services.simulations.scenario(caller.company_group_id, simulation_id).model_dump(mode="json")


@router.get("/{simulation_id}/results", response_model=SimulationResult, responses=_NO_RESULT)
def get_simulation_results(
    simulation_id: SimulationId,
    caller: CanReadSimulations,
    services: Services,
    output: Annotated[
        list[OutputName] | None,
        Query(description="Only these outputs (repeat the parameter); all by default"),
    ] = None,
    totals_only: Annotated[
        bool, Query(description="Only the whole workforce's series, not each role's")
    ] = False,
) -> SimulationResult:
    """Get a finished simulation's series (mean, p5, p50, p95 per step) and summary."""
    result = services.simulations.result(caller.company_group_id, simulation_id)
    wanted = set(output or OUTPUTS)
    series = [s for s in result.series if s.name in wanted and (s.role is None or not totals_only)]
    return result.model_copy(update={"series": series})


@router.get(
    "/{simulation_id}/plot.png",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "Every output's total over time"},
        **_NO_RESULT,
    },
)
def get_simulation_plot(
    simulation_id: SimulationId, caller: CanReadSimulations, services: Services
) -> Response:
    """Get a finished simulation's plot: every output's total over time, mean and p5-p95 band (PNG)."""
    from hireflow.infra.workforce.plot import render_png

    result = services.simulations.result(caller.company_group_id, simulation_id)
    return Response(render_png(result), media_type="image/png")


@router.post("/{simulation_id}/cancel", response_model=SimulationPublic, responses=NOT_FOUND)
def cancel_simulation(
    simulation_id: SimulationId, caller: CanRunSimulations, services: Services
) -> SimulationPublic:
    """Cancel a simulation: its queued chunks at once, its running ones at their next step; a finished one stays."""
    return _public(services.simulations.cancel(caller.company_group_id, simulation_id))
