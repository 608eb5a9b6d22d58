"""What happens to a candidate beyond editing: funnel transitions and merges. Included by
:mod:`.candidates` under ``/api/v1/candidates``; both invalidate the company group's cached funnel analytics."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from hireflow.apps.api.deps import CanDeleteCandidates, CanTransitionCandidates, Services
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.routers.candidate_schemas import (
    FunnelLogEntryPublic,
    MergePublic,
    MergeRequest,
    TransitionPublic,
    TransitionRequest,
    candidate_public,
)
from hireflow.apps.api.schemas import WRITE_ERRORS
from hireflow.domain.services.candidates import Candidates
from hireflow.domain.services.duplicates import Duplicates
from hireflow.domain.services.funnel_transitions import FunnelTransitions

router = new_router()

CandidateId = Annotated[int, Path(ge=1, description="The candidate's id")]


@router.post("/{candidate_id}/transitions", response_model=TransitionPublic, responses=WRITE_ERRORS)
def transition_candidate(
    candidate_id: CandidateId, body: TransitionRequest, caller: CanTransitionCandidates, services: Services
) -> TransitionPublic:
    """Move a candidate to another funnel state; 409 lists the states allowed from the current one."""
    moved = FunnelTransitions(services.uow_factory, services.clock).move(
        caller.company_group_id,
        candidate_id,
        body.to_state,
        actor=f"user:{caller.user_id}",
        reason=body.reason,
        actor_user_id=caller.user_id,
    )
    services.funnel_cache.invalidate(caller.company_group_id)
    profile = Candidates(services.uow_factory, services.clock).get(caller.company_group_id, candidate_id)
    entry = None if moved.entry is None else FunnelLogEntryPublic.model_validate(moved.entry)
    return TransitionPublic(result=moved.result, candidate=candidate_public(profile), entry=entry)


@router.post("/{candidate_id}/merge", response_model=MergePublic, responses=WRITE_ERRORS)
def merge_candidate(
    candidate_id: CandidateId, body: MergeRequest, caller: CanDeleteCandidates, services: Services
) -> MergePublic:
    """Merge a duplicate into this candidate (or this one into another), losing nothing."""
    keep_id, duplicate_id = (
        (candidate_id, body.duplicate_id) if body.into is None else (body.into, candidate_id)
    )
    assert duplicate_id is not None  # MergeRequest asks for exactly one of the two
    report = Duplicates(services.uow_factory, services.clock).merge(
        caller.company_group_id, keep_id, [duplicate_id], actor=f"user:{caller.user_id}"
    )
    services.funnel_cache.invalidate(caller.company_group_id)
    kept = Candidates(services.uow_factory, services.clock).get(caller.company_group_id, keep_id)
    return MergePublic(
        kept_id=report.kept_id,
        merged_ids=list(report.merged_ids),
        moved=dict(report.moved),
        superseded=list(report.superseded),
        filled=dict(report.filled),
        repointed=list(report.repointed),
        log_entry_id=report.log_entry_id,
        candidate=candidate_public(kept),
    )
