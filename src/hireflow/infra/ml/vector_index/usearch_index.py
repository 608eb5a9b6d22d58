"""A usearch HNSW index per company group and entity, kept in memory and checkpointed to a file.

The database is the source of truth and the file is only a checkpoint of it: every process keeps its own copy of
an index in memory and catches it up from ``embeddings`` by revision (see :mod:`.source`), so a process sees
every write as soon as it is committed, whoever checkpointed what. A process loads the file only when it has no
usable copy (at start, or after another process rebuilt the index for a new generation), because loading a
million-vector file costs seconds and catching up a few rows costs microseconds. It writes a checkpoint after a
build, and when enough rows have been applied since the last one that starting from the file is worth it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine

from hireflow.domain.models.matching import EmbeddedEntity, EmbeddingSet, Neighbour
from hireflow.infra.ml.vector_index import source
from hireflow.infra.ml.vector_index.usearch_files import Checkpoint, IndexFiles
from hireflow.shared.extras import require
from hireflow.shared.logging import get_logger

if TYPE_CHECKING:
    from usearch.index import Index

CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 300
"""Candidates kept while searching. Measured at a million 384-dimension vectors (benchmarks/matching.py):
recall@10 0.932 at 128, 0.944 at 200, 0.951 at 300 (p50 3.1 ms on two busy cores)."""
EXACT_BELOW = 2_000
"""Sets smaller than this are searched exhaustively: as fast as the graph at that size, and exact."""
CHECKPOINT_ROWS = 5_000
"""Rows applied since the last checkpoint after which a refresh writes a new one (adding that many rows to a
large index takes about as long as writing it)."""

_log = get_logger(__name__)


@dataclass
class _Loaded:
    """One index in memory, the set state it reflects, and how far the checkpoint on disk lags behind."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    index: Index | None = None
    generation: str = ""
    revision: int = 0
    dimensions: int = 0
    model: str = ""
    pending_rows: int = 0

    def reflects(self, embedding_set: EmbeddingSet) -> bool:
        """True when this copy can be caught up to ``embedding_set`` instead of being rebuilt."""
        return (
            self.index is not None
            and self.generation == embedding_set.generation
            and self.dimensions == embedding_set.dimensions
            and self.model == embedding_set.model
            and self.revision <= embedding_set.revision
        )

    def clear(self) -> None:
        self.index = None
        self.generation, self.revision, self.dimensions, self.model = "", 0, 0, ""
        self.pending_rows = 0


