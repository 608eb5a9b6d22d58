"""CRM sync of the caller's company group: ``/api/v1/sync``.

``POST /api/v1/sync/{source}`` starts a sync as a background job (the ``crm.sync`` task, on the configured job
runner) and answers 202 with the job, whose ``Location`` is polled under ``/api/v1/jobs``; the job's result is
the run's summary. The runs and the records a sync could not load (dead letters) are listed here too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hireflow.apps.api.deps import CanReadSync, CanRunSync, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.routers.jobs import JobPublic
from hireflow.apps.crm import SOURCES, parse_entities
from hireflow.apps.tasks import SYNC_TASK
from hireflow.domain.models.crm_sync import CrmEntity, SyncCounts, SyncStatus
from hireflow.shared.errors import ValidationFailed

PREFIX = "/api/v1/sync"
router = new_router(prefix=PREFIX, tags=["crm sync"])

SourceName = Annotated[
    str, Path(pattern=r"^[a-z]+$", max_length=30, description=f"One of {', '.join(SOURCES)}")
]


class SyncRequest(BaseModel):
    """What to sync: some entities (default all the CRM has), incrementally or in full."""

    model_config = ConfigDict(extra="forbid")

    entities: list[CrmEntity] | None = Field(default=None, max_length=5, description="Default: every one")
    full: bool = Field(
        default=False,
        description="Re-read everything and soft-delete what the CRM no longer has (hard deletes)",
    )


class SyncRunPublic(BaseModel):
    """One sync: what it was asked, what it did per entity, how it ended."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    entities: list[CrmEntity]
    full: bool
    status: SyncStatus
    counts: SyncCounts
    entity_counts: dict[str, SyncCounts]
    error: str | None
    started_at: AwareDatetime
    finished_at: AwareDatetime | None


class RunPage(BaseModel):
    items: list[SyncRunPublic]


class DeadLetterPublic(BaseModel):
    """A CRM record a sync could not load: the raw payload and every reason."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    entity: CrmEntity
    external_id: str
    payload: dict[str, Any]
    errors: list[dict[str, Any]]
    attempts: int
    first_seen_at: AwareDatetime | None
    last_seen_at: AwareDatetime | None


@router.post(
    "/{source}",
    response_model=JobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        202: {"headers": {"Location": {"description": "The job's URL", "schema": {"type": "string"}}}}
    },
)
def start_sync(
    source: SourceName,
    caller: CanRunSync,
    services: Services,
    response: Response,
    body: SyncRequest | None = None,
) -> JobPublic:
    """Start syncing a CRM into your company group; poll the job's Location for the outcome."""
    if source not in SOURCES:
        raise ValidationFailed(
            f"unknown CRM {source!r}; Hireflow syncs from {', '.join(SOURCES)}",
            [{"field": "source", "message": "unknown CRM", "input": source}],
        )
    request = body or SyncRequest()
    entities = [entity.value for entity in request.entities] if request.entities else None
    parse_entities(",".join(entities) if entities else None)
    runner = services.job_runner
    job_id = runner.submit(
        SYNC_TASK,
        {"source": source, "entities": entities, "full": request.full},
        company_group_id=caller.company_group_id,
    )
    response.headers["Location"] = f"/api/v1/jobs/{job_id}"
    return JobPublic.model_validate(runner.status(job_id, company_group_id=caller.company_group_id))


@router.get("/runs", response_model=RunPage)
def list_sync_runs(
    caller: CanReadSync,
    services: Services,
    source: Annotated[str | None, Query(max_length=30, description="Only this CRM's runs")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> RunPage:
    """List the latest sync runs, newest first."""
    runs = services.sync_store.runs(caller.company_group_id, source=source, limit=limit)
    return RunPage(items=[SyncRunPublic.model_validate(run) for run in runs])


@router.get("/dead-letters", response_model=Page[DeadLetterPublic])
def list_dead_letters(
    *,
    caller: CanReadSync,
    services: Services,
    source: Annotated[str | None, Query(max_length=30, description="Only this CRM's")] = None,
    entity: Annotated[CrmEntity | None, Query(description="Only this entity's")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DeadLetterPublic]:
    """List the CRM records that could not be loaded (still open), oldest first, with every reason."""
    return paginate(
        lambda n, after: services.sync_store.dead_letters(
            caller.company_group_id, source=source, entity=entity, after_id=after, limit=n
        ),
        limit,
        cursor,
        DeadLetterPublic.model_validate,
    )
