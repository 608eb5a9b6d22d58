"""Choosing the approximate nearest-neighbour library by measurement: usearch, faiss (HNSW) and hnswlib side by side.

    python benchmarks/ann_libraries.py [--size 100000] [--queries 1000] [--dimensions 384] [--widths 64,128]
                                       [--pypi]

Every library gets the same graph (HNSW, M / connectivity 16, construction width 128, cosine on unit vectors),
the same clustered vectors and queries as benchmarks/matching.py, and is measured the same way: the build with
every core, then one query at a time on one thread (as a server answers requests) at each search width, with
recall@10 against numpy's exact search. It also tries what an index derived from a changing table needs:
removing a record and adding it again with a new vector. Libraries that are not installed are skipped with a
note (``pip install faiss-cpu hnswlib`` to include them). ``--pypi`` asks PyPI (``pip index versions``) for each
library's latest version, to compare with the installed one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import numpy as np
from matching import K, clustered_vectors, exact_truth
from numpy.typing import NDArray

CONNECTIVITY = 16
CONSTRUCTION = 128


@dataclass
class Library:
    """How to build, search and change one library's HNSW index."""

    name: str
    distribution: str
    build: Callable[[NDArray[np.uint64], NDArray[np.float32]], Any]
    search: Callable[[Any, NDArray[np.float32], int], NDArray[np.uint64]]
    replace: Callable[[Any, int, NDArray[np.float32]], str]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--dimensions", type=int, default=384)
    parser.add_argument("--widths", default="64,128")
    parser.add_argument("--pypi", action="store_true", help="ask PyPI for the latest version of each library")
    args = parser.parse_args()
    widths = [int(value) for value in args.widths.split(",")]
    vectors, queries = clustered_vectors(args.size, args.queries, args.dimensions)
    truth = exact_truth(vectors, queries)
    ids = np.arange(1, len(vectors) + 1, dtype=np.uint64)
    fresh = -vectors[1]  # a new place for record 1, far from every stored vector
    print(
        f"{args.size:,} vectors x {args.dimensions} dims, {args.queries} queries, k={K}; HNSW M={CONNECTIVITY}, "
        f"construction width {CONSTRUCTION}; build on every core, search one query at a time on one thread"
    )
    for library in (_usearch(), _faiss(), _hnswlib()):
        if library is None:
            continue
        print(f"\n{library.name} {_version(library.distribution, args.pypi)}")
        started = time.perf_counter()
        index = library.build(ids, vectors)
        print(f"  build {time.perf_counter() - started:8.1f} s")
        for width in widths:
            p50, p99, recall = _measure(library, index, queries, truth, width)
            print(f"  width {width:>4}: p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  recall@10 {recall:.3f}")
        print(f"  remove a record and add it again: {library.replace(index, 1, fresh)}")
    return 0


def _measure(
    library: Library, index: Any, queries: NDArray[np.float32], truth: NDArray[np.uint64], width: int
) -> tuple[float, float, float]:
    timings, hits = [], 0
    for query, expected in zip(queries, truth, strict=True):
        started = time.perf_counter()
        found = library.search(index, query, width)
        timings.append(time.perf_counter() - started)
        hits += len(set(found.tolist()) & set(expected.tolist()))
    values = np.array(timings) * 1000
    return float(np.percentile(values, 50)), float(np.percentile(values, 99)), hits / (K * len(queries))


def _version(distribution: str, ask_pypi: bool) -> str:
    installed = metadata.version(distribution)
    if not ask_pypi:
        return installed
    answer = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", distribution],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    latest = (
        answer.stdout.splitlines()[0] if answer.returncode == 0 and answer.stdout else "PyPI did not answer"
    )
    return f"{installed} (PyPI: {latest})"


def _usearch() -> Library | None:
    try:
        from usearch.index import Index
    except ImportError:
        print("\nusearch: skipped, not installed (pip install usearch)")
        return None

    def build(ids: NDArray[np.uint64], vectors: NDArray[np.float32]) -> Any:
        index = Index(
            ndim=vectors.shape[1],
            metric="cos",
            dtype="f32",
            connectivity=CONNECTIVITY,
            expansion_add=CONSTRUCTION,
        )
        index.add(ids, vectors, threads=0)
        return index

    def search(index: Any, query: NDArray[np.float32], width: int) -> NDArray[np.uint64]:
        if index.expansion_search != width:
            index.expansion_search = width
        return np.asarray(index.search(query, K, threads=1).keys, dtype=np.uint64)

    def replace(index: Any, key: int, vector: NDArray[np.float32]) -> str:
        index.remove(key)
        index.add(key, vector)
        moved = int(index.search(vector, 1, threads=1).keys[0]) == key
        return f"yes, remove() then add() (slots are reused; the key moved: {moved})"

    return Library("usearch", "usearch", build, search, replace)


def _faiss() -> Library | None:
    try:
        import faiss
    except ImportError:
        print("\nfaiss: skipped, not installed (pip install faiss-cpu)")
        return None

    def build(ids: NDArray[np.uint64], vectors: NDArray[np.float32]) -> Any:
        index = faiss.IndexHNSWFlat(vectors.shape[1], CONNECTIVITY, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = CONSTRUCTION
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        index.add(vectors)
        faiss.omp_set_num_threads(1)
        return index

    def search(index: Any, query: NDArray[np.float32], width: int) -> NDArray[np.uint64]:
        index.hnsw.efSearch = width
        _, positions = index.search(query.reshape(1, -1), K)
        return positions[0].astype(np.uint64) + 1  # faiss numbers vectors 0..n-1 in the order added

    def replace(index: Any, key: int, vector: NDArray[np.float32]) -> str:
        try:
            index.remove_ids(np.array([key - 1], dtype=np.int64))
        except RuntimeError as exc:
            reason = (
                str(exc).strip().rsplit(": ", 1)[-1]
            )  # "remove_ids not implemented for this type of index"
            return f"no: {reason} (rebuild, or filter at search time)"
        return "yes, remove_ids()"

    return Library("faiss IndexHNSWFlat", "faiss-cpu", build, search, replace)


def _hnswlib() -> Library | None:
    try:
        import hnswlib
    except ImportError:
        print("\nhnswlib: skipped, not installed (pip install hnswlib)")
        return None

    def build(ids: NDArray[np.uint64], vectors: NDArray[np.float32]) -> Any:
        index = hnswlib.Index(space="cosine", dim=vectors.shape[1])
        index.init_index(
            max_elements=len(vectors),
            ef_construction=CONSTRUCTION,
            M=CONNECTIVITY,
            allow_replace_deleted=True,
        )
        index.add_items(vectors, ids, num_threads=-1)
        return index

    def search(index: Any, query: NDArray[np.float32], width: int) -> NDArray[np.uint64]:
        index.set_ef(width)
        labels, _ = index.knn_query(query, k=K, num_threads=1)
        return np.asarray(labels[0], dtype=np.uint64)

    def replace(index: Any, key: int, vector: NDArray[np.float32]) -> str:
        index.mark_deleted(key)
        index.add_items(vector.reshape(1, -1), np.array([key]), replace_deleted=True)
        labels, _ = index.knn_query(vector, k=1, num_threads=1)
        return f"yes, mark_deleted() then add_items(replace_deleted=True) (the key moved: {int(labels[0][0]) == key})"

    return Library("hnswlib", "hnswlib", build, search, replace)


if __name__ == "__main__":
    sys.exit(main())
