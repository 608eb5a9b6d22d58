"""The source every vector index is derived from: a set's row in ``embedding_sets`` and the ``embeddings`` rows
written since a revision.

Writers serialise on the set row and commit revisions in order, so once a reader has seen the set at revision
R, every row stamped <= R is committed. Reading ``after < revision <= R`` therefore gives exactly the changes
between two states, and the upper bound keeps a concurrent writer's later rows out of a catch-up that records R.
Each record has one row holding its latest state (a vector, or NULL for a tombstone), so the rows can be applied
in any order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from hireflow.domain.models.matching import EmbeddedEntity, EmbeddingSet
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.extras import require

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

CHUNK_ROWS = 10_000
"""Rows converted and applied at a time: a 384-dimension chunk is 15 MB, whatever the set's size."""

_SET = text(
    "SELECT model, dimensions, generation, revision FROM embedding_sets "
    "WHERE company_group_id = :company_group_id AND entity = :entity"
)
_CHANGES = text(
    "SELECT record_id, vector FROM embeddings "
    "WHERE company_group_id = :company_group_id AND entity = :entity "
    "AND revision > :after AND revision <= :upto"
)


@dataclass(frozen=True)
class Changes:
    """One chunk of changes: records to add or replace with their vectors, and records to remove."""

    ids: NDArray[np.uint64]
    vectors: NDArray[np.float32]
    removed: NDArray[np.uint64]


def read_set(connection: Connection, company_group_id: int, entity: EmbeddedEntity) -> EmbeddingSet | None:
    """The set's model, dimensions, generation and revision, or None when the set does not exist."""
    row = connection.execute(
        _SET, {"company_group_id": company_group_id, "entity": entity.value}
    ).one_or_none()
    if row is None:
        return None
    return EmbeddingSet(
        company_group_id=company_group_id,
        entity=entity,
        model=row.model,
        dimensions=row.dimensions,
        generation=row.generation,
        revision=row.revision,
    )


def changes(
    connection: Connection,
    embedding_set: EmbeddingSet,
    *,
    after: int,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[Changes]:
    """The rows of ``embedding_set`` stamped after ``after`` and up to the set's revision, in chunks.

    One statement streams them all (a server-side cursor on PostgreSQL): it reads one snapshot, and costs one
    pass over the index however many chunks there are, where paging by offset or key would rescan.
    """
    require("ml", "numpy", "the vector indexes")
    import numpy as np

    params = {
        "company_group_id": embedding_set.company_group_id,
        "entity": embedding_set.entity.value,
        "after": after,
        "upto": embedding_set.revision,
    }
    streamed = _CHANGES.execution_options(stream_results=True, max_row_buffer=chunk_rows)
    result = connection.execute(streamed, params)
    width = embedding_set.dimensions * 4
    for rows in result.partitions(chunk_rows):
        live = [(record_id, bytes(vector)) for record_id, vector in rows if vector is not None]
        for record_id, vector in live:
            if len(vector) != width:
                raise ValueError(
                    f"embedding of record {record_id} has {len(vector)} bytes, not {width} "
                    f"({embedding_set.dimensions} float32 values)"
                )
        yield Changes(
            ids=np.fromiter((record_id for record_id, _ in live), dtype=np.uint64, count=len(live)),
            vectors=np.frombuffer(b"".join(vector for _, vector in live), dtype="<f4")
            .reshape(len(live), embedding_set.dimensions)
            .astype(np.float32, copy=False),
            removed=np.fromiter((record_id for record_id, vector in rows if vector is None), dtype=np.uint64),
        )


def query_vector(vector: bytes, dimensions: int) -> NDArray[np.float32]:
    """``vector`` as float32 values, refused with a clear error when it is not of the set's dimensions."""
    require("ml", "numpy", "the vector indexes")
    import numpy as np

    if len(vector) != dimensions * 4:
        raise ValidationFailed(
            f"the query vector has {len(vector)} bytes; this set's vectors have {dimensions} float32 values "
            f"({dimensions * 4} bytes)",
            errors=[{"loc": ["vector"], "msg": f"expected {dimensions * 4} bytes"}],
        )
    return np.frombuffer(vector, dtype="<f4").astype(np.float32)
