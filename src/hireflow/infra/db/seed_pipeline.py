"""Producing the demo's candidate batches while the database stores the previous one.

Generating and encoding a batch is pure Python and costs more than SQLite's own work. On SQLite, a forked worker
process generates and encodes batch n+1 while the parent inserts batch n, so both cores work. Elsewhere (or where
forking is not safe: another thread is running, or the platform has no fork) a worker thread does the same job,
overlapping only the time the driver spends outside the GIL. Either way the batches come from one generator, in
order, so the data are the same.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

from sqlalchemy import Dialect

from hireflow.infra.db import tables  # noqa: F401 - registers every table on the metadata
from hireflow.infra.db.base import metadata
from hireflow.infra.db.bulk import EncodedRows, encode_rows
from hireflow.infra.db.seed_funnel import CandidateFactory

Batch = dict[str, EncodedRows]

# The worker process's generator and dialect, inherited through fork: never pickled, never set in the parent.
_worker: tuple[CandidateFactory, Dialect] | None = None


def encoded_batches(factory: CandidateFactory, sizes: list[int], dialect: Dialect) -> Iterator[Batch]:
    """The batches of ``sizes`` candidates, in order, each encoded for ``dialect``."""
    if not sizes:
        return
    with _executor(factory, dialect, len(sizes)) as pool:
        task: Callable[[int], Batch] = (
            _encode_in_worker
            if isinstance(pool, ProcessPoolExecutor)
            else (lambda size: _encode(factory.batch(size), dialect))
        )
        pending = pool.submit(task, sizes[0])
        for size in sizes[1:]:
            ready = pending.result()
            pending = pool.submit(task, size)
            yield ready
        yield pending.result()


def _executor(factory: CandidateFactory, dialect: Dialect, batches: int) -> Executor:
    if dialect.name == "sqlite" and batches > 1 and _fork_is_safe():
        context = multiprocessing.get_context("fork")
        return ProcessPoolExecutor(1, mp_context=context, initializer=_adopt, initargs=(factory, dialect))
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="hireflow-seed")


def _fork_is_safe() -> bool:
    # Forking a process that runs other threads can copy a lock some thread holds, and deadlock the child.
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _adopt(factory: CandidateFactory, dialect: Dialect) -> None:
    global _worker  # noqa: PLW0603 - per-process state of the worker, set once by its initializer
    _worker = (factory, dialect)


def _encode_in_worker(size: int) -> Batch:
    assert _worker is not None, "the seed worker was not initialised"
    factory, dialect = _worker
    return _encode(factory.batch(size), dialect)


def _encode(rows: dict[str, list[dict[str, object]]], dialect: Dialect) -> Batch:
    return {
        name: encode_rows(metadata.tables[name], table_rows, dialect) for name, table_rows in rows.items()
    }
