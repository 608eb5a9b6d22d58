"""What the CRM sync needs from outside: a CRM to read from, and a store that loads what it read.

A :class:`CrmSource` is one CRM account (Bullhorn, HubSpot, Salesforce) behind its HTTP API. It reads pages of
:class:`~hireflow.domain.models.crm_sync.SourceRecord` and parses each into Hireflow's terms; it never writes.
A :class:`SyncStore` loads a page in one transaction — the records, the soft deletes, the dead letters and the
cursor together — so a sync killed at any moment leaves the database consistent with the cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from hireflow.domain.models.crm_sync import (
    CrmEntity,
    DeadLetter,
    ImportRecord,
    SourceRecord,
    SyncCounts,
    SyncCursor,
    SyncRun,
)

Parser = Callable[[CrmEntity, SourceRecord], ImportRecord]
"""What :meth:`CrmSource.parse` does, as a function that can be pickled, to parse pages in worker processes."""


@dataclass(frozen=True)
class SourcePage:
    """One page of records in ``(modified, id)`` order; ``total`` is the CRM's count of records matching the
    query, when it says (for progress bars)."""

    records: Sequence[SourceRecord]
    total: int | None = None


class CrmSource(Protocol):
    """A CRM account to read candidates, job openings and the rest from."""

    @property
    def name(self) -> str:
        """The source's name in Hireflow (``bullhorn``, ``hubspot``, ``salesforce``): the ``source`` column."""
        ...

    @property
    def entities(self) -> tuple[CrmEntity, ...]:
        """The entities this CRM has, in load order."""
        ...

    def read(self, entity: CrmEntity, since: SyncCursor | None) -> Iterator[SourcePage]:
        """Pages of the records of ``entity`` modified at or after ``since.modified_at`` (every record when
        None), deleted ones included and flagged, in ``(modified, id)`` order. Records at or before the cursor may
        come again; the caller skips them. Raises :class:`~hireflow.shared.errors.ServiceUnavailable` when the
        CRM keeps failing after the retries, ConfigurationError for bad credentials."""
        ...

    def parse(self, entity: CrmEntity, record: SourceRecord) -> ImportRecord:
        """``record`` in Hireflow's terms; ValidationFailed listing every problem (required fields, types,
        e-mail syntax, phone numbers, plausible dates, known enum values)."""
        ...

    @property
    def parser(self) -> Parser:
        """:meth:`parse` as a picklable function (no connection inside), for parsing in other processes."""
        ...

    def close(self) -> None:
        """Release the HTTP connections."""
        ...


@dataclass
class LoadBatch:
    """What one page of one entity brings: records to upsert (each beside the CRM's record it came from, which a
    dead letter keeps if loading fails), records the CRM deleted (or anonymised), records that failed to parse,
    and the cursor after the page (None: leave the cursor where it is, for retries)."""

    records: list[tuple[SourceRecord, ImportRecord]] = field(default_factory=list)
    deleted: list[SourceRecord] = field(default_factory=list)
    invalid: list[tuple[SourceRecord, list[dict[str, object]]]] = field(default_factory=list)
    cursor: SyncCursor | None = None


class SyncStore(Protocol):
    """Cursors, runs, dead letters and the loading of CRM records, for one company group per call."""

    def cursor(self, company_group_id: int, source: str, entity: CrmEntity) -> SyncCursor | None:
        """How far the last sync of ``source``'s ``entity`` came; None before the first."""
        ...

    def load(
        self, company_group_id: int, source: str, entity: CrmEntity, batch: LoadBatch, run_id: int
    ) -> SyncCounts:
        """Load ``batch`` in one transaction: upsert the records (merging candidates with existing ones by
        external id, then by phone or e-mail), soft-delete the deleted, store the invalid as dead letters (and
        records that cannot be loaded, such as an application whose candidate Hireflow does not have), mark
        the dead letters of loaded records resolved, and move the cursor forward (never back). The counts of
        what happened (``fetched`` is left 0)."""
        ...

    def soft_delete_missing(
        self, company_group_id: int, source: str, entity: CrmEntity, seen: Collection[str]
    ) -> int:
        """Soft-delete ``source``'s live records of ``entity`` whose external id is not in ``seen`` (a full
        sync read every record the CRM has: the others were deleted there); how many."""
        ...

    def start_run(self, run: SyncRun) -> SyncRun:
        """Store a new run; the stored run (with its id)."""
        ...

    def finish_run(self, run: SyncRun) -> SyncRun:
        """Store the run's final status, counts and error."""
        ...

    def runs(self, company_group_id: int, *, source: str | None = None, limit: int = 20) -> list[SyncRun]:
        """The latest runs, newest first."""
        ...

    def dead_letters(
        self,
        company_group_id: int,
        *,
        source: str | None = None,
        entity: CrmEntity | None = None,
        resolved: bool = False,
        after_id: int | None = None,
        limit: int = 1000,
    ) -> list[DeadLetter]:
        """Dead letters, oldest first (those with an id above ``after_id`` when given): the open ones, or with
        ``resolved`` the ones a later run loaded."""
        ...
