"""A realistic, deterministic demo data set: company groups with their organisation, and candidates spread
across the funnel with plausible histories, screening answers and eligibility evaluations.

The same ``seed`` and ``now`` give the same rows, id for id, on every database. The organisation is written in
one transaction and the candidates in batches of one transaction each, so an interrupted seed leaves a complete
organisation and whole batches only. Ids are explicit, continuing after the largest stored id; seeding assumes
nothing else writes to these tables meanwhile.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine, Table, func, select

from hireflow.infra.db.base import metadata
from hireflow.infra.db.bulk import bulk_insert, insert_encoded, reset_sequences
from hireflow.infra.db.seed_funnel import CANDIDATE_TABLES, PHONE_SPACE, CandidateFactory
from hireflow.infra.db.seed_org import ORG_TABLES, IdAllocator, build_org
from hireflow.infra.db.seed_pipeline import Batch, encoded_batches
from hireflow.infra.db.tables import Candidate, CompanyGroup, User
from hireflow.shared.clock import ensure_utc, utcnow
from hireflow.shared.errors import Conflict, ValidationFailed
from hireflow.shared.metrics import emit

DEFAULT_BATCH_SIZE = 10_000
SEEDED_TABLES = (*ORG_TABLES, *CANDIDATE_TABLES)
"""Every table the demo data set writes to, parents first."""

ProgressCallback = Callable[[int, int], None]
# SQLite's default page cache (2 MB) thrashes on the random-order indexes of a large load; 64 MB does not.
_SQLITE_LOAD_CACHE_KIB = 65_536


@dataclass(frozen=True)
class SeedReport:
    """What a seed wrote: rows per table, the new company groups, and how long it took."""

    counts: dict[str, int]
    elapsed_seconds: float
    company_group_ids: tuple[int, ...] = field(default=())

    @property
    def candidates(self) -> int:
        """How many candidates were written."""
        return self.counts.get("candidates", 0)

    @property
    def total_rows(self) -> int:
        """How many rows were written, all tables together."""
        return sum(self.counts.values())


def database_has_data(engine: Engine) -> bool:
    """Whether the database already holds company groups or candidates."""
    with engine.connect() as connection:
        return _has_data(connection)


def _has_data(connection: Connection) -> bool:
    # LIMIT 1 rather than COUNT(*): a large database answers at once.
    return any(
        connection.execute(select(column).limit(1)).first() is not None
        for column in (CompanyGroup.id, Candidate.id)
    )


def seed_demo(
    engine: Engine,
    *,
    candidates: int = 2000,
    seed: int = 42,
    append: bool = False,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> SeedReport:
    """Write a demo data set of new company groups and ``candidates`` candidates, and report what was written.

    Refuses (``Conflict``) a database that already holds company groups or candidates unless ``append`` is set;
    appended groups get slugs and staff emails of their own. Timestamps fall in the ~120 days before ``now``
    (default: the current UTC hour, so runs within the hour agree). ``progress(done, total)`` is called after
    every committed batch of ``batch_size`` candidates.
    """
    if candidates < 0 or batch_size < 1:
        raise ValidationFailed(
            "the demo needs candidates >= 0 and batch_size >= 1",
            [{"field": "candidates", "input": candidates}, {"field": "batch_size", "input": batch_size}],
        )
    started = time.perf_counter()
    reference = ensure_utc(now) if now is not None else utcnow().replace(minute=0, second=0, microsecond=0)
    rng = random.Random(seed)  # noqa: S311 - demo data: reproducible, not secret
    counts = dict.fromkeys(SEEDED_TABLES, 0)
    with engine.begin() as connection:
        _refuse_existing_data(connection, append)
        last_ids = _last_ids(connection)
        if last_ids["candidates"] + candidates >= PHONE_SPACE:
            raise ValidationFailed(
                f"the demo gives out at most {PHONE_SPACE - 1:,} candidate ids per database"
            )
        ids = IdAllocator(last_ids)
        org = build_org(
            rng, ids, reference, taken_slugs=_slugs(connection), taken_emails=_user_emails(connection)
        )
        _insert(connection, org.rows, counts)
    factory = CandidateFactory(rng, org.groups, ids, reference)
    sizes = [min(batch_size, candidates - start) for start in range(0, candidates, batch_size)]
    done = 0
    for batch in encoded_batches(factory, sizes, engine.dialect):
        with engine.begin() as connection, _load_settings(connection):
            _insert_encoded(connection, batch, counts)
        seeded = len(batch["candidates"].values)
        done += seeded
        emit("demo.seeded_candidates", seeded, dialect=engine.dialect.name)
        if progress is not None:
            progress(done, candidates)
    _refresh_planner_statistics(engine)
    return SeedReport(counts, time.perf_counter() - started, tuple(group.id for group in org.groups))


def _refresh_planner_statistics(engine: Engine) -> None:
    """ANALYZE the seeded tables: after a bulk load the planner's statistics describe empty tables, and every
    query picks plans for them (a search at a million candidates took 250 ms instead of 2 ms until ANALYZE)."""
    with engine.begin() as connection:
        for name in SEEDED_TABLES:
            connection.exec_driver_sql(f'ANALYZE "{name}"')


def _refuse_existing_data(connection: Connection, append: bool) -> None:
    if append or not _has_data(connection):
        return
    groups = connection.execute(select(func.count()).select_from(CompanyGroup)).scalar_one()
    people = connection.execute(select(func.count()).select_from(Candidate)).scalar_one()
    raise Conflict(
        f"the database already holds {groups:,} company group(s) and {people:,} candidate(s); pass --append "
        "to add a new demo data set beside them (or seed an empty database)",
        company_groups=groups,
        candidates=people,
    )


def _tables(names: Iterable[str]) -> list[Table]:
    return [metadata.tables[name] for name in names]


def _last_ids(connection: Connection) -> dict[str, int]:
    return {
        table.name: connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        for table in _tables(SEEDED_TABLES)
    }


def _slugs(connection: Connection) -> set[str]:
    return set(connection.execute(select(CompanyGroup.slug)).scalars())


def _user_emails(connection: Connection) -> set[str]:
    return set(connection.execute(select(User.email).where(User.email.like("%.example.com"))).scalars())


def _insert(connection: Connection, rows: dict[str, list[dict[str, object]]], counts: dict[str, int]) -> None:
    for table in _tables(rows):
        counts[table.name] += bulk_insert(connection, table, rows[table.name])
    reset_sequences(connection, _tables(rows))


def _insert_encoded(connection: Connection, batch: Batch, counts: dict[str, int]) -> None:
    for table in _tables(batch):  # parents before children: the order CANDIDATE_TABLES gives
        counts[table.name] += insert_encoded(connection, table, batch[table.name])
    reset_sequences(connection, _tables(batch))


@contextmanager
def _load_settings(connection: Connection) -> Iterator[None]:
    """A larger page cache for the duration of a batch on SQLite (a per-connection setting, restored after)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{_SQLITE_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")
