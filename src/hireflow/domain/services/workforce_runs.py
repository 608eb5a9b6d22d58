"""Workforce simulations run in the background: submit a scenario, follow it, read its result, cancel it.

:class:`Simulations` is what the API calls: it validates the scenario (every problem at once, the configured
limits included), stores the run and queues one background job per chunk of iterations.
:class:`SimulationChunks` is what those jobs call, on whichever worker takes them: run the chunk's
iterations, save their outputs, and, for the chunk that completes the run, combine every chunk's outputs into the
result. A failing chunk fails the run; a cancelled run stops its chunks at their next progress report.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from hireflow.domain.models.workforce import Scenario, ScenarioLimits, employee_steps, value_of
from hireflow.domain.models.workforce_results import SimulationResult
from hireflow.domain.models.workforce_runs import EngineName, SimulationRun, SimulationStatus, chunk_count
from hireflow.domain.ports.background_jobs import JobRunner, TaskCancelled
from hireflow.domain.ports.workforce import ExposureTable, WageTable
from hireflow.domain.ports.workforce_runs import BlockSimulator, SimulationStore
from hireflow.domain.services.background_jobs import describe_error
from hireflow.domain.services.workforce_scenarios import prepare_scenario
from hireflow.shared.clock import Clock
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from hireflow.shared.types import JSONValue

CHUNK_TASK = "workforce.simulate_chunk"
"""The background task that runs one chunk: ``(simulation_id, chunk)``, tenant from the job."""

AUTO_MESA_MAX_EMPLOYEE_STEPS = 200_000
"""``auto`` picks the agent-based engine up to this many employee-steps, the vectorized one above."""

EngineChoice = Literal["auto", "mesa", "vectorized"]


def choose_engine(choice: EngineChoice, scenario: Scenario) -> EngineName:
    """The engine ``choice`` names; ``auto`` picks by the scenario's employee-steps."""
    if choice == "auto":
        return "mesa" if employee_steps(scenario) <= AUTO_MESA_MAX_EMPLOYEE_STEPS else "vectorized"
    return choice


@dataclass(frozen=True)
class SimulationPolicy:
    """What a run may ask for, and how it is split: ``max_stored_values`` bounds iterations x steps x
    (roles + 1), the values kept per output while chunks run (they are combined only at the end)."""

    limits: ScenarioLimits = field(default_factory=ScenarioLimits)
    chunk_iterations: int = 100
    max_stored_values: int = 50_000_000


OccupationTables = Callable[[], tuple[ExposureTable | None, WageTable | None]]
"""Loads the configured occupation tables (None: not configured); called only for scenarios that need one."""


