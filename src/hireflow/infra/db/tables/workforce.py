"""Workforce tables: simulation runs (scenario, progress, result) and the outputs of their finished chunks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.workforce_runs import SimulationStatus
from hireflow.infra.db.base import (
    EMPTY_JSON_ARRAY,
    Base,
    BigIntId,
    IdMixin,
    JSONType,
    TenantMixin,
    TimestampMixin,
    enum_check,
)


class SimulationRun(IdMixin, TenantMixin, TimestampMixin, Base):
    """One simulation: the resolved scenario it runs, its chunks' progress, and (once succeeded) the result."""

    __tablename__ = "simulation_runs"
    __table_args__ = (
        enum_check("status", SimulationStatus),
        Index("ix_simulation_runs_company_group_id_id", "company_group_id", "id"),
    )

    name: Mapped[str] = mapped_column(String(200))
    engine: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), server_default=text("'queued'"))
    iterations: Mapped[int]
    seed: Mapped[int] = mapped_column(BigInteger)
    horizon_steps: Mapped[int]
    employees: Mapped[int]
    chunk_iterations: Mapped[int]
    chunks_total: Mapped[int]
    chunks_done: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("users.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    scenario: Mapped[dict[str, Any]] = mapped_column(JSONType)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    job_ids: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default=EMPTY_JSON_ARRAY)


class SimulationChunk(Base):
    """The whole outputs of one finished chunk (a compressed ``.npz``), kept until the run is combined."""

    __tablename__ = "simulation_chunks"

    simulation_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("simulation_runs.id", ondelete="CASCADE"), primary_key=True
    )
    chunk: Mapped[int] = mapped_column(primary_key=True)
    outputs: Mapped[bytes] = mapped_column(LargeBinary)
