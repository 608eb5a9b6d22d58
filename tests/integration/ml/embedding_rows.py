"""Rows of ``embeddings`` written straight with SQL, the way the embedding store writes them: each write takes
the set's next revision (creating the set at revision 1) and stamps every row it writes with it, tombstones
included. Vector index tests use it to change the source under an index without depending on the store."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine, text

MODEL = "test-model"


def new_company_group(engine: Engine, slug: str) -> int:
    """Insert a company group; its id."""
    with engine.begin() as connection:
        return int(
            connection.execute(
                text("INSERT INTO company_groups (name, slug) VALUES (:name, :slug) RETURNING id"),
                {"name": slug.title(), "slug": slug},
            ).scalar_one()
        )


def unit_vectors(rng: np.random.Generator, count: int, dimensions: int) -> NDArray[np.float32]:
    """``count`` random float32 vectors of length 1."""
    vectors = rng.normal(size=(count, dimensions))
    unit: NDArray[np.float32] = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    return unit


class EmbeddingWriter:
    """Writes one company group's embeddings of one entity as the store does."""

    def __init__(
        self, engine: Engine, company_group_id: int, entity: str = "candidate", dimensions: int = 16
    ) -> None:
        self.engine = engine
        self.company_group_id = company_group_id
        self.entity = entity
        self.dimensions = dimensions

    def write(self, vectors: Mapping[int, NDArray[np.float32] | None]) -> int:
        """Store each record's vector (None: a tombstone) in one transaction; the revision it took."""
        with self.engine.begin() as connection:
            revision = self._next_revision(connection)
            self._stamp(connection, vectors, revision)
        return revision

    def renew(self, vectors: Mapping[int, NDArray[np.float32]]) -> int:
        """Empty the set under a new generation (every row a tombstone), then store ``vectors``, in one
        transaction, as the store does when the model changes; the revision it took."""
        with self.engine.begin() as connection:
            revision = self._next_revision(connection)
            connection.execute(
                text(
                    "UPDATE embedding_sets SET generation = :generation "
                    "WHERE company_group_id = :company_group_id AND entity = :entity"
                ),
                {**self._key, "generation": secrets.token_hex(8)},
            )
            connection.execute(
                text(
                    "UPDATE embeddings SET vector = NULL, revision = :revision "
                    "WHERE company_group_id = :company_group_id AND entity = :entity"
                ),
                {**self._key, "revision": revision},
            )
            self._stamp(connection, vectors, revision)
        return revision

    def delete_everything(self) -> None:
        """Delete the set and its rows, as a database emptied or restored from an empty backup."""
        with self.engine.begin() as connection:
            for table in ("embeddings", "embedding_sets"):
                connection.execute(
                    text(
                        f"DELETE FROM {table} WHERE company_group_id = :company_group_id AND entity = :entity"
                    ),
                    self._key,
                )

    def set_revision(self, revision: int) -> None:
        """Force the set's revision, as a restore of an older backup would."""
        with self.engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE embedding_sets SET revision = :revision "
                    "WHERE company_group_id = :company_group_id AND entity = :entity"
                ),
                {**self._key, "revision": revision},
            )

    @property
    def _key(self) -> dict[str, object]:
        return {"company_group_id": self.company_group_id, "entity": self.entity}

    def _next_revision(self, connection: Connection) -> int:
        bumped = connection.execute(
            text(
                "UPDATE embedding_sets SET revision = revision + 1 "
                "WHERE company_group_id = :company_group_id AND entity = :entity RETURNING revision"
            ),
            self._key,
        ).scalar_one_or_none()
        if bumped is not None:
            return int(bumped)
        connection.execute(
            text(
                "INSERT INTO embedding_sets (company_group_id, entity, model, dimensions, generation, revision) "
                "VALUES (:company_group_id, :entity, :model, :dimensions, :generation, 1)"
            ),
            {**self._key, "model": MODEL, "dimensions": self.dimensions, "generation": secrets.token_hex(8)},
        )
        return 1

    def _stamp(
        self, connection: Connection, vectors: Mapping[int, NDArray[np.float32] | None], revision: int
    ) -> None:
        rows = [
            {
                **self._key,
                "record_id": record_id,
                "content_hash": f"h{record_id}",
                "vector": None if vector is None else np.asarray(vector, dtype="<f4").tobytes(),
                "revision": revision,
            }
            for record_id, vector in vectors.items()
        ]
        if not rows:
            return
        connection.execute(
            text(
                "INSERT INTO embeddings (company_group_id, entity, record_id, content_hash, vector, revision) "
                "VALUES (:company_group_id, :entity, :record_id, :content_hash, :vector, :revision) "
                "ON CONFLICT (company_group_id, entity, record_id) DO UPDATE SET "
                "content_hash = excluded.content_hash, vector = excluded.vector, revision = excluded.revision"
            ),
            rows,
        )
