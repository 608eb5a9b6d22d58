"""Incremental, crash-safe sync of a CRM into one company group.

For each entity the CRM has, in load order (client companies, job openings, candidates, applications,
placements): first the open dead letters of that entity are parsed and loaded again (a fix in Hireflow, or a
record they depend on arriving, may let them in); then the CRM is read from the stored cursor, page by page,
and each page is parsed and loaded in one transaction that also moves the cursor. Records the CRM deleted or
anonymised are soft-deleted. A record that does not parse goes to the dead-letter table and the run goes on.

Killing a sync at any moment loses nothing: the cursor only ever covers committed pages, and a page read twice
loads nothing twice (upserts by external id; unchanged records are recognised by their content hash).
``full`` reads everything from the start and then soft-deletes the records the CRM no longer has (which finds
hard deletes that no incremental read can see).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hireflow.domain.models.crm_sync import (
    ENTITY_ORDER,
    CrmEntity,
    ImportRecord,
    SourceRecord,
    SyncCounts,
    SyncCursor,
    SyncRun,
    SyncStatus,
    id_order,
)
from hireflow.domain.ports.crm_sync import CrmSource, LoadBatch, Parser, SyncStore
from hireflow.domain.services.background_jobs import describe_error
from hireflow.shared.clock import Clock
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class SyncProgress:
    """What a progress display needs after each page: the entity (the ``position``-th of ``of``, from 1), its
    counts so far, and the CRM's total for it when the CRM says."""

    entity: CrmEntity
    counts: SyncCounts
    total: int | None
    position: int = 1
    of: int = 1


ProgressCallback = Callable[[SyncProgress], None]


RETRY_BATCH = 1000
"""Dead letters parsed and loaded again per transaction at the start of a run."""


class SyncCancelled(Exception):
    """Raised between pages when the caller asked the sync to stop; everything loaded so far stays."""


