"""Embedding and matching end to end on SQLite and PostgreSQL, with the real model (the fast ONNX backend) and
the real vector index, over the labelled evaluation set of ``tests/data/matching``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from hireflow.apps.matching import evaluate_labels, matching_service
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.jobs import JobStatus
from hireflow.domain.models.matching import EmbeddedEntity, MatchWeights
from hireflow.domain.ports.matching import Embedder
from hireflow.domain.services.embeddings import EmbeddingService
from hireflow.infra.db.repositories.embeddings import SqlAlchemyEmbeddingStore
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.config import Settings
from hireflow.shared.errors import Conflict
from tests.builders import new_tenant
from tests.embedder_support import onnx_embedder
from tests.matching_dataset import DATA, LoadedSet, load_evaluation_set

pytest.importorskip("onnxruntime", reason="the ml extra is not installed (pip install 'hireflow[ml]')")

C, J = EmbeddedEntity.CANDIDATE, EmbeddedEntity.JOB
PRECISION_AT_5_FLOOR = 0.7
"""What matching must reach on the labelled set; a keyword ranker stays below it (tests/unit/test_evaluation_set)."""


class CountingEmbedder:
    """The real embedder, counting the texts it embeds, and failing on demand after ``fail_after`` calls."""

    def __init__(self, inner: Embedder, *, model: str | None = None) -> None:
        self.inner, self._model = inner, model
        self.texts = 0
        self.calls = 0
        self.fail_after: int | None = None

    @property
    def model(self) -> str:
        return self._model or self.inner.model

    @property
    def dimensions(self) -> int:
        return self.inner.dimensions

    def embed(self, texts: Sequence[str]) -> list[bytes]:
        if self.fail_after is not None and self.calls >= self.fail_after:
            raise RuntimeError("the embedder died")
        self.calls += 1
        self.texts += len(texts)
        return self.inner.embed(texts)


@pytest.fixture
def real_embedder() -> Embedder:
    return onnx_embedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(vector_index_dir=tmp_path / "vectors", vector_index="usearch")


@pytest.fixture
def loaded(engine: Engine) -> tuple[int, LoadedSet]:
    factory = sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False))
    tenant = new_tenant(factory, "northstar")
    return tenant, load_evaluation_set(factory, tenant)


def service(
    engine: Engine, tenant: int, embedder: Embedder, settings: Settings, **kwargs: int
) -> EmbeddingService:
    from hireflow.infra.ml.vector_index.factory import build_vector_index

    return EmbeddingService(
        sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False)),
        tenant,
        store=SqlAlchemyEmbeddingStore(engine, tenant),
        embedder=embedder,
        index=build_vector_index(engine, tenant, settings),
        **kwargs,
    )


def counts(report: object) -> dict[str, tuple[int, int, int]]:
    return {c.entity.value: (c.embedded, c.unchanged, c.removed) for c in report.counts}  # type: ignore[attr-defined]


def test_only_new_and_changed_records_are_embedded_and_gone_ones_removed(
    engine: Engine, loaded: tuple[int, LoadedSet], real_embedder: Embedder, settings: Settings
) -> None:
    tenant, data = loaded
    embedder = CountingEmbedder(real_embedder)
    people, jobs = len(data.candidates), len(data.jobs)

    first = service(engine, tenant, embedder, settings).run()
    again = service(engine, tenant, embedder, settings).run()

    assert counts(first) == {"candidate": (people, 0, 0), "job": (jobs, 0, 0)}
    assert counts(again) == {"candidate": (0, people, 0), "job": (0, jobs, 0)}
    assert embedder.texts == people + jobs  # the second run embedded nothing

    factory = sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False))
    changed_id, deleted_id = list(data.candidates.values())[:2]
    closed_job = next(iter(data.jobs.values()))
    with factory(tenant) as uow:
        changed = uow.candidates.get(changed_id)
        uow.candidates.update(changed.model_copy(update={"skills": [*changed.skills, "Spanish"]}))
        gone = uow.candidates.get(deleted_id)
        uow.candidates.update(gone.model_copy(update={"deleted_at": gone.entered_at or gone.created_at}))
        job = uow.job_openings.get(closed_job)
        uow.job_openings.update(job.model_copy(update={"status": JobStatus.CLOSED}))
        uow.commit()

    third = service(engine, tenant, embedder, settings).run()

    assert counts(third) == {"candidate": (1, people - 2, 1), "job": (0, jobs - 1, 1)}
    store = SqlAlchemyEmbeddingStore(engine, tenant)
    assert store.count(C) == people - 1
    assert store.count(J) == jobs - 1
    some_job = list(data.jobs.values())[1]
    ranked = matching_service(engine, tenant, settings=settings).candidates_for_job(some_job, 1000).matches
    assert deleted_id not in {match.candidate_id for match in ranked}  # the index dropped it too
    assert len(ranked) == people - 1


def test_a_run_killed_mid_way_resumes_without_embedding_anything_twice(
    engine: Engine, loaded: tuple[int, LoadedSet], real_embedder: Embedder, settings: Settings
) -> None:
    tenant, data = loaded
    embedder = CountingEmbedder(real_embedder)
    embedder.fail_after = 2  # two pages of 40 are stored, the third dies

    with pytest.raises(RuntimeError, match="died"):
        service(engine, tenant, embedder, settings, page_size=40).run([C])

    assert SqlAlchemyEmbeddingStore(engine, tenant).count(C) == 80
    embedder.fail_after = None
    report = service(engine, tenant, embedder, settings, page_size=40).run([C])

    assert counts(report)["candidate"] == (len(data.candidates) - 80, 80, 0)
    assert embedder.texts == len(data.candidates)


def test_a_new_model_re_embeds_everything(
    engine: Engine, loaded: tuple[int, LoadedSet], real_embedder: Embedder, settings: Settings
) -> None:
    tenant, data = loaded
    service(engine, tenant, real_embedder, settings).run([J])
    renamed = CountingEmbedder(real_embedder, model="all-MiniLM-L6-v2-retrained")

    report = service(engine, tenant, renamed, settings).run([J])

    assert counts(report)["job"] == (len(data.jobs), 0, 0)
    embedding_set = SqlAlchemyEmbeddingStore(engine, tenant).embedding_set(J)
    assert embedding_set is not None
    assert embedding_set.model == "all-MiniLM-L6-v2-retrained"


def test_matching_reaches_the_precision_floor_on_the_labelled_set(
    engine: Engine, loaded: tuple[int, LoadedSet], real_embedder: Embedder, settings: Settings
) -> None:
    tenant, _ = loaded
    service(engine, tenant, real_embedder, settings).run()
    labels = (DATA / "labels.csv").read_text(encoding="utf-8").splitlines()

    report = evaluate_labels(engine, tenant, labels, [5, 10], settings=settings)

    assert report.queries >= 25
    assert report.at_k(5).precision >= PRECISION_AT_5_FLOOR
    assert report.at_k(10).ndcg >= 0.65


def test_matches_are_explained_and_the_other_direction_agrees(
    engine: Engine, loaded: tuple[int, LoadedSet], real_embedder: Embedder, settings: Settings
) -> None:
    tenant, data = loaded
    service(engine, tenant, real_embedder, settings).run()
    matcher = matching_service(engine, tenant, settings=settings)
    job_id = data.jobs[next(iter(data.jobs))]

    ranking = matcher.candidates_for_job(job_id, 5)

    assert [match.rank for match in ranking.matches] == [1, 2, 3, 4, 5]
    scores = [match.score for match in ranking.matches]
    assert scores == sorted(scores, reverse=True)
    best = ranking.matches[0]
    assert 0 < best.components.similarity <= 1
    assert best.explanation.cosine == pytest.approx(best.components.similarity, abs=1e-4)
    assert best.explanation.distance_km is not None  # both sides geocoded from their US ZIP codes
    assert best.explanation.salary
    assert best.explanation.matched_skills or best.explanation.missing_skills
    back = matcher.jobs_for_candidate(best.candidate_id, 3)
    assert job_id in {match.job_id for match in back.matches}


def test_hired_and_rejected_candidates_are_left_out_unless_asked_for(
    engine: Engine, loaded: tuple[int, LoadedSet], real_embedder: Embedder, settings: Settings
) -> None:
    tenant, data = loaded
    service(engine, tenant, real_embedder, settings).run()
    job_id = data.jobs[next(iter(data.jobs))]
    best = matching_service(engine, tenant, settings=settings).candidates_for_job(job_id, 2).matches
    factory = sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False))
    with factory(tenant) as uow:
        for match, state in zip(best, (FunnelState.HIRED, FunnelState.REJECTED), strict=True):
            person = uow.candidates.get(match.candidate_id)
            uow.candidates.update(person.model_copy(update={"funnel_state": state}))
        uow.commit()
    left_out = {match.candidate_id for match in best}

    default = matching_service(engine, tenant, settings=settings).candidates_for_job(job_id, 10).matches
    everyone = matching_service(
        engine,
        tenant,
        settings=settings.model_copy(
            update={"match_weights": MatchWeights(include_excluded_states=True).model_dump_json()}
        ),
    ).candidates_for_job(job_id, 10)

    assert not left_out & {match.candidate_id for match in default}
    assert left_out <= {match.candidate_id for match in everyone.matches}


def test_runs_are_recorded_and_a_record_without_an_embedding_is_a_clear_conflict(
    engine: Engine, loaded: tuple[int, LoadedSet], real_embedder: Embedder, settings: Settings
) -> None:
    tenant, data = loaded
    matcher = matching_service(engine, tenant, settings=settings)
    with pytest.raises(Conflict, match="run `hireflow embed`"):
        matcher.candidates_for_job(next(iter(data.jobs.values())), 5)
    service(engine, tenant, real_embedder, settings).run()

    run, rankings = matcher.match_open_jobs(3)
    again, _ = matcher.match_open_jobs(3)

    from hireflow.infra.db.repositories.match_runs import SqlAlchemyMatchStore

    store = SqlAlchemyMatchStore(engine, tenant)
    assert [r.id for r in store.runs(limit=2)] == [again.id, run.id]
    assert run.matches == 3 * len(data.jobs) == len(store.matches(run.id or 0))
    first_job = rankings[0].subject_id
    stored = store.matches(run.id or 0, subject_id=first_job)
    assert [m.candidate_id for m in stored] == [m.candidate_id for m in rankings[0].matches]
    assert stored == store.matches(again.id or 0, subject_id=first_job)  # comparable: the same ranking again


def test_tenants_match_only_their_own_records(
    engine: Engine, loaded: tuple[int, LoadedSet], real_embedder: Embedder, settings: Settings
) -> None:
    tenant, data = loaded
    factory = sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False))
    other = new_tenant(factory, "globex")
    theirs = load_evaluation_set(factory, other)
    service(engine, tenant, real_embedder, settings).run()
    service(engine, other, real_embedder, settings).run()

    ranked = matching_service(engine, tenant, settings=settings).candidates_for_job(
        next(iter(data.jobs.values())), 50
    )

    assert {m.candidate_id for m in ranked.matches} <= set(data.candidates.values())
    assert not {m.candidate_id for m in ranked.matches} & set(theirs.candidates.values())


@pytest.mark.postgres
def test_on_postgresql_with_pgvector_the_hnsw_index_serves_the_same_flow(
    pgvector_database_url: str, real_embedder: Embedder
) -> None:
    from hireflow.infra.db import migrate
    from hireflow.infra.db.engine import build_engine
    from hireflow.infra.ml.vector_index.factory import describe_vector_index

    engine = build_engine(pgvector_database_url)
    try:
        migrate.upgrade(engine)
        settings = Settings(vector_index="auto")
        factory = sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False))
        tenant = new_tenant(factory, "pgvector")
        data = load_evaluation_set(factory, tenant)
        service(engine, tenant, real_embedder, settings).run()
        labels = (DATA / "labels.csv").read_text(encoding="utf-8").splitlines()

        report = evaluate_labels(engine, tenant, labels, [5], settings=settings)
        job_id = next(iter(data.jobs.values()))
        best = matching_service(engine, tenant, settings=settings).candidates_for_job(job_id, 1).matches[0]
        with factory(tenant) as uow:
            gone = uow.candidates.get(best.candidate_id)
            uow.candidates.update(gone.model_copy(update={"deleted_at": gone.created_at}))
            uow.commit()
        removed = counts(service(engine, tenant, real_embedder, settings).run([C]))["candidate"][2]
        after = matching_service(engine, tenant, settings=settings).candidates_for_job(job_id, 5).matches

        assert describe_vector_index(engine, tenant, settings).startswith("pgvector")
        assert report.at_k(5).precision >= PRECISION_AT_5_FLOOR
        assert removed == 1
        assert best.candidate_id not in {match.candidate_id for match in after}
    finally:
        engine.dispose()


def test_a_closed_job_is_refused_with_its_status(
    engine: Engine, loaded: tuple[int, LoadedSet], real_embedder: Embedder, settings: Settings
) -> None:
    from hireflow.shared.errors import ValidationFailed

    tenant, data = loaded
    job_id = next(iter(data.jobs.values()))
    factory = sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False))
    with factory(tenant) as uow:
        job = uow.job_openings.get(job_id)
        uow.job_openings.update(job.model_copy(update={"status": JobStatus.FILLED}))
        uow.commit()

    with pytest.raises(ValidationFailed, match="is filled: only open and on-hold job openings are matched"):
        matching_service(engine, tenant, settings=settings).candidates_for_job(job_id, 5)
