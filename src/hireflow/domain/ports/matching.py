"""Ports of the matching context: the embedder, the store of embeddings, and the nearest-neighbour index.

Vectors cross these ports as ``bytes``: ``dimensions`` little-endian float32 values, L2-normalised (see
:mod:`hireflow.domain.models.matching`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hireflow.domain.models.matching import (
    EmbeddedEntity,
    EmbeddingRow,
    EmbeddingSet,
    Match,
    MatchRun,
    Neighbour,
)


class Embedder(Protocol):
    """Turns texts into sentence embeddings.

    Backends of the same ``model`` must give vectors of the same space (the fast backend agrees with the
    reference to a cosine of 0.99 or more), so switching backend does not make stored embeddings stale.
    """

    @property
    def model(self) -> str:
        """The model's name, stored with every embedding (``all-MiniLM-L6-v2``)."""
        ...

    @property
    def dimensions(self) -> int:
        """How many float32 values a vector has."""
        ...

    def embed(self, texts: Sequence[str]) -> list[bytes]:
        """One normalised vector per text, in order."""
        ...


class VectorIndex(Protocol):
    """Approximate nearest neighbours among one company group's embeddings of one entity.

    The index is derived from the stored embeddings: ``refresh`` catches it up with every revision written since
    it was last refreshed (added, changed and removed records), and ``nearest`` refreshes first, so a search never
    returns a removed record nor misses a stored one.
    """

    def refresh(self, entity: EmbeddedEntity) -> int:
        """Apply the embeddings written since the last refresh; the revision the index is now at."""
        ...

    def nearest(self, entity: EmbeddedEntity, vector: bytes, k: int) -> list[Neighbour]:
        """Up to ``k`` records by descending similarity to ``vector``."""
        ...


class EmbeddingStore(Protocol):
    """One company group's stored embeddings. Each write is one transaction."""

    def embedding_set(self, entity: EmbeddedEntity) -> EmbeddingSet | None:
        """The set of ``entity``'s embeddings, or None before the first write."""
        ...

    def hashes(self, entity: EmbeddedEntity, record_ids: Sequence[int]) -> dict[int, str]:
        """The content hash stored for each of ``record_ids`` that has a live embedding."""
        ...

    def write(
        self,
        entity: EmbeddedEntity,
        *,
        model: str,
        dimensions: int,
        rows: Sequence[EmbeddingRow],
        removed: Sequence[int] = (),
    ) -> int:
        """Store ``rows`` and tombstone ``removed`` in one transaction under the set's next revision (returned).

        A set made by another model or of other dimensions is emptied first (every row becomes a tombstone), so
        vectors of two models are never compared.
        """
        ...

    def stale(self, entity: EmbeddedEntity, after_id: int, limit: int) -> list[int]:
        """Ids above ``after_id`` of live embeddings whose record is gone (deleted, merged or missing)."""
        ...

    def vectors(self, entity: EmbeddedEntity, record_ids: Sequence[int]) -> dict[int, bytes]:
        """The stored vectors of those of ``record_ids`` that have one."""
        ...

    def count(self, entity: EmbeddedEntity) -> int:
        """How many live embeddings the set holds."""
        ...


class MatchStore(Protocol):
    """One company group's stored match runs and their matches."""

    def save(self, run: MatchRun, matches: Sequence[Match]) -> MatchRun:
        """Store a finished run and its matches in one transaction; the run with its id."""
        ...

    def runs(self, *, limit: int = 20) -> list[MatchRun]:
        """The latest runs, newest first."""
        ...

    def matches(self, run_id: int, *, subject_id: int | None = None) -> list[Match]:
        """A run's matches (of one job or candidate when ``subject_id`` is given), by subject and rank."""
        ...
