"""Candidate-job matching for one company group: retrieve by vector similarity, rerank with structured signals.

For a job, the vector index gives the ``pool`` candidates nearest to the job's embedding; those that may not be
matched (deleted, merged, or hired, rejected or withdrawn unless ``include_excluded_states``) are dropped, the
rest are scored by :func:`~hireflow.domain.services.match_scoring.score_pair`, and the best ``k`` are returned,
ranked. When too few survive the filter, the pool grows fourfold until it covers the whole set. The other
direction (jobs for a candidate) is the same with job openings that still take candidates.

A candidate outside the pool is never ranked even if its structured signals are perfect: similarity carries
most of the weight, and the pool (200 by default, ``HIREFLOW_MATCH_POOL``) is wide enough that the
difference is measured in the weights of the smaller components.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.jobs import JobOpening
from hireflow.domain.models.matching import (
    EmbeddedEntity,
    Match,
    MatchDirection,
    MatchRun,
    MatchWeights,
    Neighbour,
)
from hireflow.domain.models.org import Location, Role
from hireflow.domain.ports.geo import Geocoder
from hireflow.domain.ports.matching import EmbeddingStore, MatchStore, VectorIndex
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services.embeddings import embeddable_candidate, embeddable_job
from hireflow.domain.services.match_scoring import PairFacts, Point, ScoredPair, score_pair
from hireflow.shared.clock import Clock
from hireflow.shared.errors import Conflict, ValidationFailed

EXCLUDED_STATES = frozenset({FunnelState.HIRED, FunnelState.REJECTED, FunnelState.WITHDRAWN})
"""Candidates in these states are left out of rankings unless ``include_excluded_states`` is set."""
POOL_GROWTH = 4
T = TypeVar("T")


def cosine(a: bytes, b: bytes) -> float:
    """The cosine of two stored (normalised) vectors: their dot product."""
    count = len(a) // 4
    pairs = zip(struct.unpack(f"<{count}f", a), struct.unpack(f"<{count}f", b), strict=True)
    return float(sum(x * y for x, y in pairs))


@dataclass(frozen=True)
class Ranking:
    """The ranked matches of one subject (a job or a candidate)."""

    direction: MatchDirection
    subject_id: int
    matches: list[Match]


class MatchingService:
    """Ranks candidates for jobs and jobs for candidates, and records runs."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        company_group_id: int,
        *,
        store: EmbeddingStore,
        index: VectorIndex,
        runs: MatchStore,
        model: str,
        clock: Clock,
        geocoder: Geocoder | None = None,
        weights: MatchWeights | None = None,
        pool: int = 200,
    ) -> None:
        self._uow_factory, self._company_group_id = uow_factory, company_group_id
        self._store, self._index, self._runs, self._model = store, index, runs, model
        self._clock, self._geocoder = clock, geocoder
        self._weights = weights or MatchWeights()
        self._pool = pool

    @property
    def weights(self) -> MatchWeights:
        return self._weights

    # -- rankings ------------------------------------------------------------------------------------------
    def candidates_for_job(self, job_id: int, top_k: int) -> Ranking:
        """The ``top_k`` best candidates for a job opening."""
        _check_top(top_k)
        with self._uow_factory(self._company_group_id) as uow:
            job = uow.job_openings.get(job_id)
            if job.deleted_at is not None:
                raise ValidationFailed(f"job {job_id} is deleted", [{"field": "job", "message": "deleted"}])
            if not embeddable_job(job):
                raise ValidationFailed(
                    f"job {job_id} is {job.status.value}: only open and on-hold job openings are matched",
                    [{"field": "job", "message": f"status {job.status.value}"}],
                )
            context = _JobContext(uow, job, self._geocoder)
            vector = self._vector(EmbeddedEntity.JOB, job_id)

            def score(ids: Sequence[int], cosines: dict[int, float]) -> list[tuple[ScoredPair, int]]:
                candidates = uow.candidates.get_many(ids)
                keep = [c for c in candidates.values() if self._matchable_candidate(c)]
                media = _media_kinds(uow, keep) if context.needs_media else {}
                return [
                    (
                        score_pair(
                            job, c, cosines[c.id or 0], context.facts(c, media, self._today()), self._weights
                        ),
                        c.id or 0,
                    )
                    for c in keep
                ]

            scored = self._rank(EmbeddedEntity.CANDIDATE, vector, top_k, score)
        matches = [
            Match(rank=rank, job_id=job_id, candidate_id=candidate_id, **_parts(pair))
            for rank, (pair, candidate_id) in enumerate(scored, start=1)
        ]
        return Ranking(MatchDirection.CANDIDATES_FOR_JOB, job_id, matches)

    def jobs_for_candidate(self, candidate_id: int, top_k: int) -> Ranking:
        """The ``top_k`` best open job openings for a candidate."""
        _check_top(top_k)
        with self._uow_factory(self._company_group_id) as uow:
            candidate = uow.candidates.get(candidate_id)
            if not embeddable_candidate(candidate):
                raise ValidationFailed(
                    f"candidate {candidate_id} is deleted or merged into another",
                    [{"field": "candidate", "message": "deleted or merged"}],
                )
            vector = self._vector(EmbeddedEntity.CANDIDATE, candidate_id)
            candidate_point = _candidate_point(uow, candidate, self._geocoder)

            def score(ids: Sequence[int], cosines: dict[int, float]) -> list[tuple[ScoredPair, int]]:
                jobs = [job for job in uow.job_openings.get_many(ids).values() if embeddable_job(job)]
                roles = uow.roles.get_many([job.role_id for job in jobs if job.role_id is not None])
                locations = uow.locations.get_many([job.location_id for job in jobs if job.location_id])
                media = _media_kinds(uow, [candidate]) if _any_documents(roles.values()) else {}
                scored = []
                for job in jobs:
                    context = _JobContext(uow, job, self._geocoder, roles=roles, locations=locations)
                    facts = context.facts(candidate, media, self._today(), candidate_point=candidate_point)
                    pair = score_pair(job, candidate, cosines[job.id or 0], facts, self._weights)
                    scored.append((pair, job.id or 0))
                return scored

            scored = self._rank(EmbeddedEntity.JOB, vector, top_k, score)
        matches = [
            Match(rank=rank, job_id=job_id, candidate_id=candidate_id, **_parts(pair))
            for rank, (pair, job_id) in enumerate(scored, start=1)
        ]
        return Ranking(MatchDirection.JOBS_FOR_CANDIDATE, candidate_id, matches)

    # -- runs ----------------------------------------------------------------------------------------------
    def record(self, rankings: Sequence[Ranking], top_k: int) -> MatchRun:
        """Store rankings of one direction as a run, so they can be audited and compared later."""
        if not rankings:
            raise ValidationFailed("nothing to record", [{"field": "rankings", "message": "empty"}])
        directions = {ranking.direction for ranking in rankings}
        if len(directions) != 1:
            raise ValidationFailed("a run holds one direction", [{"field": "rankings", "message": "mixed"}])
        started = self._clock.now()
        run = MatchRun(
            company_group_id=self._company_group_id,
            direction=directions.pop(),
            subject_ids=[ranking.subject_id for ranking in rankings],
            top_k=top_k,
            model=self._model,
            weights=self._weights,
            started_at=started,
            finished_at=self._clock.now(),
            matches=sum(len(ranking.matches) for ranking in rankings),
        )
        return self._runs.save(run, [match for ranking in rankings for match in ranking.matches])

    def match_open_jobs(
        self, top_k: int, *, progress: Callable[[int, int], None] | None = None
    ) -> tuple[MatchRun, list[Ranking]]:
        """Rank candidates for every open job that has an embedding, and record it all as one run."""
        with self._uow_factory(self._company_group_id) as uow:
            job_ids = _matchable_job_ids(uow)
        embedded = set(self._store.vectors(EmbeddedEntity.JOB, job_ids)) if job_ids else set()
        rankings = []
        todo = [job_id for job_id in job_ids if job_id in embedded]
        for done, job_id in enumerate(todo, start=1):
            rankings.append(self.candidates_for_job(job_id, top_k))
            if progress is not None:
                progress(done, len(todo))
        if not rankings:
            raise Conflict("no open job has an embedding yet: run `hireflow embed` first")
        return self.record(rankings, top_k), rankings

    # -- helpers -------------------------------------------------------------------------------------------
    def _today(self) -> date:
        return self._clock.now().date()

    def _matchable_candidate(self, candidate: Candidate) -> bool:
        if not embeddable_candidate(candidate):
            return False
        return self._weights.include_excluded_states or candidate.funnel_state not in EXCLUDED_STATES

    def _vector(self, entity: EmbeddedEntity, record_id: int) -> bytes:
        vector = self._store.vectors(entity, [record_id]).get(record_id)
        if vector is None:
            raise Conflict(f"{entity.value} {record_id} has no embedding yet: run `hireflow embed` first")
        return vector

    def _rank(
        self,
        entity: EmbeddedEntity,
        vector: bytes,
        top_k: int,
        score: Callable[[Sequence[int], dict[int, float]], list[tuple[ScoredPair, int]]],
    ) -> list[tuple[ScoredPair, int]]:
        pool = max(self._pool, top_k)
        total = self._store.count(entity)
        while True:
            neighbours: list[Neighbour] = self._index.nearest(entity, vector, pool)
            cosines = {n.record_id: n.similarity for n in neighbours}
            scored = score(list(cosines), cosines)
            if len(scored) >= top_k or pool >= total or len(neighbours) < pool:
                break
            pool *= POOL_GROWTH
        scored.sort(key=lambda item: (-item[0].score, -item[0].components.similarity, item[1]))
        return scored[:top_k]


