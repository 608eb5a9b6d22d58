"""The SQL embedding store on SQLite and PostgreSQL: revisions, tombstones, stale records, a change of model."""

from __future__ import annotations

import struct
import threading

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.jobs import JobOpening, JobStatus
from hireflow.domain.models.matching import EmbeddedEntity, EmbeddingRow
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.embeddings import SqlAlchemyEmbeddingStore
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from tests.builders import candidate, new_tenant

C, J = EmbeddedEntity.CANDIDATE, EmbeddedEntity.JOB
MODEL = "all-MiniLM-L6-v2"


def vector(*values: float, dims: int = 4) -> bytes:
    padded = list(values) + [0.0] * (dims - len(values))
    return struct.pack(f"<{dims}f", *padded)


def row(record_id: int, digest: str = "h", *values: float) -> EmbeddingRow:
    return EmbeddingRow(record_id=record_id, content_hash=digest, vector=vector(*(values or (1.0,))))


@pytest.fixture
def tenant(engine: Engine) -> int:
    return new_tenant(sqlalchemy_uow_factory(sessionmaker(bind=engine)), "acme")


def test_each_write_takes_the_next_revision_and_stamps_its_rows(engine: Engine, tenant: int) -> None:
    store = SqlAlchemyEmbeddingStore(engine, tenant)
    assert store.embedding_set(C) is None

    first = store.write(C, model=MODEL, dimensions=4, rows=[row(1, "a"), row(2, "b")])
    second = store.write(C, model=MODEL, dimensions=4, rows=[row(2, "b2", 0.0, 1.0)], removed=[1])

    assert (first, second) == (1, 2)
    assert store.hashes(C, [1, 2, 3]) == {2: "b2"}  # 1 is a tombstone now, 3 never was
    assert store.vectors(C, [1, 2]) == {2: vector(0.0, 1.0)}
    assert store.count(C) == 1
    made = store.embedding_set(C)
    assert made is not None
    assert (made.model, made.dimensions, made.revision) == (MODEL, 4, 2)
    with engine.connect() as connection:
        stamped = dict(
            connection.execute(
                select(t.Embedding.record_id, t.Embedding.revision).order_by(t.Embedding.record_id)
            ).all()
        )
    assert stamped == {1: 2, 2: 2}  # the tombstone carries the revision that removed it
    assert store.embedding_set(J) is None  # sets are per entity


def test_a_new_model_empties_the_set_and_gives_it_a_new_generation(engine: Engine, tenant: int) -> None:
    store = SqlAlchemyEmbeddingStore(engine, tenant)
    store.write(C, model=MODEL, dimensions=4, rows=[row(1), row(2)])
    before = store.embedding_set(C)

    store.write(
        C,
        model="another-model",
        dimensions=3,
        rows=[EmbeddingRow(record_id=3, content_hash="x", vector=vector(1, dims=3))],
    )

    after = store.embedding_set(C)
    assert before is not None
    assert after is not None
    assert after.generation != before.generation
    assert (after.model, after.dimensions) == ("another-model", 3)
    assert store.hashes(C, [1, 2, 3]) == {3: "x"}


def test_vectors_of_the_wrong_size_are_refused_and_nothing_is_written(engine: Engine, tenant: int) -> None:
    store = SqlAlchemyEmbeddingStore(engine, tenant)
    store.write(C, model=MODEL, dimensions=4, rows=[row(1, "a")])

    with pytest.raises(ValueError, match="not 4 float32 values"):
        store.write(
            C,
            model=MODEL,
            dimensions=4,
            rows=[row(2), EmbeddingRow(record_id=3, content_hash="h", vector=b"\0" * 8)],
        )

    assert store.hashes(C, [1, 2, 3]) == {1: "a"}
    assert store.embedding_set(C).revision == 1  # type: ignore[union-attr]


def test_stale_finds_deleted_merged_missing_and_no_longer_open_records(engine: Engine, tenant: int) -> None:
    factory = sqlalchemy_uow_factory(sessionmaker(bind=engine))
    with factory(tenant) as uow:
        kept = uow.candidates.add(candidate(tenant, phone="+15555550101"))
        deleted = uow.candidates.add(candidate(tenant, phone="+15555550102"))
        merged = uow.candidates.add(candidate(tenant, phone="+15555550103"))
        deleted = uow.candidates.update(deleted.model_copy(update={"deleted_at": deleted.entered_at}))
        merged = uow.candidates.update(merged.model_copy(update={"merged_into_id": kept.id}))
        open_job = uow.job_openings.add(JobOpening(company_group_id=tenant, title="Nurse"))
        paused = uow.job_openings.add(
            JobOpening(company_group_id=tenant, title="Cook", status=JobStatus.ON_HOLD)
        )
        filled = uow.job_openings.add(
            JobOpening(company_group_id=tenant, title="Driver", status=JobStatus.FILLED)
        )
        uow.commit()
    ids = [kept.id, deleted.id, merged.id]
    store = SqlAlchemyEmbeddingStore(engine, tenant)
    store.write(C, model=MODEL, dimensions=4, rows=[row(i or 0) for i in [*ids, 999_999]])
    store.write(J, model=MODEL, dimensions=4, rows=[row(j.id or 0) for j in (open_job, paused, filled)])

    assert store.stale(C, 0, 10) == sorted([deleted.id, merged.id, 999_999])
    assert store.stale(C, 0, 1) == [min(deleted.id or 0, merged.id or 0)]  # paged by id
    assert store.stale(J, 0, 10) == [filled.id]


def test_tenants_never_see_each_others_embeddings(engine: Engine, tenant: int) -> None:
    other = new_tenant(sqlalchemy_uow_factory(sessionmaker(bind=engine)), "globex")
    SqlAlchemyEmbeddingStore(engine, tenant).write(C, model=MODEL, dimensions=4, rows=[row(1, "mine")])

    theirs = SqlAlchemyEmbeddingStore(engine, other)

    assert theirs.hashes(C, [1]) == {}
    assert theirs.vectors(C, [1]) == {}
    assert theirs.count(C) == 0
    assert theirs.embedding_set(C) is None


@pytest.mark.slow
def test_concurrent_writers_of_one_set_commit_their_revisions_in_order(engine: Engine, tenant: int) -> None:
    store = SqlAlchemyEmbeddingStore(engine, tenant)
    store.write(C, model=MODEL, dimensions=4, rows=[row(0)])
    errors: list[BaseException] = []

    def write(start: int) -> None:
        try:
            for i in range(start, start + 20):
                store.write(C, model=MODEL, dimensions=4, rows=[row(i, f"h{i}")])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(start,)) for start in (100, 200, 300)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with engine.connect() as connection:
        revisions = sorted(connection.scalars(select(t.Embedding.revision)))
    assert revisions == list(range(1, 62))  # 61 writes, 61 distinct revisions, none lost or shared
    assert store.embedding_set(C).revision == 61  # type: ignore[union-attr]
