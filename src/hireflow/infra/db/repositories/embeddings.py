"""The SQL embedding store: one company group's embeddings, written a transaction per page under a revision.

Each write first bumps the set's revision with an UPDATE, which locks the set's row until the transaction ends
(on SQLite the whole database is locked by the write anyway): two writers of one set take turns, so revision
``r`` commits only after every revision below it, and an index that has applied ``r`` may trust that no row at
or below ``r`` can still appear. Removed records keep a row whose vector is NULL (a tombstone at the revision of
the removal), which is how an index learns to drop them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from hireflow.domain.models.matching import EmbeddedEntity, EmbeddingRow, EmbeddingSet
from hireflow.domain.services.embeddings import MATCHABLE_JOB_STATES
from hireflow.infra.db import tables as t
from hireflow.infra.db.base import utc_now

IDS_PER_QUERY = 500
"""Ids bound in one ``IN (...)``: SQLite caps the parameters of a statement."""


def new_generation() -> str:
    return secrets.token_hex(16)


class SqlAlchemyEmbeddingStore:
    """An :class:`~hireflow.domain.ports.matching.EmbeddingStore` for one company group."""

    def __init__(self, engine: Engine, company_group_id: int) -> None:
        self._engine, self._company_group_id = engine, company_group_id

    def _of(self, entity: EmbeddedEntity) -> Any:
        e = t.Embedding
        return and_(e.company_group_id == self._company_group_id, e.entity == entity.value)

    def embedding_set(self, entity: EmbeddedEntity) -> EmbeddingSet | None:
        s = t.EmbeddingSet
        query = select(s).where(s.company_group_id == self._company_group_id, s.entity == entity.value)
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().one_or_none()
        return None if row is None else EmbeddingSet.model_validate(dict(row))

    def hashes(self, entity: EmbeddedEntity, record_ids: Sequence[int]) -> dict[int, str]:
        e = t.Embedding
        found: dict[int, str] = {}
        with self._engine.connect() as connection:
            for ids in _slices(record_ids):
                query = select(e.record_id, e.content_hash).where(
                    self._of(entity), e.record_id.in_(ids), e.vector.is_not(None)
                )
                found.update(dict(connection.execute(query).all()))  # Rows are (id, hash) pairs
        return found

    def vectors(self, entity: EmbeddedEntity, record_ids: Sequence[int]) -> dict[int, bytes]:
        e = t.Embedding
        found: dict[int, bytes] = {}
        with self._engine.connect() as connection:
            for ids in _slices(record_ids):
                query = select(e.record_id, e.vector).where(
                    self._of(entity), e.record_id.in_(ids), e.vector.is_not(None)
                )
                rows = connection.execute(query)
                found.update({record_id: bytes(vector) for record_id, vector in rows if vector is not None})
        return found

    def count(self, entity: EmbeddedEntity) -> int:
        e = t.Embedding
        query = select(func.count()).select_from(e).where(self._of(entity), e.vector.is_not(None))
        with self._engine.connect() as connection:
            return int(connection.scalar(query) or 0)

    def write(
        self,
        entity: EmbeddedEntity,
        *,
        model: str,
        dimensions: int,
        rows: Sequence[EmbeddingRow],
        removed: Sequence[int] = (),
    ) -> int:
        wrong = [
            row.record_id for row in rows if row.vector is not None and len(row.vector) != 4 * dimensions
        ]
        if wrong:
            raise ValueError(f"vectors of records {wrong[:5]} are not {dimensions} float32 values")
        with self._engine.begin() as connection:
            revision = self._next_revision(connection, entity, model, dimensions)
            if rows:
                self._upsert(connection, entity, rows, revision)
            e = t.Embedding
            for ids in _slices(removed):
                connection.execute(
                    update(e)
                    .where(self._of(entity), e.record_id.in_(ids), e.vector.is_not(None))
                    .values(vector=None, revision=revision, updated_at=utc_now())
                )
        return revision

    def stale(self, entity: EmbeddedEntity, after_id: int, limit: int) -> list[int]:
        e = t.Embedding
        record = t.Candidate if entity is EmbeddedEntity.CANDIDATE else t.Job
        gone = [record.id.is_(None), record.deleted_at.is_not(None)]
        if entity is EmbeddedEntity.CANDIDATE:
            gone.append(t.Candidate.merged_into_id.is_not(None))
        else:
            gone.append(t.Job.status.not_in([state.value for state in MATCHABLE_JOB_STATES]))
        query = (
            select(e.record_id)
            .outerjoin(record, and_(record.id == e.record_id, record.company_group_id == e.company_group_id))
            .where(self._of(entity), e.vector.is_not(None), e.record_id > after_id, or_(*gone))
            .order_by(e.record_id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return list(connection.scalars(query))

    # -- helpers -----------------------------------------------------------------------------------------------
    def _next_revision(
        self, connection: Connection, entity: EmbeddedEntity, model: str, dimensions: int
    ) -> int:
        """Bump (and so lock) the set's revision; make the set, or empty it for a new model, first."""
        s = t.EmbeddingSet
        key = and_(s.company_group_id == self._company_group_id, s.entity == entity.value)
        made = _insert(connection, s).values(
            company_group_id=self._company_group_id,
            entity=entity.value,
            model=model,
            dimensions=dimensions,
            generation=new_generation(),
            revision=0,
        )
        connection.execute(made.on_conflict_do_nothing(index_elements=["company_group_id", "entity"]))
        revision = connection.execute(
            update(s).where(key).values(revision=s.revision + 1, updated_at=utc_now()).returning(s.revision)
        ).scalar_one()
        current = connection.execute(select(s.model, s.dimensions).where(key)).one()
        if (current.model, current.dimensions) != (model, dimensions):
            # Vectors of two models are not comparable: start the set afresh. The new generation tells every
            # index to rebuild rather than catch up.
            connection.execute(delete(t.Embedding).where(self._of(entity)))
            connection.execute(
                update(s).where(key).values(model=model, dimensions=dimensions, generation=new_generation())
            )
        return int(revision)

    def _upsert(
        self, connection: Connection, entity: EmbeddedEntity, rows: Sequence[EmbeddingRow], revision: int
    ) -> None:
        now = utc_now()
        values = [
            {
                "company_group_id": self._company_group_id,
                "entity": entity.value,
                "record_id": row.record_id,
                "content_hash": row.content_hash,
                "vector": row.vector,
                "revision": revision,
                "updated_at": now,
            }
            for row in rows
        ]
        statement = _insert(connection, t.Embedding)
        excluded = statement.excluded
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["company_group_id", "entity", "record_id"],
                set_={
                    "content_hash": excluded.content_hash,
                    "vector": excluded.vector,
                    "revision": excluded.revision,
                    "updated_at": excluded.updated_at,
                },
            ),
            values,
        )


def _insert(connection: Connection, table: Any) -> Any:
    """INSERT with ON CONFLICT for the connection's dialect (both dialects' inserts have the same API)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _slices(ids: Sequence[int]) -> list[list[int]]:
    unique = sorted(set(ids))
    return [unique[start : start + IDS_PER_QUERY] for start in range(0, len(unique), IDS_PER_QUERY)]
