"""Vector indexes against the embeddings they derive from: usearch files on SQLite and PostgreSQL, and pgvector on
a PostgreSQL 18 with the extension. Each index must give the exact top-k of a small set (checked against numpy),
follow every change the writers make (updates, tombstones, a new generation, an emptied or restored database),
keep tenants apart, and survive a second process, a crash or a corrupt checkpoint."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from sqlalchemy import Engine, text

from hireflow.domain.models.matching import EmbeddedEntity, Neighbour
from hireflow.domain.ports.matching import VectorIndex
from hireflow.infra.db import migrate
from hireflow.infra.db.engine import build_engine
from hireflow.infra.ml.vector_index import (
    ExactIndex,
    IndexCache,
    PgvectorIndex,
    UsearchIndex,
    build_vector_index,
    describe_vector_index,
    pgvector_index,
)
from hireflow.infra.ml.vector_index.pgvector_schema import pgvector_version
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError, ValidationFailed
from tests.conftest import truncate_all
from tests.integration.ml.embedding_rows import EmbeddingWriter, new_company_group, unit_vectors

CANDIDATE = EmbeddedEntity.CANDIDATE
DIMENSIONS = 16
URLS = {
    "usearch-sqlite": "sqlite_database_url",
    "usearch-postgres": "postgres_database_url",
    "pgvector": "pgvector_database_url",
}


@dataclass
class World:
    """A migrated database, a company group in it, a writer of its embeddings, and indexes of one kind."""

    kind: str
    engine: Engine
    directory: Path
    tenant: int
    writer: EmbeddingWriter

    def index(self, tenant: int | None = None, **options: Any) -> VectorIndex:
        """A new index object; usearch ones get a cache of their own, as a new process would have."""
        tenant = self.tenant if tenant is None else tenant
        if self.kind == "pgvector":
            return PgvectorIndex(self.engine, tenant, **options)
        options.setdefault("cache", IndexCache())
        return UsearchIndex(self.engine, tenant, self.directory, **options)

    def writer_for(self, tenant: int, entity: str = "candidate") -> EmbeddingWriter:
        return EmbeddingWriter(self.engine, tenant, entity, DIMENSIONS)


@pytest.fixture(scope="session")
def ml_engines() -> Iterator[dict[str, Engine]]:
    """One migrated engine per database URL for the run."""
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@contextmanager
def _world(
    kind: str, request: pytest.FixtureRequest, ml_engines: dict[str, Engine], tmp_path: Path
) -> Iterator[World]:
    url = request.getfixturevalue(URLS[kind])
    if url not in ml_engines:
        ml_engines[url] = build_engine(url)
        migrate.upgrade(ml_engines[url])
    engine = ml_engines[url]
    tenant = new_company_group(engine, "acme")
    writer = EmbeddingWriter(engine, tenant, dimensions=DIMENSIONS)
    try:
        yield World(kind, engine, tmp_path / "vectors", tenant, writer)
    finally:
        truncate_all(engine)
        if kind == "pgvector":
            _truncate_derived_tables(engine)
        engine.dispose()  # no connection outlives the test, so the servers stop promptly at the end


@pytest.fixture(
    params=[
        "usearch-sqlite",
        pytest.param("usearch-postgres", marks=pytest.mark.postgres),
        pytest.param("pgvector", marks=pytest.mark.postgres),
    ]
)
def world(request: pytest.FixtureRequest, ml_engines: dict[str, Engine], tmp_path: Path) -> Iterator[World]:
    """Each kind of index on its database."""
    with _world(request.param, request, ml_engines, tmp_path) as made:
        yield made


@pytest.fixture(params=["usearch-sqlite", pytest.param("usearch-postgres", marks=pytest.mark.postgres)])
def usearch_world(
    request: pytest.FixtureRequest, ml_engines: dict[str, Engine], tmp_path: Path
) -> Iterator[World]:
    """usearch files, on SQLite and on PostgreSQL."""
    with _world(request.param, request, ml_engines, tmp_path) as made:
        yield made


@pytest.fixture
def pgvector_world(
    request: pytest.FixtureRequest, ml_engines: dict[str, Engine], tmp_path: Path
) -> Iterator[World]:
    """pgvector on the embedded PostgreSQL 18."""
    with _world("pgvector", request, ml_engines, tmp_path) as made:
        yield made


def _truncate_derived_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        names = connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND (tablename LIKE 'embedding\\_vectors\\_%' OR tablename = 'vector_index_state')"
            )
        ).scalars()
        for name in names:
            connection.execute(text(f'TRUNCATE "{name}"'))


def _vectors(count: int, seed: int = 7, first_id: int = 1) -> dict[int, NDArray[np.float32]]:
    rows = unit_vectors(np.random.default_rng(seed), count, DIMENSIONS)
    return {first_id + offset: row for offset, row in enumerate(rows)}


def _exact(vectors: dict[int, NDArray[np.float32]], query: NDArray[np.float32], k: int) -> list[int]:
    ids = np.array(list(vectors))
    similarities = np.stack(list(vectors.values())) @ query
    return [int(record_id) for record_id in ids[np.argsort(-similarities, kind="stable")[:k]]]


def _ids(neighbours: list[Neighbour]) -> list[int]:
    return [neighbour.record_id for neighbour in neighbours]


def _near(vector: NDArray[np.float32], seed: int) -> NDArray[np.float32]:
    moved = vector + 0.05 * np.random.default_rng(seed).normal(size=vector.shape)
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def test_nearest_is_the_exact_top_k_by_descending_similarity(world: World) -> None:
    vectors = _vectors(300)
    world.writer.write(vectors)
    index = world.index()
    exact = ExactIndex(world.engine, world.tenant)
    for seed, record_id in enumerate((1, 57, 300)):
        query = _near(vectors[record_id], seed)
        found = index.nearest(CANDIDATE, query.tobytes(), 10)
        assert (
            _ids(found) == _exact(vectors, query, 10) == _ids(exact.nearest(CANDIDATE, query.tobytes(), 10))
        )
        assert found[0].similarity == pytest.approx(float(vectors[found[0].record_id] @ query), abs=1e-5)
        assert [n.similarity for n in found] == sorted((n.similarity for n in found), reverse=True)
    assert index.refresh(CANDIDATE) == 1


def test_k_beyond_the_set_returns_every_record_and_an_empty_set_none(world: World) -> None:
    index = world.index()
    query = _vectors(1)[1].tobytes()
    assert index.nearest(CANDIDATE, query, 5) == []
    assert index.refresh(CANDIDATE) == 0
    world.writer.write(_vectors(7))
    assert sorted(_ids(index.nearest(CANDIDATE, query, 50))) == list(range(1, 8))
    assert index.nearest(CANDIDATE, query, 0) == []
    world.writer.write(dict.fromkeys(range(1, 8)))
    assert index.nearest(CANDIDATE, query, 5) == []


def test_a_query_of_the_wrong_size_is_refused(world: World) -> None:
    world.writer.write(_vectors(5))
    with pytest.raises(ValidationFailed, match=f"{DIMENSIONS} float32 values"):
        world.index().nearest(CANDIDATE, b"\x00" * 12, 3)


def test_a_changed_vector_moves_and_a_removed_record_is_never_returned(world: World) -> None:
    vectors = _vectors(300)
    world.writer.write(vectors)
    index = world.index()
    old_place = vectors[10]
    assert _ids(index.nearest(CANDIDATE, old_place.tobytes(), 1)) == [10]

    new_place = _vectors(1, seed=99)[1]
    removed = set(range(100, 150))
    assert world.writer.write({10: new_place} | dict.fromkeys(removed)) == 2
    vectors[10] = new_place
    for record_id in removed:
        del vectors[record_id]

    assert _ids(index.nearest(CANDIDATE, new_place.tobytes(), 1)) == [10]
    assert 10 not in _ids(index.nearest(CANDIDATE, old_place.tobytes(), 3))
    everything = index.nearest(CANDIDATE, old_place.tobytes(), 1000)
    assert sorted(_ids(everything)) == sorted(vectors)
    assert removed.isdisjoint(_ids(everything))
    query = _near(vectors[200], 3)
    assert _ids(index.nearest(CANDIDATE, query.tobytes(), 10)) == _exact(vectors, query, 10)
    assert index.refresh(CANDIDATE) == 2

    world.writer.write({120: vectors[200]})  # a removed record comes back
    assert 120 in _ids(index.nearest(CANDIDATE, vectors[200].tobytes(), 2))


def test_a_new_generation_rebuilds_the_index(world: World) -> None:
    world.writer.write(_vectors(200))
    index = world.index()
    index.refresh(CANDIDATE)
    renewed = _vectors(50, seed=11, first_id=1000)
    world.writer.renew(renewed)
    query = _near(renewed[1010], 5)
    found = index.nearest(CANDIDATE, query.tobytes(), 100)
    assert sorted(_ids(found)) == sorted(renewed)
    assert _ids(found)[:10] == _exact(renewed, query, 10)


def test_an_emptied_database_leaves_no_ghosts(world: World) -> None:
    world.writer.write(_vectors(100))
    index = world.index()
    query = _vectors(1, seed=3)[1].tobytes()
    assert len(index.nearest(CANDIDATE, query, 10)) == 10

    world.writer.delete_everything()
    assert index.nearest(CANDIDATE, query, 10) == []
    assert index.refresh(CANDIDATE) == 0

    fresh = _vectors(20, seed=4, first_id=500)  # the set starts again at revision 1, as after a restore
    world.writer.write(fresh)
    assert sorted(_ids(index.nearest(CANDIDATE, query, 100))) == sorted(fresh)
    assert sorted(_ids(world.index().nearest(CANDIDATE, query, 100))) == sorted(fresh)


def test_a_database_restored_to_an_earlier_revision_rebuilds_the_index(world: World) -> None:
    vectors = _vectors(100)
    world.writer.write(vectors)
    backup = _rows(world)
    index = world.index()
    world.writer.write(dict.fromkeys(range(1, 51)))
    world.writer.write({60: vectors[1]})
    assert index.refresh(CANDIDATE) == 3

    _restore(world, backup)  # revision 1 again, with records 1..50 alive and 60 where it was
    query = vectors[1]
    found = index.nearest(CANDIDATE, query.tobytes(), 100)
    assert sorted(_ids(found)) == sorted(vectors)
    assert _ids(found)[:5] == _exact(vectors, query, 5)
    assert index.refresh(CANDIDATE) == 1


def _rows(world: World) -> dict[str, list[dict[str, Any]]]:
    with world.engine.connect() as connection:
        return {
            table: [dict(row) for row in connection.execute(text(f"SELECT * FROM {table}")).mappings()]
            for table in ("embedding_sets", "embeddings")
        }


def _restore(world: World, backup: dict[str, list[dict[str, Any]]]) -> None:
    world.writer.delete_everything()
    with world.engine.begin() as connection:
        for table in ("embedding_sets", "embeddings"):
            columns = list(backup[table][0])
            connection.execute(
                text(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
                ),
                backup[table],
            )


def test_company_groups_and_entities_never_see_each_others_vectors(world: World) -> None:
    other = new_company_group(world.engine, "globex")
    mine, theirs, jobs = _vectors(50, seed=1), _vectors(50, seed=2), _vectors(50, seed=3)
    world.writer.write(mine)
    world.writer_for(other).write(theirs)
    world.writer_for(world.tenant, "job").write(jobs)

    for tenant, entity, vectors in (
        (world.tenant, CANDIDATE, mine),
        (other, CANDIDATE, theirs),
        (world.tenant, EmbeddedEntity.JOB, jobs),
    ):
        index = world.index(tenant)
        for query in (mine[5], theirs[5], jobs[5]):
            found = index.nearest(entity, query.tobytes(), 100)
            assert sorted(_ids(found)) == list(range(1, 51))
            similarities = {n.record_id: n.similarity for n in found}
            assert similarities[5] == pytest.approx(float(vectors[5] @ query), abs=1e-5)
    assert world.index(other).nearest(EmbeddedEntity.JOB, mine[5].tobytes(), 10) == []


def test_a_second_index_object_sees_every_change(world: World) -> None:
    vectors = _vectors(100)
    world.writer.write(vectors)
    first, second = world.index(), world.index()
    query = vectors[42].tobytes()
    assert _ids(first.nearest(CANDIDATE, query, 1)) == [42]
    assert _ids(second.nearest(CANDIDATE, query, 1)) == [42]
    world.writer.write({42: None, 43: vectors[42]})
    assert _ids(first.nearest(CANDIDATE, query, 1)) == [43]
    assert _ids(second.nearest(CANDIDATE, query, 1)) == [43]
    assert _ids(world.index().nearest(CANDIDATE, query, 1)) == [43]


# --- usearch files --------------------------------------------------------------------------------------------


STRAY = "cg1-candidate.0123456789abcdef.usearch"


def _index_files(world: World) -> list[str]:
    return sorted(path.name for path in world.directory.glob("*.usearch"))


def test_another_process_starts_from_the_checkpoint_and_catches_up(usearch_world: World) -> None:
    world = usearch_world
    vectors = _vectors(300)
    world.writer.write(vectors)
    world.index().refresh(CANDIDATE)
    built = _index_files(world)
    assert len(built) == 1
    world.writer.write({7: vectors[8]})  # a change the checkpoint does not hold

    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from hireflow.domain.models.matching import EmbeddedEntity\n"
        "from hireflow.infra.db.engine import build_engine\n"
        "from hireflow.infra.ml.vector_index import UsearchIndex\n"
        "url, tenant, directory, query = sys.argv[1:]\n"
        "index = UsearchIndex(build_engine(url), int(tenant), Path(directory))\n"
        "found = index.nearest(EmbeddedEntity.CANDIDATE, bytes.fromhex(query), 2)\n"
        "print(json.dumps(sorted(n.record_id for n in found)))\n"
    )
    url = world.engine.url.render_as_string(hide_password=False)
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            url,
            str(world.tenant),
            str(world.directory),
            vectors[8].tobytes().hex(),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(completed.stdout.splitlines()[-1]) == [7, 8]
    assert _index_files(world) == built  # loaded, not rebuilt (a build writes a new file)


def test_processes_building_at_once_build_once(usearch_world: World) -> None:
    world = usearch_world
    vectors = _vectors(500)
    world.writer.write(vectors)
    query = _near(vectors[9], 4)
    with ThreadPoolExecutor(max_workers=4) as pool:  # a cache each: four processes as far as files go
        results = list(
            pool.map(lambda _: _ids(world.index().nearest(CANDIDATE, query.tobytes(), 5)), range(4))
        )
    assert results == [_exact(vectors, query, 5)] * 4
    assert len(_index_files(world)) == 1


@pytest.mark.parametrize("damage", ["flip bytes", "truncate", "delete file", "garble sidecar", "stray file"])
def test_a_damaged_checkpoint_is_rebuilt_from_the_database(usearch_world: World, damage: str) -> None:
    world = usearch_world
    vectors = _vectors(300)
    world.writer.write(vectors)
    world.index().refresh(CANDIDATE)
    [name] = _index_files(world)
    path = world.directory / name
    data = path.read_bytes()
    if damage == "flip bytes":
        middle = len(data) // 2
        path.write_bytes(
            data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 64]) + data[middle + 64 :]
        )
    elif damage == "truncate":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "delete file":
        path.unlink()
    elif damage == "garble sidecar":
        (world.directory / f"cg{world.tenant}-candidate.json").write_text("{not json", encoding="utf-8")
    else:  # a crash after writing a new file and before naming it in the sidecar
        (world.directory / STRAY).write_bytes(data[:100])

    query = _near(vectors[150], 1)
    assert _ids(world.index().nearest(CANDIDATE, query.tobytes(), 10)) == _exact(vectors, query, 10)
    files = _index_files(world)
    if damage != "stray file":
        assert len(files) == 1
        assert files != [name]  # rebuilt, and checkpointed under a new name
        return
    assert files == sorted([name, STRAY])  # the sidecar names the complete file, which was loaded
    world.writer.write({1: None})
    world.index(checkpoint_rows=1).refresh(CANDIDATE)
    [saved] = _index_files(world)
    assert saved not in (name, STRAY)  # the next checkpoint removes what no sidecar names


def test_the_graph_search_finds_nearly_all_true_neighbours_through_changes(usearch_world: World) -> None:
    world = usearch_world
    vectors = _vectors(3000)
    world.writer.write(vectors)
    index = world.index(exact_below=0, checkpoint_rows=100)
    rng = np.random.default_rng(5)
    changed = {
        int(record_id): _vectors(1, seed=int(record_id))[1]
        for record_id in rng.choice(3000, 200, replace=False) + 1
    }
    removed = {int(record_id) for record_id in rng.choice(3000, 200, replace=False) + 1} - set(changed)
    index.refresh(CANDIDATE)
    world.writer.write(changed | dict.fromkeys(removed))
    vectors.update(changed)
    for record_id in removed:
        del vectors[record_id]

    hits = 0
    for seed, record_id in enumerate(list(changed)[:50]):
        query = _near(vectors[record_id], seed)
        found = _ids(index.nearest(CANDIDATE, query.tobytes(), 10))
        assert removed.isdisjoint(found)
        assert found[0] == record_id
        hits += len(set(found) & set(_exact(vectors, query, 10)))
    assert hits / 500 >= 0.95
    sidecar = json.loads((world.directory / f"cg{world.tenant}-candidate.json").read_text(encoding="utf-8"))
    assert sidecar["revision"] == 2  # more than checkpoint_rows applied: checkpointed again


def test_checkpoint_writes_what_was_applied_since_the_last_one(usearch_world: World) -> None:
    world = usearch_world
    world.writer.write(_vectors(50))
    index = UsearchIndex(world.engine, world.tenant, world.directory, cache=IndexCache())
    index.refresh(CANDIDATE)
    world.writer.write({1: None})
    index.refresh(CANDIDATE)
    sidecar = world.directory / f"cg{world.tenant}-candidate.json"
    assert json.loads(sidecar.read_text(encoding="utf-8"))["revision"] == 1  # below checkpoint_rows
    index.checkpoint(CANDIDATE)
    assert json.loads(sidecar.read_text(encoding="utf-8"))["revision"] == 2


# --- pgvector ------------------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_bulk_load_builds_the_graph_after_loading(
    pgvector_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = pgvector_world
    monkeypatch.setattr(pgvector_index, "BULK_LOAD_ROWS", 10)
    vectors = _vectors(300)
    world.writer.write(vectors)
    index = world.index(maintenance_work_mem="64MB", build_workers=0)
    query = _near(vectors[3], 2)
    assert _ids(index.nearest(CANDIDATE, query.tobytes(), 10)) == _exact(vectors, query, 10)
    with world.engine.connect() as connection:
        indexes = connection.execute(
            text("SELECT indexdef FROM pg_indexes WHERE tablename = 'embedding_vectors_16'")
        ).scalars()
        assert any("hnsw" in definition for definition in indexes)


@pytest.mark.postgres
def test_dropped_derived_tables_are_made_again(pgvector_world: World) -> None:
    world = pgvector_world
    vectors = _vectors(30)
    world.writer.write(vectors)
    index = world.index()
    assert _ids(index.nearest(CANDIDATE, vectors[4].tobytes(), 1)) == [4]
    with world.engine.begin() as connection:
        connection.execute(text("DROP TABLE embedding_vectors_16, vector_index_state"))
    assert _ids(index.nearest(CANDIDATE, vectors[4].tobytes(), 1)) == [4]


@pytest.mark.postgres
def test_postgresql_without_pgvector_is_a_clear_configuration_error(postgres_database_url: str) -> None:
    engine = build_engine(postgres_database_url)
    try:
        with engine.connect() as connection:
            if pgvector_version(connection) is not None:
                pytest.skip("this PostgreSQL has pgvector")
        with pytest.raises(ConfigurationError, match=r"no pgvector extension.*HIREFLOW_VECTOR_INDEX=usearch"):
            PgvectorIndex(engine, 1).nearest(CANDIDATE, b"\x00" * 64, 3)
        with pytest.raises(ConfigurationError, match="HIREFLOW_VECTOR_INDEX=usearch"):
            build_vector_index(engine, 1, Settings(vector_index="pgvector"))
        assert isinstance(build_vector_index(engine, 1, Settings()), UsearchIndex)
    finally:
        engine.dispose()


# --- choosing an index ---------------------------------------------------------------------------------------


def test_the_factory_picks_pgvector_where_it_exists_and_usearch_elsewhere(
    world: World, tmp_path: Path
) -> None:
    with world.engine.connect() as connection:
        has_pgvector = pgvector_version(connection) is not None
    chosen = build_vector_index(world.engine, world.tenant, Settings())
    described = describe_vector_index(world.engine, world.tenant, Settings())
    forced = build_vector_index(world.engine, world.tenant, Settings(vector_index="usearch"))
    assert isinstance(forced, UsearchIndex)
    if has_pgvector:
        assert isinstance(chosen, PgvectorIndex)
        assert described.startswith("pgvector 0.")
        assert described.endswith("(HNSW)")
        return
    assert isinstance(chosen, UsearchIndex)
    if world.engine.dialect.name == "sqlite":
        assert chosen.directory == Path(f"{world.engine.url.database}.vectors")
        with pytest.raises(ConfigurationError, match="needs PostgreSQL"):
            build_vector_index(world.engine, world.tenant, Settings(vector_index="pgvector"))
    else:
        assert chosen.directory == Path("hireflow-vectors")
    settings = Settings(vector_index_dir=tmp_path / "v")
    configured = build_vector_index(world.engine, world.tenant, settings)
    assert isinstance(configured, UsearchIndex)
    assert configured.directory == tmp_path / "v"
    assert describe_vector_index(world.engine, world.tenant, settings) == (
        f"usearch files at {tmp_path / 'v' / f'cg{world.tenant}-*.usearch'}"
    )