class Simulations:
    """Submit, follow, read and cancel the simulations of one company group at a time."""

    def __init__(
        self,
        store: SimulationStore,
        runner: JobRunner,
        clock: Clock,
        *,
        tables: OccupationTables,
        policy: SimulationPolicy | None = None,
    ) -> None:
        self._store, self._runner, self._clock = store, runner, clock
        self._tables, self._policy = tables, policy or SimulationPolicy()

    def submit(
        self,
        company_group_id: int,
        data: Mapping[str, object],
        *,
        engine: EngineChoice = "auto",
        user_id: int | None = None,
    ) -> SimulationRun:
        """Validate ``data`` (every problem in one ValidationFailed), store the run, queue its chunks."""
        scenario = self._prepare(data)
        policy = self._policy
        chunks = chunk_count(scenario.iterations, policy.chunk_iterations)
        run = self._store.add(
            SimulationRun(
                company_group_id=company_group_id,
                name=scenario.name,
                engine=choose_engine(engine, scenario),
                iterations=scenario.iterations,
                seed=scenario.seed,
                horizon_steps=scenario.horizon_steps,
                employees=scenario.total_headcount,
                chunk_iterations=policy.chunk_iterations,
                chunks_total=chunks,
                created_by_user_id=user_id,
            ),
            scenario,
        )
        assert run.id is not None
        job_ids = [
            self._runner.submit(
                CHUNK_TASK, {"simulation_id": run.id, "chunk": chunk}, company_group_id=company_group_id
            )
            for chunk in range(chunks)
        ]
        self._store.attach_jobs(company_group_id, run.id, job_ids)
        return self._store.get(company_group_id, run.id)

    def get(self, company_group_id: int, simulation_id: int) -> SimulationRun:
        """The run; NotFound when it is unknown or another company group's."""
        return self._store.get(company_group_id, simulation_id)

    def recent(
        self, company_group_id: int, *, limit: int, before_id: int | None = None
    ) -> Sequence[SimulationRun]:
        """Runs newest first."""
        return self._store.recent(company_group_id, limit=limit, before_id=before_id)

    def scenario(self, company_group_id: int, simulation_id: int) -> Scenario:
        """The resolved scenario a run simulates (salaries and exposures filled in)."""
        return self._store.scenario(company_group_id, simulation_id)

    def result(self, company_group_id: int, simulation_id: int) -> SimulationResult:
        """The result of a succeeded run; Conflict, saying where the run is, for any other."""
        result = self._store.result(company_group_id, simulation_id)
        if result is None:
            run = self._store.get(company_group_id, simulation_id)
            raise Conflict(
                f"simulation {simulation_id} has no result: it is {run.status.value}"
                + (f" ({run.error})" if run.error else ""),
                status=run.status.value,
            )
        return result

    def cancel(self, company_group_id: int, simulation_id: int) -> SimulationRun:
        """Cancel a queued or running simulation and its chunks' jobs; a finished one is left as it is."""
        run = self._store.cancel(company_group_id, simulation_id, self._clock.now())
        if run.status is SimulationStatus.CANCELLED:
            for job_id in self._store.job_ids(company_group_id, simulation_id):
                # NotFound: the runner forgot the job (the in-process runner restarted), so nothing runs it.
                with contextlib.suppress(NotFound):
                    self._runner.cancel(job_id, company_group_id=company_group_id)
        return run

    def _prepare(self, data: Mapping[str, object]) -> Scenario:
        exposures, wages = self._tables_for(data)
        errors: list[dict[str, object]] = []
        scenario: Scenario | None = None
        try:
            scenario = prepare_scenario(
                data, exposures=exposures or {}, wages=wages or {}, limits=self._policy.limits
            )
        except ValidationFailed as failure:
            errors.extend(failure.errors)
        errors.extend(self._unconfigured(data, exposures, wages))
        if scenario is not None:
            errors.extend(self._storage_errors(scenario))
        if errors or scenario is None:
            listed = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
            raise ValidationFailed(f"scenario is not valid: {listed}", errors)
        return scenario

    def _tables_for(self, data: Mapping[str, object]) -> tuple[ExposureTable | None, WageTable | None]:
        roles = value_of(data, "roles")
        needs_table = isinstance(roles, list) and any(
            value_of(role, "soc_code") is not None
            and (
                value_of(role, "exposure") is None
                or (value_of(role, "annual_salary") is None and value_of(role, "salary_distribution") is None)
            )
            for role in roles
        )
        return self._tables() if needs_table else (None, None)

    @staticmethod
    def _unconfigured(
        data: Mapping[str, object], exposures: ExposureTable | None, wages: WageTable | None
    ) -> list[dict[str, object]]:
        """Say which server setting is missing, beside each SOC code the empty table could not resolve."""
        errors: list[dict[str, object]] = []
        roles = value_of(data, "roles")
        for index, role in enumerate(roles if isinstance(roles, list) else []):
            if value_of(role, "soc_code") is None:
                continue
            if exposures is None and value_of(role, "exposure") is None:
                errors.append(
                    {
                        "field": f"roles.{index}.exposure",
                        "message": "this server has no occupation exposure table "
                        "(HIREFLOW_OCCUPATION_EXPOSURES_PATH): give the exposure",
                    }
                )
            no_salary = (
                value_of(role, "annual_salary") is None and value_of(role, "salary_distribution") is None
            )
            if wages is None and no_salary:
                errors.append(
                    {
                        "field": f"roles.{index}.annual_salary",
                        "message": "this server has no wage table (HIREFLOW_OCCUPATION_WAGES_PATH): give a salary",
                    }
                )
        return errors

    def _storage_errors(self, scenario: Scenario) -> list[dict[str, object]]:
        values = scenario.iterations * scenario.horizon_steps * (len(scenario.roles) + 1)
        limit = self._policy.max_stored_values
        if values <= limit:
            return []
        return [
            {
                "field": "scenario",
                "message": f"{values:,} values per output (iterations x horizon_steps x (roles + 1)) exceed the "
                f"limit of {limit:,}: reduce iterations, the horizon or the roles",
            }
        ]


class SimulationChunks:
    """Runs one chunk of a simulation inside a background job (any worker, any order, possibly twice)."""

    def __init__(self, store: SimulationStore, simulator: BlockSimulator, clock: Clock) -> None:
        self._store, self._simulator, self._clock = store, simulator, clock

    def run(
        self,
        company_group_id: int,
        simulation_id: int,
        chunk: int,
        *,
        cancelled: Callable[[], bool],
        report: Callable[[float], None],
    ) -> dict[str, JSONValue]:
        """Run chunk ``chunk``; a summary of what happened. A cancelled job raises TaskCancelled; any other
        error fails the run (every later chunk then stops at once) and is raised again."""
        run = self._store.get(company_group_id, simulation_id)
        if run.status.finished:
            return {"simulation": simulation_id, "chunk": chunk, "skipped": f"the run is {run.status.value}"}
        try:
            first, iterations = run.chunk_bounds(chunk)
            self._store.start(company_group_id, simulation_id, self._clock.now())
            scenario = self._store.scenario(company_group_id, simulation_id)

            def progress(done: float) -> None:
                if cancelled():
                    raise TaskCancelled(f"simulation {simulation_id} was cancelled")
                report(done)

            progress(0.0)
            outputs = self._simulator.run_block(
                scenario,
                engine=run.engine,
                first_iteration=first,
                iterations=iterations,
                seed=run.seed,
                progress=progress,
            )
            run = self._store.save_chunk(company_group_id, simulation_id, chunk, outputs)
            if run.status is SimulationStatus.RUNNING and run.chunks_done == run.chunks_total:
                blocks = self._store.chunk_outputs(company_group_id, simulation_id)
                result = self._simulator.combine(scenario, engine=run.engine, seed=run.seed, blocks=blocks)
                run = self._store.finish(company_group_id, simulation_id, result, self._clock.now())
        except TaskCancelled:
            raise
        except Exception as exc:
            self._store.fail(company_group_id, simulation_id, describe_error(exc), self._clock.now())
            raise
        return {
            "simulation": simulation_id,
            "chunk": chunk,
            "iterations": iterations,
            "status": run.status.value,
            "chunks_done": run.chunks_done,
        }
