"""Matching tables: embeddings of candidates and job openings (the source of every vector index), match runs and
the matches they ranked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.matching import EmbeddedEntity, MatchDirection
from hireflow.infra.db.base import (
    EMPTY_JSON_ARRAY,
    EMPTY_JSON_OBJECT,
    Base,
    BigIntId,
    IdMixin,
    JSONType,
    TenantMixin,
    UtcDateTime,
    enum_check,
    utc_now,
    utc_now_default,
)


class EmbeddingSet(Base):
    """One company group's embeddings of one entity: the model, the dimensions, the last write's revision.

    A writer bumps ``revision`` first in its transaction, which also locks the row: writers of a set are
    serialised, so revisions commit in order and an index that applied revision r has seen every row <= r.
    ``generation`` is a random token given when the set is made or emptied (a change of model): an index built
    from another generation is rebuilt rather than caught up.
    """

    __tablename__ = "embedding_sets"
    __table_args__ = (enum_check("entity", EmbeddedEntity),)

    company_group_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("company_groups.id", ondelete="CASCADE"), primary_key=True
    )
    entity: Mapped[str] = mapped_column(String(20), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    dimensions: Mapped[int]
    generation: Mapped[str] = mapped_column(String(32))
    revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utc_now, onupdate=utc_now, server_default=utc_now_default()
    )


class Embedding(Base):
    """One record's embedding: float32 little-endian, normalised; NULL once the record is gone (a tombstone that
    tells derived indexes to drop it)."""

    __tablename__ = "embeddings"
    __table_args__ = (
        enum_check("entity", EmbeddedEntity),
        Index(None, "company_group_id", "entity", "revision"),
    )

    company_group_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("company_groups.id", ondelete="CASCADE"), primary_key=True
    )
    entity: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)
    revision: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utc_now, onupdate=utc_now, server_default=utc_now_default()
    )


class MatchRun(IdMixin, TenantMixin, Base):
    """One ranking computed and stored."""

    __tablename__ = "match_runs"
    __table_args__ = (enum_check("direction", MatchDirection),)

    direction: Mapped[str] = mapped_column(String(30))
    subject_ids: Mapped[list[int]] = mapped_column(JSONType, default=list, server_default=EMPTY_JSON_ARRAY)
    top_k: Mapped[int]
    model: Mapped[str] = mapped_column(String(200))
    weights: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, server_default=EMPTY_JSON_OBJECT)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    matches: Mapped[int] = mapped_column(default=0, server_default="0")


class Match(IdMixin, TenantMixin, Base):
    """One ranked candidate-job pair of a run, with its component scores and explanation."""

    __tablename__ = "matches"
    __table_args__ = (
        Index(None, "run_id", "job_id", "rank"),
        Index(None, "company_group_id", "job_id", "run_id"),
        Index(None, "company_group_id", "candidate_id", "run_id"),
    )

    run_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("match_runs.id", ondelete="CASCADE"))
    job_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("jobs.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("candidates.id", ondelete="CASCADE"))
    rank: Mapped[int]
    score: Mapped[float] = mapped_column(Float)
    components: Mapped[dict[str, Any]] = mapped_column(JSONType)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSONType)