def _check_top(top_k: int) -> None:
    if not 1 <= top_k <= 1000:
        raise ValidationFailed("top must be 1 to 1000", [{"field": "top", "message": "must be 1 to 1000"}])


def _parts(pair: ScoredPair) -> dict[str, object]:
    return {"score": pair.score, "components": pair.components, "explanation": pair.explanation}


def _matchable_job_ids(uow: UnitOfWork) -> list[int]:
    ids: list[int] = []
    after: int | None = None
    while page := uow.job_openings.list(limit=1000, after_id=after):
        ids += [job.id for job in page if job.id is not None and embeddable_job(job)]
        after = page[-1].id
    return ids


def _media_kinds(uow: UnitOfWork, candidates: Sequence[Candidate]) -> dict[int, frozenset[str]]:
    return {
        c.id: frozenset(media.kind.value for media in uow.candidate_media.for_candidate(c.id))
        for c in candidates
        if c.id is not None
    }


def _any_documents(roles: Iterable[Role]) -> bool:
    return any(role.eligibility_criteria.required_documents for role in roles)


def _location_point(location: Location | None) -> Point | None:
    if location is None or location.latitude is None or location.longitude is None:
        return None
    return location.latitude, location.longitude


def _candidate_point(uow: UnitOfWork, candidate: Candidate, geocoder: Geocoder | None) -> Point | None:
    """The candidate's coordinates, else their location's, else their address geocoded."""
    if candidate.latitude is not None and candidate.longitude is not None:
        return candidate.latitude, candidate.longitude
    if candidate.location_id is not None:
        point = _location_point(uow.locations.find(candidate.location_id))
        if point is not None:
            return point
    if geocoder is None:
        return None
    return geocoder.locate(
        country=candidate.country,
        region=candidate.region,
        city=candidate.city,
        postal_code=candidate.postal_code,
    )


