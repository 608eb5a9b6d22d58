"""What the simulation service needs from outside: a store for runs and their chunks, and an engine that runs
blocks of iterations and combines them.

Every store method takes the company group first and never touches another company group's runs: a run of
another tenant is :class:`~hireflow.shared.errors.NotFound`, exactly like a run that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from hireflow.domain.models.workforce import Scenario
from hireflow.domain.models.workforce_results import SimulationResult
from hireflow.domain.models.workforce_runs import EngineName, SimulationRun


class SimulationStore(Protocol):
    """Simulation runs of every tenant; each state change is one short transaction.

    The status only moves forward (queued -> running -> succeeded | failed | cancelled): the methods that
    change it do nothing to a run that is already past the state they start from, and return it as it is.
    """

    def add(self, run: SimulationRun, scenario: Scenario) -> SimulationRun:
        """Store a new run (``id`` None) and its resolved scenario; the stored run."""
        ...

    def get(self, company_group_id: int, simulation_id: int) -> SimulationRun:
        """The run; NotFound when it does not exist or is another company group's."""
        ...

    def recent(
        self, company_group_id: int, *, limit: int, before_id: int | None = None
    ) -> Sequence[SimulationRun]:
        """Up to ``limit`` runs, newest first, those with an id below ``before_id`` when it is given."""
        ...

    def scenario(self, company_group_id: int, simulation_id: int) -> Scenario:
        """The resolved scenario the run simulates; NotFound as for :meth:`get`."""
        ...

    def result(self, company_group_id: int, simulation_id: int) -> SimulationResult | None:
        """The run's result once it succeeded, else None; NotFound as for :meth:`get`."""
        ...

    def attach_jobs(self, company_group_id: int, simulation_id: int, job_ids: Sequence[str]) -> None:
        """Remember the background jobs running the chunks (to cancel them)."""
        ...

    def job_ids(self, company_group_id: int, simulation_id: int) -> list[str]:
        """The background jobs of the run's chunks."""
        ...

    def start(self, company_group_id: int, simulation_id: int, at: datetime) -> SimulationRun:
        """queued -> running (``started_at`` = ``at``)."""
        ...

    def save_chunk(
        self, company_group_id: int, simulation_id: int, chunk: int, outputs: bytes
    ) -> SimulationRun:
        """Keep the outputs of a finished chunk and count it done, once: saving a chunk again, or a chunk of a
        finished run, changes nothing. The run after the change (``chunks_done == chunks_total``: all done)."""
        ...

    def chunk_outputs(self, company_group_id: int, simulation_id: int) -> list[bytes]:
        """The outputs of every saved chunk, in chunk order."""
        ...

    def finish(
        self, company_group_id: int, simulation_id: int, result: SimulationResult, at: datetime
    ) -> SimulationRun:
        """running -> succeeded with ``result``; the chunks' outputs are deleted."""
        ...

    def fail(self, company_group_id: int, simulation_id: int, error: str, at: datetime) -> SimulationRun:
        """queued or running -> failed with ``error``; the chunks' outputs are deleted."""
        ...

    def cancel(self, company_group_id: int, simulation_id: int, at: datetime) -> SimulationRun:
        """queued or running -> cancelled; the chunks' outputs are deleted."""
        ...


class BlockSimulator(Protocol):
    """Runs a resolved scenario in blocks of iterations whose outputs combine into exactly the result one run
    over all of them would aggregate. A block's outputs are opaque bytes, to be stored and handed back."""

    def run_block(
        self,
        scenario: Scenario,
        *,
        engine: EngineName,
        first_iteration: int,
        iterations: int,
        seed: int,
        progress: Callable[[float], None] | None = None,
    ) -> bytes:
        """Iterations ``first_iteration`` onwards; the same arguments give the same bytes' content."""
        ...

    def combine(
        self, scenario: Scenario, *, engine: EngineName, seed: int, blocks: Sequence[bytes]
    ) -> SimulationResult:
        """The result of every block's iterations together; ValueError when a block is not one it made."""
        ...
