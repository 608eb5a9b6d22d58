"""The SQLAlchemy simulation store: one short transaction per call, every query filtered on the company group.

State changes write first (a conditional UPDATE) and read after: on SQLite a transaction that reads and then
writes can fail when another connection wrote in between, which concurrent chunks on one database do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from hireflow.domain.models.workforce import Scenario
from hireflow.domain.models.workforce_results import SimulationResult
from hireflow.domain.models.workforce_runs import SimulationRun, SimulationStatus
from hireflow.infra.db import tables as t
from hireflow.shared.errors import NotFound

_OPEN = (SimulationStatus.QUEUED.value, SimulationStatus.RUNNING.value)
_RUN_COLUMNS = [
    column
    for column in t.SimulationRun.__table__.columns
    if column.name not in ("scenario", "result", "job_ids")
]


class SqlAlchemySimulationStore:
    """A :class:`~hireflow.domain.ports.workforce_runs.SimulationStore` over a session factory."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def add(self, run: SimulationRun, scenario: Scenario) -> SimulationRun:
        values = run.model_dump(exclude={"id", "created_at", "updated_at"}, exclude_none=True)
        with self._session_factory() as session, session.begin():
            row = t.SimulationRun(**values, scenario=scenario.model_dump(mode="json"))
            session.add(row)
            session.flush()
            return _run(row)

    def get(self, company_group_id: int, simulation_id: int) -> SimulationRun:
        with self._session_factory() as session:
            row = session.execute(
                select(*_RUN_COLUMNS).where(*_this(company_group_id, simulation_id))
            ).one_or_none()
        if row is None:
            raise NotFound("simulation", simulation_id)
        return SimulationRun.model_validate(row._asdict())

    def recent(
        self, company_group_id: int, *, limit: int, before_id: int | None = None
    ) -> Sequence[SimulationRun]:
        query = (
            select(*_RUN_COLUMNS)
            .where(t.SimulationRun.company_group_id == company_group_id)
            .order_by(t.SimulationRun.id.desc())
            .limit(limit)
        )
        if before_id is not None:
            query = query.where(t.SimulationRun.id < before_id)
        with self._session_factory() as session:
            return [SimulationRun.model_validate(row._asdict()) for row in session.execute(query)]

    def scenario(self, company_group_id: int, simulation_id: int) -> Scenario:
        return Scenario.model_validate(
            self._column(company_group_id, simulation_id, t.SimulationRun.scenario)
        )

    def result(self, company_group_id: int, simulation_id: int) -> SimulationResult | None:
        stored = self._column(company_group_id, simulation_id, t.SimulationRun.result)
        return None if stored is None else SimulationResult.model_validate(stored)

    def attach_jobs(self, company_group_id: int, simulation_id: int, job_ids: Sequence[str]) -> None:
        self._update(company_group_id, simulation_id, {"job_ids": list(job_ids)})

    def job_ids(self, company_group_id: int, simulation_id: int) -> list[str]:
        return list(self._column(company_group_id, simulation_id, t.SimulationRun.job_ids))

    def start(self, company_group_id: int, simulation_id: int, at: datetime) -> SimulationRun:
        values = {"status": SimulationStatus.RUNNING.value, "started_at": at}
        return self._move(company_group_id, simulation_id, (SimulationStatus.QUEUED.value,), values)

    def save_chunk(
        self, company_group_id: int, simulation_id: int, chunk: int, outputs: bytes
    ) -> SimulationRun:
        with self._session_factory() as session, session.begin():
            saved = select(t.SimulationChunk.chunk).where(
                t.SimulationChunk.simulation_id == simulation_id, t.SimulationChunk.chunk == chunk
            )
            counted = session.execute(
                update(t.SimulationRun)
                .where(*_this(company_group_id, simulation_id), t.SimulationRun.status.in_(_OPEN))
                .where(~saved.exists())
                .values(chunks_done=t.SimulationRun.chunks_done + 1)
            )
            if counted.rowcount:  # type: ignore[attr-defined]
                session.execute(
                    insert(t.SimulationChunk).values(
                        simulation_id=simulation_id, chunk=chunk, outputs=outputs
                    )
                )
        return self.get(company_group_id, simulation_id)

    def chunk_outputs(self, company_group_id: int, simulation_id: int) -> list[bytes]:
        query = (
            select(t.SimulationChunk.outputs)
            .join(t.SimulationRun, t.SimulationRun.id == t.SimulationChunk.simulation_id)
            .where(*_this(company_group_id, simulation_id))
            .order_by(t.SimulationChunk.chunk)
        )
        with self._session_factory() as session:
            return list(session.scalars(query))

    def finish(
        self, company_group_id: int, simulation_id: int, result: SimulationResult, at: datetime
    ) -> SimulationRun:
        values = {
            "status": SimulationStatus.SUCCEEDED.value,
            "finished_at": at,
            "result": result.model_dump(mode="json"),
        }
        return self._move(company_group_id, simulation_id, (SimulationStatus.RUNNING.value,), values)

    def fail(self, company_group_id: int, simulation_id: int, error: str, at: datetime) -> SimulationRun:
        values = {"status": SimulationStatus.FAILED.value, "finished_at": at, "error": error}
        return self._move(company_group_id, simulation_id, _OPEN, values)

    def cancel(self, company_group_id: int, simulation_id: int, at: datetime) -> SimulationRun:
        values = {"status": SimulationStatus.CANCELLED.value, "finished_at": at}
        return self._move(company_group_id, simulation_id, _OPEN, values)

    def _move(
        self, company_group_id: int, simulation_id: int, from_states: tuple[str, ...], values: dict[str, Any]
    ) -> SimulationRun:
        """Apply ``values`` when the run is in one of ``from_states``; a final state drops the chunks."""
        with self._session_factory() as session, session.begin():
            moved = session.execute(
                update(t.SimulationRun)
                .where(*_this(company_group_id, simulation_id), t.SimulationRun.status.in_(from_states))
                .values(**values)
            )
            if moved.rowcount and SimulationStatus(values["status"]).finished:  # type: ignore[attr-defined]
                session.execute(
                    delete(t.SimulationChunk).where(t.SimulationChunk.simulation_id == simulation_id)
                )
        return self.get(company_group_id, simulation_id)

    def _update(self, company_group_id: int, simulation_id: int, values: dict[str, Any]) -> None:
        with self._session_factory() as session, session.begin():
            changed = session.execute(
                update(t.SimulationRun).where(*_this(company_group_id, simulation_id)).values(**values)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                raise NotFound("simulation", simulation_id)

    def _column(self, company_group_id: int, simulation_id: int, column: Any) -> Any:
        with self._session_factory() as session:
            found = session.execute(
                select(column).where(*_this(company_group_id, simulation_id))
            ).one_or_none()
        if found is None:
            raise NotFound("simulation", simulation_id)
        return found[0]


def _this(company_group_id: int, simulation_id: int) -> tuple[Any, ...]:
    return (t.SimulationRun.id == simulation_id, t.SimulationRun.company_group_id == company_group_id)


def _run(row: t.SimulationRun) -> SimulationRun:
    return SimulationRun.model_validate({column.name: getattr(row, column.key) for column in _RUN_COLUMNS})