class _JobContext:
    """A job's role, location and coordinates, looked up once for all the candidates scored against it."""

    def __init__(
        self,
        uow: UnitOfWork,
        job: JobOpening,
        geocoder: Geocoder | None,
        *,
        roles: dict[int, Role] | None = None,
        locations: dict[int, Location] | None = None,
    ) -> None:
        self._uow, self._geocoder = uow, geocoder
        self.role = _lookup(job.role_id, roles, uow.roles.find)
        self.location = _lookup(job.location_id, locations, uow.locations.find)
        self.point = _location_point(self.location)
        if self.point is None and geocoder is not None:
            self.point = geocoder.locate(
                country=job.country, region=job.region, city=job.city, postal_code=job.postal_code
            )
        if self.location is None and self.point is not None:
            # The commute criterion reads a Location; give it the job's address at the geocoded point.
            self.location = Location(
                company_group_id=job.company_group_id,
                name=job.city or job.title,
                city=job.city,
                region=job.region,
                postal_code=job.postal_code,
                country_code=job.country or "US",
                latitude=self.point[0],
                longitude=self.point[1],
            )
        self.needs_media = self.role is not None and bool(self.role.eligibility_criteria.required_documents)
        self._points: dict[int, Point | None] = {}

    def facts(
        self,
        candidate: Candidate,
        media: dict[int, frozenset[str]],
        on: date,
        *,
        candidate_point: Point | None = None,
    ) -> PairFacts:
        point = candidate_point
        if point is None and candidate.id is not None:
            if candidate.id not in self._points:
                self._points[candidate.id] = _candidate_point(self._uow, candidate, self._geocoder)
            point = self._points[candidate.id]
        return PairFacts(
            on=on,
            candidate_point=point,
            job_point=self.point,
            role=self.role,
            job_location=self.location,
            media_kinds=media.get(candidate.id or 0, frozenset()),
        )


def _lookup(key: int | None, known: dict[int, T] | None, find: Callable[[int], T | None]) -> T | None:
    if key is None:
        return None
    if known is not None:
        return known.get(key)
    return find(key)
