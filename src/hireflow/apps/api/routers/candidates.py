"""Candidates: records, search, funnel transitions and merges: ``/api/v1/candidates``.

Every write that changes who is where in the funnel (create, change, delete, transition, merge) invalidates the
company group's cached funnel analytics. Transitions and merges live in :mod:`.candidate_actions`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Query, Response, status

from hireflow.apps.api.deps import (
    CanDeleteCandidates,
    CanReadCandidates,
    CanWriteCandidates,
    Services,
)
from hireflow.apps.api.pagination import KeysetCursor, KeyValue, Limit, Page, paginate_keyset
from hireflow.apps.api.routers import candidate_actions, new_router
from hireflow.apps.api.routers.candidate_schemas import (
    CandidateCreate,
    CandidatePublic,
    CandidateUpdate,
    DuplicateGroupPublic,
    FunnelLogEntryPublic,
    candidate_filters,
    candidate_public,
)
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS
from hireflow.domain.models.candidates import CandidateFilters, CandidatePosition, CandidateSort
from hireflow.domain.models.funnel import FunnelLogEntry
from hireflow.domain.services.candidates import Candidates

router = new_router(prefix="/api/v1/candidates", tags=["candidates"])

CandidateId = Annotated[int, Path(ge=1, description="The candidate's id")]
Filters = Annotated[CandidateFilters, Depends(candidate_filters)]
IncludeDeleted = Annotated[bool, Query(description="Show a deleted or merged-away candidate too")]
Sort = Annotated[
    CandidateSort,
    Query(description="Order; ties are broken by id in the same direction. `-` means descending"),
]


def candidates_service(services: Services) -> Candidates:
    return Candidates(services.uow_factory, services.clock)


@router.get("", response_model=Page[CandidatePublic])
def search_candidates(
    *,
    caller: CanReadCandidates,
    services: Services,
    filters: Filters,
    sort: Sort = CandidateSort.ID,
    limit: Limit = 50,
    cursor: KeysetCursor = None,
) -> Page[CandidatePublic]:
    """List and search candidates, with filters, in the order asked for."""
    candidates = candidates_service(services)
    return paginate_keyset(
        lambda n, after: candidates.search(caller.company_group_id, filters, sort=sort, limit=n, after=after),
        limit,
        cursor,
        candidate_public,
        sort=sort.value,
        position=sort.position,
        key=lambda profile: _key(sort.position_of(profile.candidate)),
    )


@router.post("", response_model=CandidatePublic, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS)
def create_candidate(
    body: CandidateCreate, caller: CanWriteCandidates, services: Services
) -> CandidatePublic:
    """Create a candidate (a lead); the phone number is stored in E.164 and must be unique."""
    created = candidates_service(services).create(caller.company_group_id, body.model_dump())
    services.funnel_cache.invalidate(caller.company_group_id)
    return candidate_public(created)


@router.get("/duplicates", response_model=Page[DuplicateGroupPublic])
def list_duplicates(
    caller: CanReadCandidates, services: Services, limit: Limit = 50, cursor: KeysetCursor = None
) -> Page[DuplicateGroupPublic]:
    """List groups of likely duplicate candidates, the surest first."""
    candidates = candidates_service(services)
    return paginate_keyset(
        lambda n, after: candidates.duplicates(caller.company_group_id, limit=n, after=after),
        limit,
        cursor,
        DuplicateGroupPublic.model_validate,
        sort="-score",
        position=_score_position,
        key=lambda group: ([group.score], group.candidate_ids[0]),
    )


@router.get("/{candidate_id}", response_model=CandidatePublic, responses=NOT_FOUND)
def get_candidate(
    candidate_id: CandidateId,
    caller: CanReadCandidates,
    services: Services,
    include_deleted: IncludeDeleted = False,
) -> CandidatePublic:
    """Get one candidate with their external ids."""
    found = candidates_service(services).get(
        caller.company_group_id, candidate_id, include_deleted=include_deleted
    )
    return candidate_public(found)


@router.patch("/{candidate_id}", response_model=CandidatePublic, responses=WRITE_ERRORS)
def update_candidate(
    candidate_id: CandidateId, body: CandidateUpdate, caller: CanWriteCandidates, services: Services
) -> CandidatePublic:
    """Change some fields of a candidate (not the funnel state: use a transition)."""
    changes = body.model_dump(exclude_unset=True)
    updated = candidates_service(services).update(caller.company_group_id, candidate_id, changes)
    # The unit, location, role and source are dimensions of the funnel analytics.
    services.funnel_cache.invalidate(caller.company_group_id)
    return candidate_public(updated)


@router.delete(
    "/{candidate_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=WRITE_ERRORS
)
def delete_candidate(candidate_id: CandidateId, caller: CanDeleteCandidates, services: Services) -> Response:
    """Delete a candidate (softly: hidden everywhere, history kept)."""
    candidates_service(services).delete(caller.company_group_id, candidate_id)
    services.funnel_cache.invalidate(caller.company_group_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{candidate_id}/history", response_model=Page[FunnelLogEntryPublic], responses=NOT_FOUND)
def candidate_history(
    *,
    candidate_id: CandidateId,
    caller: CanReadCandidates,
    services: Services,
    limit: Limit = 50,
    cursor: KeysetCursor = None,
    include_deleted: IncludeDeleted = False,
) -> Page[FunnelLogEntryPublic]:
    """List the candidate's funnel log, oldest first."""
    candidates = candidates_service(services)
    return paginate_keyset(
        lambda n, after: candidates.history(
            caller.company_group_id, candidate_id, limit=n, after=after, include_deleted=include_deleted
        ),
        limit,
        cursor,
        FunnelLogEntryPublic.model_validate,
        sort="occurred_at",
        position=_time_position,
        key=_entry_key,
    )


router.include_router(candidate_actions.router)


def _key(position: CandidatePosition) -> tuple[list[KeyValue], int]:
    values: list[KeyValue] = [
        value.isoformat() if isinstance(value, datetime) else value for value in position.values
    ]
    return values, position.id


def _score_position(values: list[KeyValue], after_id: int) -> tuple[float, int]:
    match values:
        case [float() | int() as score] if not isinstance(score, bool):
            return float(score), after_id
    raise ValueError("not a score")


def _time_position(values: list[KeyValue], after_id: int) -> tuple[datetime, int]:
    match values:
        case [str() as text]:
            at = datetime.fromisoformat(text)  # ValueError when it is not a timestamp
            if at.tzinfo is not None:
                return at, after_id
    raise ValueError("not a timestamp with a time zone")


def _entry_key(entry: FunnelLogEntry) -> tuple[list[KeyValue], int]:
    assert entry.id is not None
    return [entry.occurred_at.isoformat()], entry.id