class CrmSync:
    """Runs syncs of any :class:`CrmSource` into a :class:`SyncStore`."""

    def __init__(self, store: SyncStore, clock: Clock) -> None:
        self._store, self._clock = store, clock

    def run(
        self,
        company_group_id: int,
        source: CrmSource,
        *,
        entities: Sequence[CrmEntity] | None = None,
        full: bool = False,
        progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> SyncRun:
        """Sync ``entities`` (default: every one the CRM has) and return the finished run. A run that hits an
        error is stored as failed (with the error) and the error is raised again."""
        chosen = self._entities(source, entities)
        run = self._store.start_run(
            SyncRun(
                company_group_id=company_group_id,
                source=source.name,
                entities=list(chosen),
                full=full,
                started_at=self._clock.now(),
            )
        )
        assert run.id is not None
        totals, per_entity = SyncCounts(), {}
        try:
            for position, entity in enumerate(chosen, start=1):
                counts = self._sync_entity(
                    company_group_id,
                    source,
                    entity,
                    run_id=run.id,
                    full=full,
                    progress=_placed(progress, position, len(chosen)),
                    should_stop=should_stop,
                )
                per_entity[entity.value] = counts
                totals = totals.plus(counts)
        except BaseException as exc:
            failed = run.model_copy(
                update={
                    "status": SyncStatus.FAILED,
                    "counts": totals,
                    "entity_counts": per_entity,
                    "error": describe_error(exc),
                    "finished_at": self._clock.now(),
                }
            )
            self._store.finish_run(failed)
            log.info(
                "crm sync failed", source=source.name, run_id=run.id, error=failed.error
            )  # the caller reports it
            raise
        status = (
            SyncStatus.PARTIAL
            if self._open_dead_letters(company_group_id, source.name)
            else SyncStatus.SUCCEEDED
        )
        finished = run.model_copy(
            update={
                "status": status,
                "counts": totals,
                "entity_counts": per_entity,
                "finished_at": self._clock.now(),
            }
        )
        log.info(
            "crm sync finished", source=source.name, run_id=run.id, status=status.value, **totals.model_dump()
        )
        return self._store.finish_run(finished)

    def retry_dead_letters(
        self, company_group_id: int, source: CrmSource, *, entities: Sequence[CrmEntity] | None = None
    ) -> SyncRun:
        """Parse and load the open dead letters of ``source`` again, without reading the CRM."""
        chosen = self._entities(source, entities)
        run = self._store.start_run(
            SyncRun(
                company_group_id=company_group_id,
                source=source.name,
                entities=list(chosen),
                started_at=self._clock.now(),
            )
        )
        assert run.id is not None
        totals, per_entity = SyncCounts(), {}
        for entity in chosen:
            counts = self._retry(company_group_id, source, entity, run.id)
            per_entity[entity.value] = counts
            totals = totals.plus(counts)
        status = (
            SyncStatus.PARTIAL
            if self._open_dead_letters(company_group_id, source.name)
            else SyncStatus.SUCCEEDED
        )
        return self._store.finish_run(
            run.model_copy(
                update={
                    "status": status,
                    "counts": totals,
                    "entity_counts": per_entity,
                    "finished_at": self._clock.now(),
                }
            )
        )

    # -- one entity ---------------------------------------------------------------------------------------
    def _sync_entity(
        self,
        company_group_id: int,
        source: CrmSource,
        entity: CrmEntity,
        *,
        run_id: int,
        full: bool,
        progress: ProgressCallback | None,
        should_stop: Callable[[], bool] | None,
    ) -> SyncCounts:
        counts = self._retry(company_group_id, source, entity, run_id)
        since = None if full else self._store.cursor(company_group_id, source.name, entity)
        seen: set[str] = set()
        for page in source.read(entity, since):
            if should_stop is not None and should_stop():
                raise SyncCancelled(f"the sync of {source.name} was cancelled during {entity.value}")
            fresh = [record for record in page.records if since is None or not since.covers(record)]
            if not fresh:
                continue
            seen.update(record.external_id for record in fresh)
            batch = parse_page(source.parse, entity, fresh).batch(fresh)
            batch.cursor = _last(fresh)
            loaded = self._store.load(company_group_id, source.name, entity, batch, run_id)
            counts = counts.plus(loaded.model_copy(update={"fetched": len(fresh)}))
            if progress is not None:
                progress(SyncProgress(entity, counts, page.total))
        if full:
            removed = self._store.soft_delete_missing(company_group_id, source.name, entity, seen)
            counts = counts.plus(SyncCounts(deleted=removed))
        if progress is not None:
            progress(SyncProgress(entity, counts, None))
        return counts

    def _retry(self, company_group_id: int, source: CrmSource, entity: CrmEntity, run_id: int) -> SyncCounts:
        """Parse and load every open dead letter of ``entity`` again, a thousand at a time (never the cursor)."""
        counts, after_id = SyncCounts(), None
        while True:
            letters = self._store.dead_letters(
                company_group_id, source=source.name, entity=entity, after_id=after_id, limit=RETRY_BATCH
            )
            if not letters:
                return counts
            records = [
                SourceRecord(
                    external_id=letter.external_id,
                    modified_at=letter.modified_at or self._clock.now(),
                    deleted=letter.deleted,
                    payload=letter.payload,
                )
                for letter in letters
            ]
            batch = parse_page(source.parse, entity, records).batch(records)
            counts = counts.plus(self._store.load(company_group_id, source.name, entity, batch, run_id))
            if len(letters) < RETRY_BATCH:
                return counts
            after_id = letters[-1].id

    def _open_dead_letters(self, company_group_id: int, source: str) -> bool:
        return bool(self._store.dead_letters(company_group_id, source=source, limit=1))

    @staticmethod
    def _entities(source: CrmSource, entities: Sequence[CrmEntity] | None) -> tuple[CrmEntity, ...]:
        if entities is None:
            return tuple(entity for entity in ENTITY_ORDER if entity in source.entities)
        unknown = [entity.value for entity in entities if entity not in source.entities]
        if unknown:
            has = ", ".join(entity.value for entity in source.entities)
            raise ValidationFailed(
                f"{source.name} has no {', '.join(unknown)}; it has {has}",
                [{"field": "entities", "message": f"not in {source.name}", "input": unknown}],
            )
        return tuple(entity for entity in ENTITY_ORDER if entity in entities)


@dataclass(frozen=True)
class ParsedPage:
    """What parsing a page gave, by position in the page: import records, and the problems of the others."""

    parsed: list[tuple[int, ImportRecord]]
    invalid: list[tuple[int, list[dict[str, object]]]]

    def batch(self, records: Sequence[SourceRecord]) -> LoadBatch:
        """The page as a load batch (``records`` is the page parsed, in the same order)."""
        return LoadBatch(
            records=[(records[index], parsed) for index, parsed in self.parsed],
            deleted=[record for record in records if record.deleted],
            invalid=[(records[index], errors) for index, errors in self.invalid],
        )


def parse_page(parser: Parser, entity: CrmEntity, records: Sequence[SourceRecord]) -> ParsedPage:
    """Parse every record of a page that is not deleted (module-level, so a process pool can run it)."""
    parsed: list[tuple[int, ImportRecord]] = []
    invalid: list[tuple[int, list[dict[str, object]]]] = []
    for index, record in enumerate(records):
        if record.deleted:
            continue
        try:
            parsed.append((index, parser(entity, record)))
        except ValidationFailed as failure:
            invalid.append((index, list(failure.errors) or [{"field": "", "message": failure.detail}]))
    return ParsedPage(parsed, invalid)


_ParsedValues = tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, list[dict[str, object]]]]]


def parse_page_values(parser: Parser, entity: CrmEntity, records: Sequence[SourceRecord]) -> _ParsedValues:
    """:func:`parse_page` for another process: the import records' fields rather than the records (pickling
    plain data costs a fraction of pickling models)."""
    page = parse_page(parser, entity, records)
    return [(index, parsed.model_dump()) for index, parsed in page.parsed], page.invalid


def _placed(progress: ProgressCallback | None, position: int, of: int) -> ProgressCallback | None:
    """``progress`` with the entity's place among the run's entities filled in."""
    if progress is None:
        return None
    callback = progress

    def placed(update: SyncProgress) -> None:
        callback(SyncProgress(update.entity, update.counts, update.total, position, of))

    return placed


def _last(records: Sequence[SourceRecord]) -> SyncCursor:
    """The cursor after ``records`` (the greatest ``(modified, id)`` of them)."""
    last = max(records, key=lambda record: (record.modified_at, id_order(record.external_id)))
    return SyncCursor(modified_at=last.modified_at, external_id=last.external_id)
