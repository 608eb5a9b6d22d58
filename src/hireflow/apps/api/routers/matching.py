"""Explained matches of the caller's company group: ``GET /api/v1/jobs/{job_id}/matches`` (the best candidates
for a job opening) and ``GET /api/v1/candidates/{candidate_id}/matches`` (the best open job openings for a
candidate).

The ids are Hireflow ids of a job opening and of a candidate. (``/api/v1/jobs/{id}`` alone is a *background*
job, whose ids are strings; the two never collide.) Rankings are computed on request from the stored embeddings
and are not recorded as match runs: a GET changes nothing. ``hireflow match`` and ``hireflow match run`` record
theirs. A record that has not been embedded yet answers 409 with the command to run.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, Field

from hireflow.apps.api.deps import CanReadCandidates, Services
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, problem_response
from hireflow.domain.models.matching import EmbeddedEntity, MatchComponents, MatchExplanation

router = new_router(prefix="/api/v1", tags=["matching"])

Top = Annotated[int, Query(ge=1, le=100, description="How many matches")]
MATCH_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: problem_response("The record has no embedding yet: run `hireflow embed` (or the Airflow DAG) first"),
}


class ExternalId(BaseModel):
    source: str
    external_id: str


class MatchPublic(BaseModel):
    """One ranked match: the matched record, its score, the component scores and why."""

    rank: int
    score: float = Field(description="The weighted mean of the components, 0 to 1")
    id: int = Field(description="The matched record: a candidate for a job, a job opening for a candidate")
    name: str | None
    detail: str | None = Field(description="A candidate's headline, a job's city")
    external_ids: list[ExternalId]
    job_id: int
    candidate_id: int
    components: MatchComponents
    explanation: MatchExplanation


class MatchList(BaseModel):
    items: list[MatchPublic]


def _ranking(
    services: Services, company_group_id: int, subject: int, top: int, *, for_job: bool
) -> MatchList:
    from hireflow.apps.matching import match_records, matching_service

    engine = services.engine
    service = matching_service(engine, company_group_id, settings=services.settings, clock=services.clock)
    if for_job:
        ranking = service.candidates_for_job(subject, top)
        records: list[dict[str, Any]] = match_records(
            engine, company_group_id, ranking.matches, of=EmbeddedEntity.CANDIDATE
        )
    else:
        ranking = service.jobs_for_candidate(subject, top)
        records = match_records(engine, company_group_id, ranking.matches, of=EmbeddedEntity.JOB)
    return MatchList(items=[MatchPublic.model_validate(record) for record in records])


@router.get("/jobs/{job_id}/matches", response_model=MatchList, responses=MATCH_ERRORS)
def job_matches(
    job_id: Annotated[int, Path(ge=1, description="A job opening's id")],
    caller: CanReadCandidates,
    services: Services,
    top: Top = 10,
) -> MatchList:
    """The best candidates for a job opening, each with its component scores and explanation."""
    return _ranking(services, caller.company_group_id, job_id, top, for_job=True)


@router.get("/candidates/{candidate_id}/matches", response_model=MatchList, responses=MATCH_ERRORS)
def candidate_matches(
    candidate_id: Annotated[int, Path(ge=1, description="A candidate's id")],
    caller: CanReadCandidates,
    services: Services,
    top: Top = 10,
) -> MatchList:
    """The best open job openings for a candidate, each with its component scores and explanation."""
    return _ranking(services, caller.company_group_id, candidate_id, top, for_job=False)
