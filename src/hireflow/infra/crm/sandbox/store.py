"""The record store: generated base records plus the changes made since, queried as views.

Only changed, created and purged records take memory; a million-record sandbox starts in microseconds.
The store is not thread-safe: the sandbox apps use it from their event loop only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

from hireflow.infra.crm.sandbox import mutations
from hireflow.infra.crm.sandbox.config import EntityKind, SandboxConfig
from hireflow.infra.crm.sandbox.criteria import Criteria, Key, Query, SortKey
from hireflow.infra.crm.sandbox.defects import defect_of
from hireflow.infra.crm.sandbox.draws import Draws
from hireflow.infra.crm.sandbox.generator import KIND_SALTS, RecordFactory
from hireflow.infra.crm.sandbox.records import Candidate, Record
from hireflow.infra.crm.sandbox.view import Interval, View

_VIEW_CACHE_SIZE = 32
_MUTATION_SALT = 0x3E7A
_STAMP_STEP_MS = 1000
_STAMP_TIE = 3  # mutated records share their stamp in threes, so cursors meet ties after mutations too


@dataclass
class MutationRequest:
    """How many records of one entity to change; which ones is decided by the seed and the call count."""

    modify: int = 0
    delete: int = 0
    create: int = 0
    anonymize: int = 0


@dataclass
class MutationResult:
    """The ids changed, per change."""

    modified: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    anonymized: list[int] = field(default_factory=list)


class EntityTable:
    """One entity's records: the generated base, the overrides and the purged ids."""

    def __init__(self, kind: EntityKind, factory: RecordFactory) -> None:
        self.kind = kind
        self.base_count = factory.counts[kind]
        self.timeline = factory.timelines[kind]
        self._factory = factory
        self.overrides: dict[int, Record] = {}
        self.purged: set[int] = set()
        self.next_id = self.base_count + 1
        self.version = 0
        self._excluded: list[int] | None = None

    def get(self, record_id: int) -> Record | None:
        """The current record, or None when it never existed or was purged."""
        if record_id in self.purged:
            return None
        record = self.overrides.get(record_id)
        if record is not None:
            return record
        if 1 <= record_id <= self.base_count:
            return self._factory.make(self.kind, record_id)
        return None

    def base(self, record_id: int) -> Record:
        return self._factory.make(self.kind, record_id)

    def put(self, record: Record) -> None:
        self.overrides[record.id] = record
        self._changed()

    def purge(self, record_id: int) -> None:
        self.overrides.pop(record_id, None)
        self.purged.add(record_id)
        self._changed()

    def _changed(self) -> None:
        self.version += 1
        self._excluded = None

    def excluded(self) -> list[int]:
        """Base ids that no longer come from the generator: changed or purged, sorted."""
        if self._excluded is None:
            ids = {record_id for record_id in self.overrides if record_id <= self.base_count}
            ids.update(record_id for record_id in self.purged if record_id <= self.base_count)
            self._excluded = sorted(ids)
        return self._excluded

    def base_interval(self, criteria: Criteria) -> Interval | None:
        """The base ids ``criteria`` can match, as ``[low, high)`` (base records are all live)."""
        if criteria.is_empty or criteria.deleted is True:
            return None
        low, high = 1, self.base_count + 1
        if criteria.id_min is not None:
            low = max(low, criteria.id_min)
        if criteria.id_max is not None:
            high = min(high, criteria.id_max + 1)
        if criteria.modified_min is not None:
            low = max(low, self.timeline.first_at_or_after(criteria.modified_min))
        if criteria.modified_max is not None:
            high = min(high, self.timeline.last_at_or_before(criteria.modified_max) + 1)
        return (low, high) if low < high else None

    def base_key(self, key: SortKey) -> _BaseKey:
        return _BaseKey(self, key)

    def is_live(self, record_id: int) -> bool:
        record = self.overrides.get(record_id)
        if record is not None:
            return not record.deleted
        return 1 <= record_id <= self.base_count and record_id not in self.purged


class _BaseKey:
    """The sort key of base record ``id`` without generating the record."""

    def __init__(self, table: EntityTable, key: SortKey) -> None:
        self._modified = table.timeline.modified
        self._by_modified = key is SortKey.MODIFIED

    def __call__(self, record_id: int) -> Key:
        if self._by_modified:
            return (self._modified(record_id), record_id)
        return (record_id, 0)


