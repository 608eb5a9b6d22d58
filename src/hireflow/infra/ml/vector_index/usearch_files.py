"""Checkpoints of a usearch index on disk: the index file, the JSON sidecar that describes it, and the lock.

For one company group and entity, in the index directory::

    cg{id}-{entity}.json               the sidecar: generation, revision, dimensions, model, and which file
    cg{id}-{entity}.{token}.usearch    the index file it names (a new token at every save)
    cg{id}-{entity}.lock               flock()ed: shared to load, exclusive to save or build

The sidecar is the commit point. A save writes a new index file under a new name, flushes it to disk, then
replaces the sidecar atomically (``os.replace``) and only then deletes the old file. A crash at any moment leaves
either the old sidecar naming the old, complete file, or the new sidecar naming the new, complete file; a half
written file is never named and is deleted by the next save. So the sidecar never claims more than its file
holds. The sidecar also records the file's size and CRC-32: usearch loads some corrupted files without
complaint, and a checkpoint that fails the check is rebuilt from the database rather than trusted.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hireflow.domain.models.matching import EmbeddedEntity
from hireflow.shared.logging import get_logger

if TYPE_CHECKING:
    from usearch.index import Index

FORMAT = 1
_READ_BLOCK = 8 * 1024 * 1024
_log = get_logger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    """What a sidecar says about its index file."""

    generation: str
    revision: int
    dimensions: int
    model: str
    file: str
    count: int
    size: int
    crc32: int
    format: int = FORMAT


class IndexFiles:
    """The checkpoint files of one company group's index of one entity in ``directory``."""

    def __init__(self, directory: Path, company_group_id: int, entity: EmbeddedEntity) -> None:
        self.directory = directory
        self.entity = entity
        self.stem = f"cg{company_group_id}-{entity.value}"
        self.sidecar = directory / f"{self.stem}.json"
        self.lock_path = directory / f"{self.stem}.lock"

    @contextlib.contextmanager
    def locked(self, *, exclusive: bool) -> Iterator[None]:
        """Hold the lock file: shared while loading, exclusive while saving or building (other processes wait)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with self.lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def read(self) -> Checkpoint | None:
        """The sidecar's checkpoint, or None when there is none or it is unreadable."""
        try:
            values: dict[str, Any] = json.loads(self.sidecar.read_text(encoding="utf-8"))
            checkpoint = Checkpoint(**values)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            _log.warning("vector_index.sidecar_unreadable", path=str(self.sidecar), error=str(exc))
            return None
        return checkpoint if checkpoint.format == FORMAT else None

    def load(self, checkpoint: Checkpoint) -> Index | None:
        """The index file the checkpoint names, in memory; None (logged) when it is missing or fails a check."""
        from usearch.index import Index

        path = self.directory / checkpoint.file
        try:
            if path.stat().st_size != checkpoint.size or _crc32(path) != checkpoint.crc32:
                raise ValueError("size or CRC-32 differs from the sidecar's")
            index = Index.restore(str(path))
            if index is None or index.ndim != checkpoint.dimensions or len(index) != checkpoint.count:
                raise ValueError("not the index the sidecar describes")
        except (OSError, ValueError, RuntimeError) as exc:
            _log.warning("vector_index.checkpoint_unusable", path=str(path), error=str(exc))
            return None
        return index

    def save(self, index: Index, *, generation: str, revision: int, model: str) -> Checkpoint:
        """Write ``index`` as the new checkpoint (call with the exclusive lock held); the sidecar last."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{self.stem}.{secrets.token_hex(8)}.usearch"
        path = self.directory / name
        index.save(str(path))
        checkpoint = Checkpoint(
            generation=generation,
            revision=revision,
            dimensions=index.ndim,
            model=model,
            file=name,
            count=len(index),
            size=path.stat().st_size,
            crc32=_crc32(path, flush=True),
        )
        temporary = self.sidecar.with_suffix(".json.tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(asdict(checkpoint), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.sidecar)
        _fsync_directory(self.directory)
        self._remove_files(keep=name)
        return checkpoint

    def remove(self) -> None:
        """Delete the sidecar and every index file (call with the exclusive lock held); the lock file stays."""
        self.sidecar.unlink(missing_ok=True)
        self._remove_files(keep=None)

    def _remove_files(self, keep: str | None) -> None:
        if not self.directory.exists():
            return
        for path in self.directory.glob(f"{self.stem}.*.usearch"):
            if path.name != keep:
                path.unlink(missing_ok=True)


def _crc32(path: Path, *, flush: bool = False) -> int:
    # Reading the file back right after usearch wrote it costs little (it is in the page cache), and the same
    # open handle makes the data durable before the sidecar names the file.
    value = 0
    with path.open("rb") as handle:
        while block := handle.read(_READ_BLOCK):
            value = zlib.crc32(block, value)
        if flush:
            os.fsync(handle.fileno())
    return value


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
