"""Repository ports of the funnel context: the funnel log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hireflow.domain.models.funnel import FunnelLogEntry
from hireflow.domain.ports.repository import Repository


class FunnelLogRepository(Repository[FunnelLogEntry], Protocol):
    """The funnel log of one company group: append-only in practice, every event of every candidate."""

    def for_candidate(self, candidate_id: int) -> Sequence[FunnelLogEntry]:
        """A candidate's funnel events, by ``occurred_at`` then id (ties keep the order of logging)."""
        ...

    def last_applied(self, candidate_id: int) -> FunnelLogEntry | None:
        """The candidate's latest event that moved them (``applied``), to judge whether a new one is late."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...
