"""A CRM read and parsed in child processes, so a sync uses several cores: a child fetches records and children
check them (the costly part: JSON, e-mail syntax, phone numbers) while this process loads the pages it already
has.

:class:`ProcessReader` is a :class:`~hireflow.domain.ports.crm_sync.CrmSource`: the sync sees pages in the same
order, the same records and the same parse results as from the connector itself. The children are spawned per
entity read and build their own connectors from the settings. Checking is spread over ``lanes``: the fetching
child checks every ``lanes``-th page itself and hands the others, in turn, to one checking child per other lane;
this process takes the pages from the lanes in the same turn, so their order is the CRM's. Each lane hands over
through a small queue (which bounds how far the children read ahead); the children stop when the sync stops
reading, and on their own if this process dies.
"""

from __future__ import annotations

import itertools
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
"""Pages a lane may hold before the sync has taken them."""
MAX_LANES = 4
"""Beyond this many checking processes the loader, not checking, sets the pace."""


def default_lanes() -> int:
    """One checking lane per core but the one the loading process needs, at most :data:`MAX_LANES`. On two cores
    that is one: a second lane there made a sync slower (it adds a process and a hand-over per page to cores the
    loader, the database and the CRM already keep busy; see docs/crm-sync.md)."""
    return max(1, min((os.cpu_count() or 1) - 1, MAX_LANES))


Row = tuple[str, datetime, bool, dict[str, Any]]
_KNOWN_ERRORS: dict[str, type[HireflowError]] = {
    "ConfigurationError": ConfigurationError,
    "MissingExtraError": ConfigurationError,
    "ServiceUnavailable": ServiceUnavailable,
}


class ProcessReader:
    """The CRM ``name`` (as :func:`hireflow.apps.crm.crm_source` builds it from ``settings``), read in a child."""

    def __init__(self, name: str, settings: Settings, *, lanes: int | None = None) -> None:
        from hireflow.apps.crm import crm_source

        self._name, self._settings = name, settings
        self.lanes = lanes or settings.crm_reader_lanes or default_lanes()
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
        parent = os.getpid()
        outputs: list[Any] = [context.Queue(maxsize=READ_AHEAD) for _ in range(self.lanes)]
        inboxes: list[Any] = [context.Queue(maxsize=READ_AHEAD) for _ in range(self.lanes - 1)]
        fetcher = context.Process(
            target=_read_in_child,
            args=((self._name, self._settings, entity, since), outputs[0], inboxes, parent),
            name=f"hireflow-read-{self._name}",
            daemon=True,
        )
        checkers = [
            context.Process(
                target=_check_in_child,
                args=((self._name, self._settings, entity), inbox, output, parent),
                name=f"hireflow-check-{self._name}-{lane}",
                daemon=True,
            )
            for lane, (inbox, output) in enumerate(zip(inboxes, outputs[1:], strict=True), start=1)
        ]
        children = [fetcher, *checkers]
        for child in children:
            child.start()
        kind = IMPORT_TYPES[entity]
        try:
            for position in itertools.count():
                lane = position % self.lanes
                item = _next(outputs[lane], children[lane], fetcher)
                if item[0] == "end":
                    return
                if item[0] == "error":
                    raise _error(self._name, item[1], item[2])
                _, rows, total, parsed, invalid = item
                records = _records(rows)
                self._parsed.clear()
                for index, values in parsed:  # checked in a child: construct without checking again
                    self._parsed[id(records[index])] = kind.model_construct(**values)
                for index, errors in invalid:
                    self._parsed[id(records[index])] = ValidationFailed(
                        f"record {records[index].external_id} is not valid", errors
                    )
                yield SourcePage(records, total=total)
        finally:
            self._parsed.clear()
            for child in children:
                if child.is_alive():
                    child.terminate()
            for child in children:
                child.join(timeout=10)
            for handoff in (*outputs, *inboxes):
                handoff.close()

    def close(self) -> None:
        self._local.close()


