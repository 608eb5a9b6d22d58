"""Moving a candidate through the funnel: the one place a candidate's state changes.

Every move is validated against :data:`~hireflow.domain.models.funnel.ALLOWED_TRANSITIONS` and written with its
funnel-log entry in the same unit of work. Repeating the move to the current state is a no-op; an event older
than the candidate's latest state change is logged (``applied = False``) without moving the candidate backwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.funnel import FunnelLogEntry, FunnelState, allowed_targets, is_allowed
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.shared.clock import Clock, SystemClock, ensure_utc
from hireflow.shared.errors import Conflict, InvalidTransition, NotFound
from hireflow.shared.types import JSONObject


class TransitionResult(StrEnum):
    """What a transition attempt did."""

    APPLIED = "applied"  # the candidate moved and the move was logged
    UNCHANGED = "unchanged"  # the candidate was already there: nothing written
    LATE = "late"  # older than the latest change: logged for the record, state kept


@dataclass(frozen=True)
class CandidateMoved:
    """The outcome of a transition attempt: the candidate as it now is, and the log entry written (if any)."""

    candidate: Candidate
    result: TransitionResult
    entry: FunnelLogEntry | None


def transition(
    uow: UnitOfWork,
    candidate_id: int,
    to_state: FunnelState,
    *,
    at: datetime,
    actor: str = "system",
    reason: str | None = None,
    actor_user_id: int | None = None,
    details: JSONObject | None = None,
) -> CandidateMoved:
    """Move a candidate inside an open unit of work (the caller commits). Raises InvalidTransition, NotFound."""
    at = ensure_utc(at)
    candidate = live_candidate(uow, candidate_id)
    current = candidate.funnel_state
    if to_state == current:
        return CandidateMoved(candidate, TransitionResult.UNCHANGED, None)
    context: JSONObject = {
        "actor": actor,
        "reason": reason,
        "actor_user_id": actor_user_id,
        "details": details or {},
    }
    latest = candidate.state_changed_at
    if latest is not None and at < latest:
        entry = uow.funnel_log.add(_entry(candidate, to_state, at, applied=False, **context))
        return CandidateMoved(candidate, TransitionResult.LATE, entry)
    if not is_allowed(current, to_state):
        raise InvalidTransition(current.value, to_state.value, [s.value for s in allowed_targets(current)])
    entry = uow.funnel_log.add(_entry(candidate, to_state, at, applied=True, **context))
    moved = uow.candidates.update(
        candidate.model_copy(update={"funnel_state": to_state, "state_changed_at": at})
    )
    return CandidateMoved(moved, TransitionResult.APPLIED, entry)


class FunnelTransitions:
    """Transitions as a use case with its own unit of work: ``FunnelTransitions(uow_factory).move(...)``."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()

    def move(
        self,
        company_group_id: int,
        candidate_id: int,
        to_state: FunnelState,
        *,
        actor: str = "system",
        reason: str | None = None,
        at: datetime | None = None,
        actor_user_id: int | None = None,
        details: JSONObject | None = None,
    ) -> CandidateMoved:
        """Move one candidate and commit; ``at`` defaults to now."""
        with self._uow_factory(company_group_id) as uow:
            moved = transition(
                uow,
                candidate_id,
                to_state,
                at=at or self._clock.now(),
                actor=actor,
                reason=reason,
                actor_user_id=actor_user_id,
                details=details,
            )
            if moved.result is not TransitionResult.UNCHANGED:
                uow.commit()
            return moved


def live_candidate(uow: UnitOfWork, candidate_id: int) -> Candidate:
    """The candidate, if a use case may act on it: a deleted one is NotFound, a merged one a Conflict naming
    the candidate it was merged into. Every use case that writes about a candidate asks this one question."""
    candidate = uow.candidates.get(candidate_id)
    # Merged first: a merge also stamps deleted_at, and the caller is better served by the kept candidate's id.
    if candidate.merged_into_id is not None:
        raise Conflict(
            f"candidate {candidate_id} was merged into candidate {candidate.merged_into_id}; use that one",
            merged_into_id=candidate.merged_into_id,
        )
    if candidate.deleted_at is not None:
        raise NotFound("candidate", candidate_id)
    return candidate


def _entry(
    candidate: Candidate, to_state: FunnelState, at: datetime, *, applied: bool, **context: object
) -> FunnelLogEntry:
    """The log entry of a move from the candidate's current state; ``context`` holds actor, reason..."""
    return FunnelLogEntry.model_validate(
        {
            "company_group_id": candidate.company_group_id,
            "candidate_id": candidate.id,
            "from_state": candidate.funnel_state,
            "to_state": to_state,
            "occurred_at": at,
            "applied": applied,
            **context,
        }
    )