class IndexCache:
    """Indexes held in memory, one per index file. One cache per process serves every :class:`UsearchIndex`
    (an API request builds a new one each time); a test makes a second cache to act as a second process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Path, _Loaded] = {}

    def entry(self, sidecar: Path) -> _Loaded:
        with self._lock:
            return self._entries.setdefault(sidecar.resolve(), _Loaded())

    def clear(self) -> None:
        """Forget every index (they are loaded or rebuilt again on next use)."""
        with self._lock:
            self._entries.clear()


PROCESS_CACHE = IndexCache()
"""The cache of this process; :class:`UsearchIndex` uses it unless given another."""


class UsearchIndex:
    """Approximate nearest neighbours among one company group's embeddings, with usearch (HNSW, cosine, f32).

    Keys are record ids. One file per (company group, entity) in ``directory`` checkpoints the index, so a new
    process starts from the file (4 s for a million vectors) and catches up, instead of rebuilding (31 minutes
    for a million vectors on two busy cores).
    """

    def __init__(
        self,
        engine: Engine,
        company_group_id: int,
        directory: Path,
        *,
        expansion_search: int = EXPANSION_SEARCH,
        exact_below: int = EXACT_BELOW,
        checkpoint_rows: int = CHECKPOINT_ROWS,
        threads: int = 0,
        cache: IndexCache | None = None,
    ) -> None:
        self.engine = engine
        self.company_group_id = company_group_id
        self.directory = Path(directory)
        self.expansion_search = expansion_search
        self.exact_below = exact_below
        self.checkpoint_rows = checkpoint_rows
        self.threads = threads
        self.cache = PROCESS_CACHE if cache is None else cache

    def refresh(self, entity: EmbeddedEntity) -> int:
        """Apply the embeddings written since the last refresh; the revision the index is now at."""
        files = self._files(entity)
        loaded = self.cache.entry(files.sidecar)
        with loaded.lock:
            return self._refresh(files, loaded)

    def nearest(self, entity: EmbeddedEntity, vector: bytes, k: int) -> list[Neighbour]:
        """Up to ``k`` records by descending cosine similarity to ``vector`` (refreshes first)."""
        files = self._files(entity)
        loaded = self.cache.entry(files.sidecar)
        with loaded.lock:
            self._refresh(files, loaded)
            index = loaded.index
            if index is None or len(index) == 0 or k <= 0:
                return []
            query = source.query_vector(vector, loaded.dimensions)
            expansion = max(self.expansion_search, k)
            if index.expansion_search != expansion:
                # usearch declares this setter in a way mypy does not see.
                index.expansion_search = expansion  # type: ignore[misc]
            matches = index.search(query, min(k, len(index)), exact=len(index) < self.exact_below)
        neighbours = [
            Neighbour(record_id=int(key), similarity=1.0 - float(distance))
            for key, distance in zip(matches.keys, matches.distances, strict=True)
        ]
        return sorted(neighbours, key=lambda neighbour: -neighbour.similarity)

    def checkpoint(self, entity: EmbeddedEntity) -> None:
        """Write the index to its file now if rows were applied since the last checkpoint (e.g. after a bulk
        embedding run, so the next process starts from the file)."""
        files = self._files(entity)
        loaded = self.cache.entry(files.sidecar)
        with loaded.lock:
            self._refresh(files, loaded)
            if loaded.index is not None and loaded.pending_rows:
                self._save(files, loaded)

    def _files(self, entity: EmbeddedEntity) -> IndexFiles:
        return IndexFiles(self.directory, self.company_group_id, entity)

    def _refresh(self, files: IndexFiles, loaded: _Loaded) -> int:
        require("ml", "usearch", "the usearch vector index")
        with self.engine.connect() as connection:
            embedding_set = source.read_set(connection, self.company_group_id, files.entity)
            if embedding_set is None:
                if loaded.index is not None or files.sidecar.exists():
                    loaded.clear()
                    with files.locked(exclusive=True):
                        files.remove()
                return 0
            if not loaded.reflects(embedding_set):
                self._load_or_build(files, loaded, embedding_set, connection)
            elif loaded.revision < embedding_set.revision:
                self._catch_up(loaded, embedding_set, connection)
        if loaded.pending_rows >= self.checkpoint_rows:
            self._save(files, loaded)
        return loaded.revision

    def _load_or_build(
        self, files: IndexFiles, loaded: _Loaded, embedding_set: EmbeddingSet, connection: Connection
    ) -> None:
        loaded.clear()
        with files.locked(exclusive=False):
            if self._load(files, loaded, embedding_set):
                self._catch_up(loaded, embedding_set, connection)
                return
        # Build under the exclusive lock, so that a second process waits and then loads this build instead of
        # making its own; it may have been built while we waited for the lock.
        with files.locked(exclusive=True):
            if self._load(files, loaded, embedding_set):
                self._catch_up(loaded, embedding_set, connection)
                return
            self._build(loaded, embedding_set, connection)
            self._save_locked(files, loaded)

    def _load(self, files: IndexFiles, loaded: _Loaded, embedding_set: EmbeddingSet) -> bool:
        checkpoint = files.read()
        if checkpoint is None or not _matches(checkpoint, embedding_set):
            return False
        index = files.load(checkpoint)
        if index is None:
            return False
        loaded.index = index
        loaded.generation, loaded.revision = checkpoint.generation, checkpoint.revision
        loaded.dimensions, loaded.model = checkpoint.dimensions, checkpoint.model
        return True

    def _build(self, loaded: _Loaded, embedding_set: EmbeddingSet, connection: Connection) -> None:
        from usearch.index import Index

        _log.info(
            "vector_index.build",
            company_group_id=self.company_group_id,
            entity=embedding_set.entity.value,
            generation=embedding_set.generation,
        )
        index = Index(
            ndim=embedding_set.dimensions,
            metric="cos",
            dtype="f32",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=self.expansion_search,
        )
        loaded.index = index
        loaded.generation, loaded.revision = embedding_set.generation, 0
        loaded.dimensions, loaded.model = embedding_set.dimensions, embedding_set.model
        self._catch_up(loaded, embedding_set, connection)

    def _catch_up(self, loaded: _Loaded, embedding_set: EmbeddingSet, connection: Connection) -> None:
        index = loaded.index
        assert index is not None
        for chunk in source.changes(connection, embedding_set, after=loaded.revision):
            # usearch refuses a key it already holds; a changed record is removed, then added again.
            changed = chunk.ids[index.contains(chunk.ids)] if len(index) and len(chunk.ids) else chunk.ids[:0]
            stale = [changed, chunk.removed] if len(chunk.removed) else [changed]
            for keys in stale:
                if len(keys):
                    index.remove(keys)
            if len(chunk.ids):
                index.add(chunk.ids, chunk.vectors, threads=self.threads)
            loaded.pending_rows += len(chunk.ids) + len(chunk.removed)
        loaded.revision = embedding_set.revision

    def _save(self, files: IndexFiles, loaded: _Loaded) -> None:
        with files.locked(exclusive=True):
            on_disk = files.read()
            if (
                on_disk is not None
                and on_disk.generation == loaded.generation
                and on_disk.revision >= loaded.revision
            ):
                loaded.pending_rows = 0  # another process already wrote this state or a later one
                return
            self._save_locked(files, loaded)

    def _save_locked(self, files: IndexFiles, loaded: _Loaded) -> None:
        assert loaded.index is not None
        files.save(loaded.index, generation=loaded.generation, revision=loaded.revision, model=loaded.model)
        loaded.pending_rows = 0


def _matches(checkpoint: Checkpoint, embedding_set: EmbeddingSet) -> bool:
    return (
        checkpoint.generation == embedding_set.generation
        and checkpoint.dimensions == embedding_set.dimensions
        and checkpoint.model == embedding_set.model
        and checkpoint.revision <= embedding_set.revision
    )
