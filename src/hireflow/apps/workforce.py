"""Wiring of the workforce simulation for every entry point: limits and chunking from the settings, the
occupation tables the settings point at, and the services the API and the chunk task use."""

from __future__ import annotations

import threading
from pathlib import Path

from hireflow.domain.models.workforce import ScenarioLimits
from hireflow.domain.ports.background_jobs import JobRunner
from hireflow.domain.ports.workforce import ExposureTable, WageTable
from hireflow.domain.services.workforce_runs import SimulationChunks, SimulationPolicy, Simulations
from hireflow.shared.clock import Clock, SystemClock
from hireflow.shared.config import Settings


def scenario_limits(settings: Settings) -> ScenarioLimits:
    """The limits every run must respect (``HIREFLOW_SIMULATION_MAX_*``)."""
    return ScenarioLimits(
        max_employees=settings.simulation_max_employees,
        max_iterations=settings.simulation_max_iterations,
        max_steps=settings.simulation_max_steps,
        max_employee_steps=settings.simulation_max_employee_steps,
    )


def simulation_policy(settings: Settings) -> SimulationPolicy:
    """Limits and chunking of API runs."""
    return SimulationPolicy(
        limits=scenario_limits(settings),
        chunk_iterations=settings.simulation_chunk_iterations,
        max_stored_values=settings.simulation_max_stored_values,
    )


class OccupationTables:
    """The occupation files the settings name, read on first need and kept (they are a few hundred KB)."""

    def __init__(self, exposures_path: Path | None, wages_path: Path | None) -> None:
        self._paths = (exposures_path, wages_path)
        self._loaded: tuple[ExposureTable | None, WageTable | None] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> tuple[ExposureTable | None, WageTable | None]:
        with self._lock:
            if self._loaded is None:
                from hireflow.infra.workforce import load_occupation_exposures, load_oes_wages

                exposures_path, wages_path = self._paths
                self._loaded = (
                    load_occupation_exposures(exposures_path) if exposures_path is not None else None,
                    load_oes_wages(wages_path) if wages_path is not None else None,
                )
            return self._loaded


def simulations(settings: Settings, runner: JobRunner, *, clock: Clock | None = None) -> Simulations:
    """The API's simulation service over the database and ``runner``."""
    from hireflow.infra.db.repositories.workforce import SqlAlchemySimulationStore
    from hireflow.infra.db.session import SessionLocal

    return Simulations(
        SqlAlchemySimulationStore(SessionLocal),
        runner,
        clock or SystemClock(),
        tables=OccupationTables(settings.occupation_exposures_path, settings.occupation_wages_path),
        policy=simulation_policy(settings),
    )


def simulation_chunks(clock: Clock | None = None) -> SimulationChunks:
    """The chunk runner a background job uses, over the database the settings name."""
    from hireflow.infra.db.repositories.workforce import SqlAlchemySimulationStore
    from hireflow.infra.db.session import SessionLocal
    from hireflow.infra.workforce.blocks import EngineBlocks

    return SimulationChunks(SqlAlchemySimulationStore(SessionLocal), EngineBlocks(), clock or SystemClock())