class RecordStore:
    """Every entity's records, the store clock, and the cache of recent views."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.factory = RecordFactory(config)
        self.tables = {kind: EntityTable(kind, self.factory) for kind in EntityKind}
        self.clock_ms = config.history_end_ms
        self.mutation_calls = 0
        self._views: OrderedDict[tuple[EntityKind, Query, SortKey], tuple[int, View]] = OrderedDict()

    def get(self, kind: EntityKind, record_id: int) -> Record | None:
        return self.tables[kind].get(record_id)

    def view(self, kind: EntityKind, query: Query, key: SortKey) -> View:
        """The matches of ``query`` in ``key`` order; reused while the entity does not change."""
        table = self.tables[kind]
        cache_key = (kind, query, key)
        cached = self._views.get(cache_key)
        if cached is not None and cached[0] == table.version:
            self._views.move_to_end(cache_key)
            return cached[1]
        view = self._build_view(table, query, key)
        self._views[cache_key] = (table.version, view)
        if len(self._views) > _VIEW_CACHE_SIZE:
            self._views.popitem(last=False)
        return view

    def _build_view(self, table: EntityTable, query: Query, key: SortKey) -> View:
        intervals = sorted(
            interval for criteria in query if (interval := table.base_interval(criteria)) is not None
        )
        merged: list[Interval] = []
        for low, high in intervals:
            if merged and low <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], high))
            else:
                merged.append((low, high))
        extra = [record for record in table.overrides.values() if any(c.admits(record) for c in query)]
        return View(
            intervals=merged,
            excluded=table.excluded(),
            extra=extra,
            key=key,
            base_key=table.base_key(key),
            base_record=table.base,
            base_count=table.base_count,
        )

    # -- mutations ---------------------------------------------------------------------------------------------
    def mutate(self, kind: EntityKind, request: MutationRequest, *, hard_delete: bool) -> MutationResult:
        """Apply ``request`` to records chosen by the seed and the call count; return the ids, per change."""
        self.mutation_calls += 1
        table = self.tables[kind]
        draws = Draws(self.config.seed, _MUTATION_SALT, KIND_SALTS[kind], self.mutation_calls)
        result = MutationResult()
        stamps = self._stamps(request.modify + request.anonymize + request.delete + request.create)
        for record_id in self._choose(table, request.modify, draws, set()):
            current = table.get(record_id)
            assert current is not None
            table.put(mutations.modified(current, next(stamps), draws))
            result.modified.append(record_id)
        chosen = set(result.modified)
        for record_id in self._choose(table, request.anonymize, draws, chosen):
            current = table.get(record_id)
            assert isinstance(current, Candidate)
            table.put(mutations.anonymized(current, next(stamps)))
            result.anonymized.append(record_id)
        chosen.update(result.anonymized)
        for record_id in self._choose(table, request.delete, draws, chosen):
            current = table.get(record_id)
            assert current is not None
            if hard_delete:
                table.purge(record_id)
            else:
                table.put(mutations.soft_deleted(current, next(stamps)))
            result.deleted.append(record_id)
        for _ in range(request.create):
            record_id = table.next_id
            table.next_id += 1
            table.put(mutations.created(self.factory.make(kind, record_id), next(stamps)))
            result.created.append(record_id)
        return result

    def _stamps(self, count: int) -> Iterator[int]:
        start = self.clock_ms
        for index in range(count):
            self.clock_ms = start + (index // _STAMP_TIE + 1) * _STAMP_STEP_MS
            yield self.clock_ms

    def _choose(self, table: EntityTable, count: int, draws: Draws, taken: set[int]) -> list[int]:
        """Up to ``count`` distinct live ids not in ``taken``, chosen deterministically."""
        if count <= 0:
            return []
        highest = table.next_id - 1
        chosen: list[int] = []
        seen = set(taken)
        attempts = 0
        while len(chosen) < count and attempts < count * 20:
            attempts += 1
            record_id = 1 + draws.below(highest)
            if record_id not in seen and table.is_live(record_id):
                seen.add(record_id)
                chosen.append(record_id)
        if len(chosen) < count:  # sparse: fall back to a scan of the few ids left
            remaining = [i for i in range(1, highest + 1) if i not in seen and table.is_live(i)]
            chosen.extend(remaining[: count - len(chosen)])
        return chosen

    # -- listings ----------------------------------------------------------------------------------------------
    def live_ids(self, kind: EntityKind) -> Iterator[int]:
        """Every id a client can read and that is not deleted, ascending."""
        table = self.tables[kind]
        return (record_id for record_id in range(1, table.next_id) if table.is_live(record_id))

    def deleted_ids(self, kind: EntityKind) -> list[int]:
        """Every id deleted so far (soft-deleted and purged), ascending."""
        table = self.tables[kind]
        soft = (record.id for record in table.overrides.values() if record.deleted)
        return sorted({*soft, *table.purged})

    def invalid(self, kind: EntityKind) -> Iterator[tuple[int, str]]:
        """``(id, defect)`` of every current malformed record (purged ones excluded), ascending."""
        table = self.tables[kind]
        rate = self.config.faults.malformed_rate
        for record_id in range(1, table.next_id):
            override = table.overrides.get(record_id)
            if override is not None:
                defect = override.defect
            elif record_id in table.purged:
                continue
            else:
                defect = defect_of(self.config.seed, kind, record_id, rate)
            if defect is not None:
                yield record_id, defect

    def live_count(self, kind: EntityKind) -> int:
        table = self.tables[kind]
        deleted = sum(1 for record in table.overrides.values() if record.deleted)
        return table.next_id - 1 - len(table.purged) - deleted
