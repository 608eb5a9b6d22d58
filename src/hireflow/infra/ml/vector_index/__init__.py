"""Nearest-neighbour indexes over stored embeddings, derived from the ``embeddings`` table by revision.

- :class:`PgvectorIndex`: pgvector's HNSW index in PostgreSQL (production, where the server has the extension).
- :class:`UsearchIndex`: a usearch HNSW index in memory, checkpointed to a file per company group and entity
  (SQLite, or PostgreSQL without pgvector).
- :class:`ExactIndex` and :func:`top_k`: brute force with numpy, the ground truth of tests and benchmarks.

:func:`build_vector_index` picks one from the settings. Importing this package imports neither numpy, usearch
nor psycopg: they are imported when an index is first used.
"""

from __future__ import annotations

from hireflow.infra.ml.vector_index.exact import ExactIndex, live_vectors, top_k
from hireflow.infra.ml.vector_index.factory import (
    build_vector_index,
    describe_vector_index,
    usearch_directory,
)
from hireflow.infra.ml.vector_index.pgvector_index import PgvectorIndex
from hireflow.infra.ml.vector_index.usearch_index import IndexCache, UsearchIndex

__all__ = [
    "ExactIndex",
    "IndexCache",
    "PgvectorIndex",
    "UsearchIndex",
    "build_vector_index",
    "describe_vector_index",
    "live_vectors",
    "top_k",
    "usearch_directory",
]
