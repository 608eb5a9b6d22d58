"""Simulation runs end to end below the API: the real store (SQLite and PostgreSQL), the in-process job
runner and both engines. Chunks run as background jobs and combine into exactly one run's result."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.models.workforce import Scenario
from hireflow.domain.models.workforce_runs import EngineName, SimulationRun, SimulationStatus
from hireflow.domain.ports.background_jobs import TaskContext
from hireflow.domain.services.background_jobs import TaskRegistry
from hireflow.domain.services.workforce_runs import (
    CHUNK_TASK,
    SimulationChunks,
    SimulationPolicy,
    Simulations,
)
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.workforce import SqlAlchemySimulationStore
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.infra.jobs.in_process import InProcessJobRunner
from hireflow.infra.workforce.agents import MesaEngine
from hireflow.infra.workforce.blocks import EngineBlocks
from hireflow.shared.clock import SystemClock
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from tests.unit.workforce.scenarios import role_data

CLOCK = SystemClock()


def scenario_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "chunked",
        "roles": [role_data("Agent", headcount=12), role_data("Analyst", headcount=6, exposure=0.2)],
        "automation_factor": 0.5,
        "adoption": {"kind": "linear", "start_step": 0, "end_step": 6},
        "policy": {"kind": "redeploy", "reskilling_cost_per_employee": 300_000, "delay_months": 1},
        "horizon_steps": 8,
        "iterations": 10,
        "seed": 11,
    }
    return data | changes


class World:
    """Two company groups, a store, and a runner whose chunk task uses ``simulator``."""

    def __init__(self, engine: Engine, simulator: Any, chunk_iterations: int = 4) -> None:
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        with sqlalchemy_uow_factory(self.sessions)() as uow:
            self.a = _id(uow.company_groups.add(CompanyGroup(name="A", slug="a")).id)
            self.b = _id(uow.company_groups.add(CompanyGroup(name="B", slug="b")).id)
            uow.commit()
        self.store = SqlAlchemySimulationStore(self.sessions)
        chunks = SimulationChunks(self.store, simulator, CLOCK)

        def simulate_chunk(context: TaskContext, simulation_id: int, chunk: int) -> Any:
            assert context.company_group_id is not None
            return chunks.run(
                context.company_group_id,
                simulation_id,
                chunk,
                cancelled=lambda: context.cancelled,
                report=context.report,
            )

        registry = TaskRegistry()
        registry.register(CHUNK_TASK, simulate_chunk)
        self.runner = InProcessJobRunner(registry, max_workers=2)
        self.simulations = Simulations(
            self.store,
            self.runner,
            CLOCK,
            tables=lambda: (None, None),
            policy=SimulationPolicy(chunk_iterations=chunk_iterations),
        )

    def wait(self, run: SimulationRun, until: Callable[[SimulationRun], bool] | None = None) -> SimulationRun:
        deadline = time.monotonic() + 30
        check = until or (lambda current: current.status.finished)
        while True:
            current = self.simulations.get(run.company_group_id, _id(run.id))
            if check(current) or time.monotonic() > deadline:
                return current
            time.sleep(0.02)

    def chunk_rows(self) -> int:
        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(t.SimulationChunk)) or 0)


def _id(value: int | None) -> int:
    assert value is not None
    return value


@pytest.fixture
def world(engine: Engine) -> Iterator[World]:
    made = World(engine, EngineBlocks())
    yield made
    made.runner.shutdown(wait=True)


def test_chunks_run_as_jobs_and_combine_into_exactly_what_one_mesa_run_reports(world: World) -> None:
    run = world.simulations.submit(world.a, scenario_data(), engine="mesa", user_id=None)

    assert run.status in {SimulationStatus.QUEUED, SimulationStatus.RUNNING}  # the chunks may have started
    assert (run.chunks_total, run.chunk_iterations) == (3, 4)
    done = world.wait(run)
    assert done.status is SimulationStatus.SUCCEEDED, done.error
    assert (done.chunks_done, done.progress, done.engine) == (3, 1.0, "mesa")
    assert done.started_at is not None
    assert done.finished_at is not None
    result = world.simulations.result(world.a, _id(run.id))
    scenario = world.simulations.scenario(world.a, _id(run.id))
    # Mesa seeds iteration i the same way in a block as in a whole run: three chunks equal one run exactly.
    assert result == MesaEngine().run(scenario)
    assert world.chunk_rows() == 0  # combined, then dropped


def test_a_vectorized_run_is_reproducible_and_its_chunks_combine_as_computed_apart(world: World) -> None:
    first = world.wait(world.simulations.submit(world.a, scenario_data(iterations=9), engine="vectorized"))
    second = world.wait(world.simulations.submit(world.a, scenario_data(iterations=9), engine="vectorized"))

    one, two = (world.simulations.result(world.a, _id(run.id)) for run in (first, second))
    assert one == two
    scenario = world.simulations.scenario(world.a, _id(first.id))
    blocks = EngineBlocks()
    apart = [
        blocks.run_block(
            scenario, engine="vectorized", first_iteration=first_iteration, iterations=count, seed=11
        )
        for first_iteration, count in ((0, 4), (4, 4), (8, 1))
    ]
    assert one == blocks.combine(scenario, engine="vectorized", seed=11, blocks=apart)
    assert one.iterations == 9
    assert len(one.series) == 8 * 3  # every output, in total and for each of the two roles


def test_bad_scenarios_are_refused_with_every_problem_and_store_nothing(world: World) -> None:
    bad = scenario_data(
        roles=[
            role_data("Agent", headcount=-3),
            role_data("Analyst", exposure=1.5),
            {**role_data("Clerk", soc_code="43-9061"), "exposure": None},
        ],
        iterations=20_000,
    )
    with pytest.raises(ValidationFailed) as failure:
        world.simulations.submit(world.a, bad)

    fields = {error["field"] for error in failure.value.errors}
    assert {"roles.0.headcount", "roles.1.exposure", "roles.2.exposure", "iterations"} <= fields
    assert any("HIREFLOW_OCCUPATION_EXPOSURES_PATH" in error["message"] for error in failure.value.errors)
    assert world.simulations.recent(world.a, limit=10) == []


def test_a_run_too_large_to_keep_for_combining_is_refused(engine: Engine) -> None:
    world = World(engine, EngineBlocks())
    world.simulations = Simulations(
        world.store,
        world.runner,
        CLOCK,
        tables=lambda: (None, None),
        policy=SimulationPolicy(max_stored_values=100),
    )
    with pytest.raises(ValidationFailed, match=r"values per output .* exceed the limit of 100"):
        world.simulations.submit(world.a, scenario_data())


def test_another_company_group_sees_nothing_of_a_run(world: World) -> None:
    run = world.wait(world.simulations.submit(world.a, scenario_data(iterations=2)))
    run_id = _id(run.id)

    for read in (world.simulations.get, world.simulations.result, world.simulations.scenario):
        with pytest.raises(NotFound):
            read(world.b, run_id)
    with pytest.raises(NotFound):
        world.simulations.cancel(world.b, run_id)
    assert world.simulations.recent(world.b, limit=10) == []
    assert world.simulations.get(world.a, run_id).status is SimulationStatus.SUCCEEDED


def test_runs_are_listed_newest_first_page_by_page(world: World) -> None:
    ids = [_id(world.simulations.submit(world.a, scenario_data(iterations=1)).id) for _ in range(3)]

    first = world.simulations.recent(world.a, limit=2)
    rest = world.simulations.recent(world.a, limit=2, before_id=_id(first[-1].id))
    assert [run.id for run in [*first, *rest]] == ids[::-1]


class SlowBlocks(EngineBlocks):
    """Blocks that report progress slowly, so a test can cancel mid-run."""

    def run_block(self, scenario: Scenario, **kwargs: Any) -> bytes:
        progress = kwargs.pop("progress")
        for step in range(200):
            time.sleep(0.01)
            progress(step / 200)
        return super().run_block(scenario, progress=progress, **kwargs)


def test_cancelling_stops_the_running_chunks_and_keeps_the_run_cancelled(engine: Engine) -> None:
    world = World(engine, SlowBlocks(), chunk_iterations=1)
    run = world.simulations.submit(world.a, scenario_data(iterations=6))
    world.wait(run, until=lambda current: current.status is SimulationStatus.RUNNING)

    cancelled = world.simulations.cancel(world.a, _id(run.id))

    assert cancelled.status is SimulationStatus.CANCELLED
    world.runner.shutdown(wait=True)  # every chunk job has stopped (or been dropped)
    after = world.simulations.get(world.a, _id(run.id))
    assert after.status is SimulationStatus.CANCELLED
    assert after.chunks_done < 6
    assert world.chunk_rows() == 0
    with pytest.raises(Conflict, match="it is cancelled"):
        world.simulations.result(world.a, _id(run.id))
    assert world.simulations.cancel(world.a, _id(run.id)).status is SimulationStatus.CANCELLED


class FailingBlocks(EngineBlocks):
    """Chunk 1 (iterations 4-7) breaks."""

    def run_block(self, scenario: Scenario, **kwargs: Any) -> bytes:
        if kwargs["first_iteration"] == 4:
            raise RuntimeError("worker ran out of memory")
        return super().run_block(scenario, **kwargs)


def test_a_failing_chunk_fails_the_run_with_its_error(engine: Engine) -> None:
    world = World(engine, FailingBlocks())
    run = world.wait(world.simulations.submit(world.a, scenario_data()))

    assert run.status is SimulationStatus.FAILED
    assert run.error == "RuntimeError: worker ran out of memory"
    with pytest.raises(Conflict, match="it is failed"):
        world.simulations.result(world.a, _id(run.id))
    world.runner.shutdown(wait=True)
    assert world.chunk_rows() == 0


def test_saving_a_chunk_twice_counts_it_once(world: World) -> None:
    store = world.store
    run = store.add(
        SimulationRun(
            company_group_id=world.a,
            name="manual",
            engine="vectorized",
            iterations=2,
            seed=1,
            horizon_steps=1,
            employees=1,
            chunk_iterations=1,
            chunks_total=2,
        ),
        Scenario.model_validate(scenario_data()),
    )
    run_id = _id(run.id)
    store.start(world.a, run_id, CLOCK.now())

    assert store.save_chunk(world.a, run_id, 0, b"first").chunks_done == 1
    assert store.save_chunk(world.a, run_id, 0, b"again").chunks_done == 1
    assert store.chunk_outputs(world.a, run_id) == [b"first"]
    assert store.chunk_outputs(world.b, run_id) == []
    store.cancel(world.a, run_id, CLOCK.now())
    assert store.save_chunk(world.a, run_id, 1, b"late").chunks_done == 1  # a finished run takes no more


def test_a_corrupt_block_fails_the_combination_clearly() -> None:
    scenario = Scenario.model_validate(scenario_data())
    with pytest.raises(ValueError, match="not the outputs of a simulation chunk"):
        EngineBlocks().combine(scenario, engine="vectorized", seed=1, blocks=[b"not an npz"])


def _engines() -> Sequence[EngineName]:
    return ("mesa", "vectorized")


@pytest.mark.parametrize("engine_name", _engines())
def test_blocks_of_the_wrong_shape_are_refused(engine_name: EngineName) -> None:
    scenario = Scenario.model_validate(scenario_data())
    block = EngineBlocks().run_block(scenario, engine=engine_name, first_iteration=0, iterations=1, seed=1)
    other = Scenario.model_validate(scenario_data(horizon_steps=5))
    with pytest.raises(ValueError, match="does not fit 5 steps"):
        EngineBlocks().combine(other, engine=engine_name, seed=1, blocks=[block])
