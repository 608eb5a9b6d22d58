"""One simulation shared by two Dramatiq workers, as on two machines: each has its own broker connection and
task registry, both consume the same Redis queue and write to the same database, and the chunks they run
combine into exactly the result of one run."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import dramatiq
import pytest
from sqlalchemy import Engine

from hireflow.apps import tasks
from hireflow.apps.tasks import hireflow_tasks
from hireflow.apps.workforce import OccupationTables
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.models.workforce_runs import SimulationStatus
from hireflow.domain.ports.background_jobs import TaskContext
from hireflow.domain.services.background_jobs import TaskRegistry
from hireflow.domain.services.workforce_runs import CHUNK_TASK, SimulationPolicy, Simulations
from hireflow.infra.db.repositories.workforce import SqlAlchemySimulationStore
from hireflow.infra.db.session import SessionLocal
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.infra.jobs.dramatiq_runner import DramatiqJobRunner
from hireflow.infra.workforce.agents import MesaEngine
from hireflow.shared.clock import SystemClock
from tests.redis_support import unique_name
from tests.unit.workforce.scenarios import role_data

pytestmark = pytest.mark.redis


class Machine:
    """A worker process's view: its own registry (the real chunk task, recording who ran what) and runner."""

    def __init__(
        self, label: str, redis_url: str, key_prefix: str, queue: str, ran: list[tuple[str, int]]
    ) -> None:
        self.label, self.ran, self.started = label, ran, threading.Event()
        registry = TaskRegistry()

        def simulate_chunk(context: TaskContext, simulation_id: int, chunk: int) -> Any:
            self.started.set()
            self.ran.append((label, chunk))
            if self.label == "first" and len(self.ran) == 1:
                # Hold the first chunk until the other machine has taken one: the two share the simulation.
                assert OTHER_STARTED.wait(10), "the second worker never took a chunk"
            return tasks.simulate_chunk(context, simulation_id, chunk)

        registry.register(CHUNK_TASK, simulate_chunk)
        self.runner = DramatiqJobRunner(
            registry, redis_url=redis_url, queue_name=queue, key_prefix=key_prefix, poll_interval=0.01
        )
        self.worker = dramatiq.Worker(self.runner.broker, worker_threads=1, worker_timeout=50)


OTHER_STARTED = threading.Event()


@pytest.fixture
def database(engine: Engine) -> Iterator[Engine]:
    SessionLocal.configure(engine)
    yield engine
    SessionLocal.dispose()


def test_two_workers_share_one_simulation_and_its_chunks_combine_exactly(
    database: Engine, redis_url: str, key_prefix: str
) -> None:
    with sqlalchemy_uow_factory(SessionLocal)() as uow:
        tenant = uow.company_groups.add(CompanyGroup(name="A", slug="a")).id
        uow.commit()
    assert tenant is not None
    queue, ran = unique_name("q"), []
    first = Machine("first", redis_url, key_prefix, queue, ran)
    second = Machine("second", redis_url, key_prefix, queue, ran)
    OTHER_STARTED.clear()
    threading.Thread(target=lambda: second.started.wait(20) and OTHER_STARTED.set(), daemon=True).start()
    api = DramatiqJobRunner(hireflow_tasks(), redis_url=redis_url, queue_name=queue, key_prefix=key_prefix)
    store = SqlAlchemySimulationStore(SessionLocal)
    simulations = Simulations(
        store,
        api,
        SystemClock(),
        tables=OccupationTables(None, None),
        policy=SimulationPolicy(chunk_iterations=2),
    )
    scenario = {
        "name": "shared",
        "roles": [role_data("Agent", headcount=10), role_data("Analyst", headcount=4, exposure=0.2)],
        "automation_factor": 0.5,
        "adoption": {"kind": "linear", "start_step": 0, "end_step": 6},
        "horizon_steps": 6,
        "iterations": 8,
        "seed": 5,
    }
    first.worker.start()
    second.worker.start()
    try:
        run = simulations.submit(tenant, scenario, engine="mesa")
        assert run.id is not None
        deadline = time.monotonic() + 60
        while not simulations.get(tenant, run.id).status.finished and time.monotonic() < deadline:
            time.sleep(0.05)
        done = simulations.get(tenant, run.id)
    finally:
        for machine in (first, second):
            machine.worker.stop(timeout=10_000)
            machine.runner.close()
        api.close()

    assert done.status is SimulationStatus.SUCCEEDED, done.error
    assert sorted(chunk for _, chunk in ran) == [0, 1, 2, 3]
    assert {label for label, _ in ran} == {"first", "second"}
    result = simulations.result(tenant, run.id)
    assert result == MesaEngine().run(simulations.scenario(tenant, run.id))
