"""Workforce context: a simulation run submitted through the API, which runs in chunks of iterations.

A run is split into ``chunks_total`` chunks of at most ``chunk_iterations`` iterations, each a background job,
so workers on several machines share one simulation. The run is ``running`` from its first chunk's start
until the chunk that completes it has combined every chunk's outputs into the result (``succeeded``), or until
a chunk fails (``failed``) or someone cancels it (``cancelled``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field

from hireflow.domain.models.base import TenantEntity

EngineName = Literal["mesa", "vectorized"]
"""The engines: ``mesa`` (one agent per employee) and ``vectorized`` (numpy cohorts)."""


class SimulationStatus(StrEnum):
    """Where a run is: queued -> running -> one of the three final states."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        """True for the final states, which never change again."""
        return self in (SimulationStatus.SUCCEEDED, SimulationStatus.FAILED, SimulationStatus.CANCELLED)


class SimulationRun(TenantEntity):
    """One simulation of one company group (what it is, and how far it has come; the scenario and the result
    are stored beside it)."""

    name: str
    engine: EngineName
    status: SimulationStatus = SimulationStatus.QUEUED
    iterations: int = Field(ge=1)
    seed: int = Field(ge=0)
    horizon_steps: int = Field(ge=1)
    employees: int = Field(ge=0, description="Headcount at step 0")
    chunk_iterations: int = Field(ge=1)
    chunks_total: int = Field(ge=1)
    chunks_done: int = Field(0, ge=0)
    error: str | None = None
    created_by_user_id: int | None = None
    started_at: AwareDatetime | None = None
    finished_at: AwareDatetime | None = None

    @property
    def progress(self) -> float:
        """Share of the chunks done (0-1); 1 only once the result is stored."""
        if self.status is SimulationStatus.SUCCEEDED:
            return 1.0
        return min(self.chunks_done / self.chunks_total, 0.99)

    def chunk_bounds(self, chunk: int) -> tuple[int, int]:
        """``(first iteration, iterations)`` of chunk ``chunk`` (0-based); ValueError outside the run."""
        if not 0 <= chunk < self.chunks_total:
            raise ValueError(f"chunk {chunk} is outside 0..{self.chunks_total - 1}")
        first = chunk * self.chunk_iterations
        return first, min(self.chunk_iterations, self.iterations - first)


def chunk_count(iterations: int, chunk_iterations: int) -> int:
    """How many chunks of at most ``chunk_iterations`` iterations cover ``iterations``."""
    return -(-iterations // chunk_iterations)
