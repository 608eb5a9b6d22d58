"""A CRM read and parsed in a child process, so a sync uses two cores: the child fetches and checks records (the
costly part: JSON, e-mail syntax, phone numbers) while this process loads the pages it already has.

:class:`ProcessReader` is a :class:`~hireflow.domain.ports.crm_sync.CrmSource`: the sync sees pages in the same
order, the same records and the same parse results as from the connector itself. The child is spawned per
entity read, builds its own connector from the settings, and hands over pages through a small queue (which
bounds how far it reads ahead); it stops when the sync stops reading, and on its own if this process dies.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from hireflow.domain.models.crm_sync import IMPORT_TYPES, CrmEntity, ImportRecord, SourceRecord, SyncCursor
from hireflow.domain.ports.crm_sync import CrmSource, Parser, SourcePage
from hireflow.domain.services.crm_sync import parse_page_values
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError, HireflowError, ServiceUnavailable, ValidationFailed

READ_AHEAD = 4
"""Pages the child may fetch before the sync has taken them."""

Row = tuple[str, datetime, bool, dict[str, Any]]
_KNOWN_ERRORS: dict[str, type[HireflowError]] = {
    "ConfigurationError": ConfigurationError,
    "MissingExtraError": ConfigurationError,
    "ServiceUnavailable": ServiceUnavailable,
}


class ProcessReader:
    """The CRM ``name`` (as :func:`hireflow.apps.crm.crm_source` builds it from ``settings``), read in a child."""

    def __init__(self, name: str, settings: Settings) -> None:
        from hireflow.apps.crm import crm_source

        self._name, self._settings = name, settings
        self._local = crm_source(name, settings)  # parses retried dead letters; never reads
        self._parsed: dict[int, ImportRecord | ValidationFailed] = {}

    @property
    def name(self) -> str:
        return self._local.name

    @property
    def entities(self) -> tuple[CrmEntity, ...]:
        return self._local.entities

    @property
    def parser(self) -> Parser:
        return self._local.parser

    def parse(self, entity: CrmEntity, record: SourceRecord) -> ImportRecord:
        """What the child found for a record it read; a record it did not read is parsed here."""
        found = self._parsed.pop(id(record), None)
        if found is None:
            return self._local.parse(entity, record)
        if isinstance(found, ValidationFailed):
            raise found
        return found

    def read(self, entity: CrmEntity, since: SyncCursor | None) -> Iterator[SourcePage]:
        context = multiprocessing.get_context(
            "spawn"
        )  # a fork of a threaded process (API, job runner) is unsafe
        handoff: Any = context.Queue(maxsize=READ_AHEAD)
        child = context.Process(
            target=_read_in_child,
            args=((self._name, self._settings, entity, since), handoff, os.getpid()),
            name=f"hireflow-read-{self._name}",
            daemon=True,
        )
        child.start()
        kind = IMPORT_TYPES[entity]
        try:
            while True:
                item = _next(handoff, child)
                if item[0] == "end":
                    return
                if item[0] == "error":
                    raise _error(self._name, item[1], item[2])
                _, rows, total, parsed, invalid = item
                records = [
                    SourceRecord.model_construct(external_id=i, modified_at=m, deleted=d, payload=p)
                    for i, m, d, p in rows
                ]
                self._parsed.clear()
                for index, values in parsed:  # checked in the child: construct without checking again
                    self._parsed[id(records[index])] = kind.model_construct(**values)
                for index, errors in invalid:
                    self._parsed[id(records[index])] = ValidationFailed(
                        f"record {records[index].external_id} is not valid", errors
                    )
                yield SourcePage(records, total=total)
        finally:
            self._parsed.clear()
            if child.is_alive():
                child.terminate()
            child.join(timeout=10)
            handoff.close()

    def close(self) -> None:
        self._local.close()


def _next(handoff: Any, child: Any) -> tuple[Any, ...]:
    """The child's next item; ServiceUnavailable when it died without saying why."""
    while True:
        try:
            item: tuple[Any, ...] = handoff.get(timeout=1.0)
            return item
        except queue.Empty:
            if not child.is_alive():
                raise ServiceUnavailable(
                    f"the CRM reader process ended unexpectedly (exit {child.exitcode})"
                ) from None


def _error(name: str, kind: str, detail: str) -> HireflowError:
    error_type = _KNOWN_ERRORS.get(kind)
    if error_type is not None:
        return error_type(detail)
    return ServiceUnavailable(f"reading {name} failed: {kind}: {detail}")


def _offer(handoff: Any, item: tuple[Any, ...], parent: int) -> bool:  # pragma: no cover - in the child
    """Hand ``item`` over, waiting while the queue is full; False when the sync's process is gone."""
    while os.getppid() == parent:
        try:
            handoff.put(item, timeout=1.0)
            return True
        except queue.Full:
            continue
    return False


def _read_in_child(
    job: tuple[str, Settings, CrmEntity, SyncCursor | None], handoff: Any, parent: int
) -> None:  # pragma: no cover - runs in the child process (its effects are tested through ProcessReader)
    from hireflow.apps.crm import crm_source

    name, settings, entity, since = job
    source: CrmSource | None = None
    try:
        source = crm_source(name, settings)
        for page in source.read(entity, since):
            rows: list[Row] = [(r.external_id, r.modified_at, r.deleted, r.payload) for r in page.records]
            parsed, invalid = parse_page_values(source.parser, entity, page.records)
            if not _offer(handoff, ("page", rows, page.total, parsed, invalid), parent):
                return
        _offer(handoff, ("end",), parent)
    except BaseException as exc:  # reported to the sync, which raises it
        detail = exc.detail if isinstance(exc, HireflowError) else str(exc)
        _offer(handoff, ("error", type(exc).__name__, detail), parent)
    finally:
        if source is not None:
            source.close()
