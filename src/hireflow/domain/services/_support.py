"""Helpers the candidate-record services share: rebuilding models with validation, and funnel moves that a
use case makes only when the funnel allows them (skipping, and saying why, instead of refusing the use case)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hireflow.domain.models.funnel import FunnelState, is_allowed
from hireflow.domain.ports.unit_of_work import UnitOfWork
from hireflow.domain.services.funnel_transitions import TransitionResult, transition
from hireflow.shared.errors import ValidationFailed

ModelT = TypeVar("ModelT", bound=BaseModel)


def build(model_type: type[ModelT], what: str, **values: Any) -> ModelT:
    """``model_type`` from ``values``; a broken rule raises ValidationFailed listing every field at fault."""
    try:
        return model_type.model_validate(values)
    except ValidationError as error:
        raise _validation_failed(error, what) from None


def revise(model: ModelT, what: str, **changes: Any) -> ModelT:
    """A copy of ``model`` with ``changes``, validated as a whole (``model_copy`` alone validates nothing)."""
    return build(type(model), what, **(dict(model) | changes))


def _validation_failed(error: ValidationError, what: str) -> ValidationFailed:
    errors = [
        {"field": ".".join(str(part) for part in item["loc"]) or what, "message": item["msg"]}
        for item in error.errors()
    ]
    listed = "; ".join(f"{item['field']}: {item['message']}" for item in errors)
    return ValidationFailed(f"{what} is not valid: {listed}", errors)


@dataclass(frozen=True)
class FunnelEffect:
    """What a use case did to the candidate's funnel state: ``result`` when it tried the move, else the reason
    it skipped it (the funnel did not allow it from the candidate's state)."""

    to_state: FunnelState
    result: TransitionResult | None = None
    skipped: str | None = None

    @property
    def moved(self) -> bool:
        """True when the candidate is now in ``to_state`` because of this use case."""
        return self.result is TransitionResult.APPLIED


def move_if_allowed(
    uow: UnitOfWork,
    candidate_id: int,
    to_state: FunnelState,
    *,
    at: datetime,
    actor: str,
    reason: str,
    only_from: frozenset[FunnelState] | None = None,
) -> FunnelEffect:
    """Move the candidate when the funnel allows it (and, with ``only_from``, only from those states)."""
    candidate = uow.candidates.get(candidate_id)
    current = candidate.funnel_state
    if candidate.deleted_at is not None or candidate.merged_into_id is not None:
        return FunnelEffect(to_state, skipped=f"candidate {candidate_id} is deleted or merged")
    if current != to_state and not _wanted(current, to_state, only_from):
        return FunnelEffect(
            to_state, skipped=f"the candidate is '{current.value}'; not moved to '{to_state.value}'"
        )
    moved = transition(uow, candidate_id, to_state, at=at, actor=actor, reason=reason)
    return FunnelEffect(to_state, result=moved.result)


def _wanted(current: FunnelState, to_state: FunnelState, only_from: frozenset[FunnelState] | None) -> bool:
    return is_allowed(current, to_state) and (only_from is None or current in only_from)