def _records(rows: list[Row]) -> list[SourceRecord]:
    """The records of rows a child handed over, which the connector already checked."""
    return [
        SourceRecord.model_construct(external_id=i, modified_at=m, deleted=d, payload=p)
        for i, m, d, p in rows
    ]


def _next(handoff: Any, child: Any, fetcher: Any) -> tuple[Any, ...]:
    """The lane's next item; ServiceUnavailable when the lane's child, or the fetching child that feeds it, died
    without saying why (the fetching child ends normally once it has handed everything over)."""
    while True:
        try:
            item: tuple[Any, ...] = handoff.get(timeout=1.0)
            return item
        except queue.Empty:
            for process in (child, fetcher):
                if not process.is_alive() and (process is child or process.exitcode != 0):
                    try:  # what it handed over just before it ended
                        item = handoff.get(timeout=0.5)
                        return item
                    except queue.Empty:
                        raise ServiceUnavailable(
                            f"the CRM reader process {process.name} ended unexpectedly (exit {process.exitcode})"
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


def _take(inbox: Any, parent: int) -> tuple[Any, ...] | None:  # pragma: no cover - in a child
    """The next item for a checking child; None when the sync's process is gone."""
    while os.getppid() == parent:
        try:
            item: tuple[Any, ...] = inbox.get(timeout=1.0)
            return item
        except queue.Empty:
            continue
    return None


def _read_in_child(
    job: tuple[str, Settings, CrmEntity, SyncCursor | None], output: Any, inboxes: list[Any], parent: int
) -> None:  # pragma: no cover - runs in a child process (its effects are tested through ProcessReader)
    """Fetch the pages; check every lane-th one here and hand the others to the checking children in turn. The
    lane whose turn comes after the last page gets the end (or the error); the other checkers are told to stop."""
    from hireflow.apps.crm import crm_source

    name, settings, entity, since = job
    lanes = 1 + len(inboxes)
    position = 0
    source: CrmSource | None = None

    def handoff_of(turn: int) -> Any:
        lane = turn % lanes
        return output if lane == 0 else inboxes[lane - 1]

    final: tuple[Any, ...] = ("end",)
    try:
        source = crm_source(name, settings)
        for page in source.read(entity, since):
            rows: list[Row] = [(r.external_id, r.modified_at, r.deleted, r.payload) for r in page.records]
            if position % lanes == 0:
                parsed, invalid = parse_page_values(source.parser, entity, page.records)
                item: tuple[Any, ...] = ("page", rows, page.total, parsed, invalid)
            else:
                item = ("rows", rows, page.total)
            if not _offer(handoff_of(position), item, parent):
                return
            position += 1
    except BaseException as exc:  # reported to the sync, which raises it
        detail = exc.detail if isinstance(exc, HireflowError) else str(exc)
        final = ("error", type(exc).__name__, detail)
    finally:
        if source is not None:
            source.close()
    _offer(handoff_of(position), final, parent)
    for lane, inbox in enumerate(inboxes, start=1):
        if lane != position % lanes:
            _offer(inbox, ("stop",), parent)


def _check_in_child(
    job: tuple[str, Settings, CrmEntity], inbox: Any, output: Any, parent: int
) -> None:  # pragma: no cover - runs in a child process (its effects are tested through ProcessReader)
    """Check the pages of one lane; pass the end or an error on in its turn."""
    from hireflow.apps.crm import crm_source

    name, settings, entity = job
    source = crm_source(name, settings)  # for its parser: it never reads
    try:
        while (item := _take(inbox, parent)) is not None and item[0] == "rows":
            _, rows, total = item
            parsed, invalid = parse_page_values(source.parser, entity, _records(rows))
            if not _offer(output, ("page", rows, total, parsed, invalid), parent):
                return
        if item is not None and item[0] != "stop":
            _offer(output, item, parent)
    except BaseException as exc:
        detail = exc.detail if isinstance(exc, HireflowError) else str(exc)
        _offer(output, ("error", type(exc).__name__, detail), parent)
    finally:
        source.close()
