"""The SQLAlchemy sync store: cursors, runs and dead letters, and the one-transaction load of a page."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hireflow.domain.models.crm_sync import (
    CrmEntity,
    DeadLetter,
    SourceRecord,
    SyncCounts,
    SyncCursor,
    SyncRun,
    id_order,
)
from hireflow.domain.ports.crm_sync import LoadBatch
from hireflow.infra.db import tables as t
from hireflow.infra.db.crm_loader import (
    Destination,
    live_external_ids,
    load_records,
    one_of,
    soft_delete,
    table_of,
    value_groups,
)
from hireflow.shared.clock import Clock, SystemClock
from hireflow.shared.errors import NotFound

ANALYZE_FIRST = 1_000
"""Rows a store inserts into a table before it first refreshes PostgreSQL's statistics of it; then each time
the rows it inserted have grown :data:`ANALYZE_GROWTH` times (see :class:`SqlAlchemySyncStore`)."""
ANALYZE_GROWTH = 8
"""Between two refreshes the planner scales the row counts it knows by the table's current size, and the look-ups'
columns keep their shape (unique phones and ids), so statistics need refreshing seldom once they exist."""

_OWNED_LOOKUP = "(company_group_id, source, external_id, deleted_at)"
_ANALYZED: dict[CrmEntity, tuple[str, ...]] = {
    CrmEntity.CANDIDATES: (
        "candidates (company_group_id, phone_e164, email, deleted_at, merged_into_id)",
        "candidate_external_ids (company_group_id, source, external_id, candidate_id)",
    ),
    CrmEntity.CLIENT_COMPANIES: (f"client_companies {_OWNED_LOOKUP}",),
    CrmEntity.JOBS: (f"jobs {_OWNED_LOOKUP}",),
    CrmEntity.APPLICATIONS: (f"applications {_OWNED_LOOKUP}",),
    CrmEntity.PLACEMENTS: (f"placements {_OWNED_LOOKUP}",),
}
"""The tables each entity's loads fill, with the columns its look-ups filter on: statistics of those alone cost
a quarter of a whole table's (the other columns are autovacuum's business)."""


class SqlAlchemySyncStore:
    """A :class:`~hireflow.domain.ports.crm_sync.SyncStore` over a session factory.

    A first sync can multiply a table's size in minutes, long before autovacuum analyses it; with statistics
    that still describe the small table, PostgreSQL answers the loader's look-ups (by phone, by external id)
    with scans of the whole company group, and the sync slows down as it goes. So the store runs ``ANALYZE`` on
    the tables it fills after :data:`ANALYZE_FIRST` inserted rows and again each time that number has grown
    :data:`ANALYZE_GROWTH` times: three times for a million rows, a few tens of milliseconds each.
    """

    def __init__(self, session_factory: Callable[[], Session], clock: Clock | None = None) -> None:
        self._session_factory = session_factory
        self._clock = clock or SystemClock()
        self._inserted: dict[CrmEntity, int] = {}
        self._analyze_at: dict[CrmEntity, int] = {}

    # -- cursors ----------------------------------------------------------------------------------------------
    def cursor(self, company_group_id: int, source: str, entity: CrmEntity) -> SyncCursor | None:
        with self._session_factory() as session:
            return _cursor(session.connection(), company_group_id, source, entity)

    # -- loading ----------------------------------------------------------------------------------------------
    def load(
        self, company_group_id: int, source: str, entity: CrmEntity, batch: LoadBatch, run_id: int
    ) -> SyncCounts:
        now = self._clock.now()
        with self._session_factory() as session, session.begin():
            connection = session.connection()
            _relax_commit_flush(connection)
            to = Destination(connection, company_group_id, source, entity, now)
            result = load_records(to, batch.records)
            deleted = soft_delete(to, [record.external_id for record in batch.deleted])
            rejected = [*batch.invalid, *result.rejected]
            _store_dead_letters(to, rejected, run_id)
            done = [*result.loaded, *(record.external_id for record in batch.deleted)]
            _resolve_dead_letters(to, done)
            if batch.cursor is not None:
                _advance(connection, company_group_id, source, entity, batch.cursor)
        self._keep_statistics_fresh(entity, result.inserted)
        return SyncCounts(
            inserted=result.inserted,
            updated=result.updated,
            unchanged=result.unchanged,
            deleted=deleted,
            invalid=len(rejected),
        )

    def _keep_statistics_fresh(self, entity: CrmEntity, inserted: int) -> None:
        total = self._inserted[entity] = self._inserted.get(entity, 0) + inserted
        if total < self._analyze_at.get(entity, ANALYZE_FIRST):
            return
        self._analyze_at[entity] = ANALYZE_GROWTH * total
        with self._session_factory() as session, session.begin():
            connection = session.connection()
            if connection.dialect.name != "postgresql":
                return  # SQLite's planner picks the unique indexes for these look-ups without statistics
            for table in _ANALYZED[entity]:
                connection.exec_driver_sql(f"ANALYZE {table}")

    def soft_delete_missing(
        self, company_group_id: int, source: str, entity: CrmEntity, seen: Collection[str]
    ) -> int:
        now = self._clock.now()
        with self._session_factory() as session, session.begin():
            connection = session.connection()
            live = live_external_ids(connection, company_group_id, source, entity)
            gone = live - set(seen)
            return soft_delete(Destination(connection, company_group_id, source, entity, now), gone)

    # -- runs -------------------------------------------------------------------------------------------------
    def start_run(self, run: SyncRun) -> SyncRun:
        with self._session_factory() as session, session.begin():
            row = t.SyncRun(**_run_values(run))
            session.add(row)
            session.flush()
            return run.model_copy(update={"id": row.id})

    def finish_run(self, run: SyncRun) -> SyncRun:
        if run.id is None:
            raise ValueError("finish_run needs a stored run (start_run first)")
        with self._session_factory() as session, session.begin():
            changed = session.execute(
                update(t.SyncRun)
                .where(t.SyncRun.id == run.id, t.SyncRun.company_group_id == run.company_group_id)
                .values(**_run_values(run))
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                raise NotFound("sync run", run.id)
        return run

    def runs(self, company_group_id: int, *, source: str | None = None, limit: int = 20) -> list[SyncRun]:
        query = (
            select(t.SyncRun)
            .where(t.SyncRun.company_group_id == company_group_id)
            .order_by(t.SyncRun.id.desc())
            .limit(limit)
        )
        if source is not None:
            query = query.where(t.SyncRun.source == source)
        with self._session_factory() as session:
            return [_run(row) for row in session.scalars(query)]

    # -- dead letters -----------------------------------------------------------------------------------------
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
        table = t.DeadLetter
        query = (
            select(table).where(table.company_group_id == company_group_id).order_by(table.id).limit(limit)
        )
        query = query.where(table.resolved_at.is_not(None) if resolved else table.resolved_at.is_(None))
        if source is not None:
            query = query.where(table.source == source)
        if entity is not None:
            query = query.where(table.entity == entity.value)
        if after_id is not None:
            query = query.where(table.id > after_id)
        with self._session_factory() as session:
            return [DeadLetter.model_validate(row) for row in session.scalars(query)]


def _cursor(
    connection: Connection, company_group_id: int, source: str, entity: CrmEntity
) -> SyncCursor | None:
    table = table_of(t.SyncCursor)
    row = connection.execute(
        select(table.c.modified_at, table.c.external_id).where(
            table.c.company_group_id == company_group_id,
            table.c.source == source,
            table.c.entity == entity.value,
        )
    ).one_or_none()
    return None if row is None else SyncCursor(modified_at=row.modified_at, external_id=row.external_id)


def _advance(
    connection: Connection, company_group_id: int, source: str, entity: CrmEntity, cursor: SyncCursor
) -> None:
    """Move the cursor to ``cursor`` unless it is already further (a full re-read never moves it back)."""
    current = _cursor(connection, company_group_id, source, entity)
    if current is not None and (current.modified_at, id_order(current.external_id)) >= (
        cursor.modified_at,
        id_order(cursor.external_id),
    ):
        return
    values = {
        "company_group_id": company_group_id,
        "source": source,
        "entity": entity.value,
        "modified_at": cursor.modified_at,
        "external_id": cursor.external_id,
    }
    statement = _dialect_insert(connection)(table_of(t.SyncCursor)).values(**values)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["company_group_id", "source", "entity"],
            set_={"modified_at": cursor.modified_at, "external_id": cursor.external_id},
        )
    )


def _store_dead_letters(
    to: Destination, rejected: list[tuple[SourceRecord, list[dict[str, object]]]], run_id: int
) -> None:
    if not rejected:
        return
    table = table_of(t.DeadLetter)
    unique = {record.external_id: (record, errors) for record, errors in rejected}
    rows = [
        {
            "company_group_id": to.company_group_id,
            "source": to.source,
            "entity": to.entity.value,
            "external_id": record.external_id,
            "payload": record.payload,
            "modified_at": record.modified_at,
            "deleted": record.deleted,
            "errors": [_plain(error) for error in errors],
            "attempts": 1,
            "first_seen_at": to.now,
            "last_seen_at": to.now,
            "resolved_at": None,
            "last_run_id": run_id,
        }
        for record, errors in unique.values()
    ]
    statement = _dialect_insert(to.connection)(table)
    excluded = statement.excluded
    to.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["company_group_id", "source", "entity", "external_id"],
            set_={
                "payload": excluded.payload,
                "modified_at": excluded.modified_at,
                "deleted": excluded.deleted,
                "errors": excluded.errors,
                "attempts": table.c.attempts + 1,
                "last_seen_at": excluded.last_seen_at,
                "resolved_at": None,
                "last_run_id": excluded.last_run_id,
            },
        ),
        rows,
    )


def _resolve_dead_letters(to: Destination, external_ids: list[str]) -> None:
    if not external_ids:
        return
    table = table_of(t.DeadLetter)
    open_letters = select(table.c.id).where(
        table.c.company_group_id == to.company_group_id,
        table.c.source == to.source,
        table.c.entity == to.entity.value,
        table.c.resolved_at.is_(None),
    )
    if to.connection.scalar(open_letters.limit(1)) is None:
        return  # the common case, asked in a short query rather than with every id of the batch
    statement = (
        update(table)
        .where(
            table.c.company_group_id == to.company_group_id,
            table.c.source == to.source,
            table.c.entity == to.entity.value,
            table.c.resolved_at.is_(None),
            one_of(to.connection, table.c.external_id, "ids"),
        )
        .values(resolved_at=to.now)
    )
    for chunk in value_groups(to.connection, sorted(set(external_ids))):
        to.connection.execute(statement, {"ids": chunk})


def _relax_commit_flush(connection: Connection) -> None:
    """Let PostgreSQL acknowledge this batch's commit before its WAL reaches the disk.

    A load commits a batch and its cursor together, so a server crash that loses the last few commits (the only
    risk: nothing is corrupted, unlike with fsync off) loses batches and their cursor moves alike, and the next
    run reads those records again. The commit then costs no disk flush, which a batch of thousands of rows with
    their index entries otherwise waits for.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit = off")


def _dialect_insert(connection: Connection) -> Any:
    return postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert


def _plain(error: dict[str, object]) -> dict[str, object]:
    """An error as JSON can hold it (pydantic puts exceptions and tuples in ``ctx`` and ``loc``)."""
    return {
        key: value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        for key, value in error.items()
    }


def _run_values(run: SyncRun) -> dict[str, Any]:
    counts = run.counts.model_dump()
    return {
        "company_group_id": run.company_group_id,
        "source": run.source,
        "entities": [entity.value for entity in run.entities],
        "full": run.full,
        "status": run.status.value,
        **counts,
        "entity_counts": {name: value.model_dump() for name, value in run.entity_counts.items()},
        "error": run.error,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


def _run(row: t.SyncRun) -> SyncRun:
    counts = SyncCounts(**{name: getattr(row, name) for name in SyncCounts.model_fields})
    return SyncRun(
        id=row.id,
        company_group_id=row.company_group_id,
        source=row.source,
        entities=[CrmEntity(name) for name in row.entities],
        full=row.full,
        status=row.status,
        counts=counts,
        entity_counts={name: SyncCounts(**value) for name, value in row.entity_counts.items()},
        error=row.error,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )
