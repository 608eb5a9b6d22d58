"""Exact nearest neighbours by brute force with numpy: the ground truth that tests and benchmarks measure the
approximate indexes against, and a correct (if linear-time) :class:`~hireflow.domain.ports.matching.VectorIndex`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine

from hireflow.domain.models.matching import EmbeddedEntity, Neighbour
from hireflow.infra.ml.vector_index import source

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


def live_vectors(
    engine: Engine, company_group_id: int, entity: EmbeddedEntity
) -> tuple[NDArray[np.uint64], NDArray[np.float32]]:
    """The record ids and vectors of every live embedding of the set (empty arrays when there is none)."""
    import numpy as np

    ids: list[NDArray[np.uint64]] = []
    vectors: list[NDArray[np.float32]] = []
    dimensions = 0
    with engine.connect() as connection:
        embedding_set = source.read_set(connection, company_group_id, entity)
        if embedding_set is not None:
            dimensions = embedding_set.dimensions
            for chunk in source.changes(connection, embedding_set, after=0):
                ids.append(chunk.ids)
                vectors.append(chunk.vectors)
    if not ids:
        return np.empty(0, dtype=np.uint64), np.empty((0, dimensions), dtype=np.float32)
    return np.concatenate(ids), np.concatenate(vectors)


def top_k(
    ids: NDArray[np.uint64], vectors: NDArray[np.float32], queries: NDArray[np.float32], k: int
) -> tuple[NDArray[np.uint64], NDArray[np.float32]]:
    """For each row of ``queries`` (normalised), the ids and cosine similarities of its ``k`` nearest vectors,
    best first. ``k`` is capped at the number of vectors."""
    import numpy as np

    k = min(k, len(ids))
    similarities = queries @ vectors.T
    if k == 0:
        return np.empty((len(queries), 0), dtype=np.uint64), np.empty((len(queries), 0), dtype=np.float32)
    # argpartition then sort the k found: O(n) per query instead of a full O(n log n) sort.
    best = np.argpartition(-similarities, k - 1, axis=1)[:, :k]
    best_similarities = np.take_along_axis(similarities, best, axis=1)
    order = np.argsort(-best_similarities, axis=1, kind="stable")
    best = np.take_along_axis(best, order, axis=1)
    return ids[best], np.take_along_axis(best_similarities, order, axis=1)


class ExactIndex:
    """Nearest neighbours by reading every live vector of the set at each search: exact, no state, O(n)."""

    def __init__(self, engine: Engine, company_group_id: int) -> None:
        self.engine = engine
        self.company_group_id = company_group_id

    def refresh(self, entity: EmbeddedEntity) -> int:
        """Nothing to catch up: the set's revision."""
        with self.engine.connect() as connection:
            embedding_set = source.read_set(connection, self.company_group_id, entity)
        return 0 if embedding_set is None else embedding_set.revision

    def nearest(self, entity: EmbeddedEntity, vector: bytes, k: int) -> list[Neighbour]:
        """Up to ``k`` records by descending cosine similarity to ``vector``."""
        ids, vectors = live_vectors(self.engine, self.company_group_id, entity)
        if len(ids) == 0 or k <= 0:
            return []
        query = source.query_vector(vector, vectors.shape[1])
        found, similarities = top_k(ids, vectors, query.reshape(1, -1), k)
        return [
            Neighbour(record_id=int(record_id), similarity=float(similarity))
            for record_id, similarity in zip(found[0], similarities[0], strict=True)
        ]
