"""Funnel context: the states a candidate moves through, and the log of every move."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import AwareDatetime, Field, model_validator

from hireflow.domain.models.base import DomainModel, TenantEntity
from hireflow.shared.types import JSONObject


class FunnelState(StrEnum):
    """Where a candidate stands. The allowed moves between states live in the funnel service."""

    LEAD = "lead"
    CONTACTED = "contacted"
    SCREENING = "screening"
    SCREENED = "screened"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    INTERVIEW_SCHEDULED = "interview_scheduled"
    INTERVIEWED = "interviewed"
    OFFERED = "offered"
    HIRED = "hired"
    ONBOARDING = "onboarding"
    ONBOARDED = "onboarded"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NO_SHOW = "no_show"
    EXPIRED = "expired"


class FunnelLogEntry(TenantEntity):
    """One funnel event for a candidate. ``applied`` is False when the event arrived out of order and was kept
    for the record without moving the candidate backwards."""

    candidate_id: int
    from_state: FunnelState | None = None
    to_state: FunnelState
    occurred_at: AwareDatetime
    actor: str = Field(default="system", max_length=100)
    actor_user_id: int | None = None
    reason: str | None = None
    applied: bool = True
    details: JSONObject = Field(default_factory=dict)


_S = FunnelState

# The funnel's state machine, defined once. Keys are the current state, values the states a candidate may move
# to from it. docs/funnel.md renders it; tests/unit/domain/test_funnel_states.py keeps the two in step.
ALLOWED_TRANSITIONS: dict[FunnelState, frozenset[FunnelState]] = {
    _S.LEAD: frozenset(
        {_S.CONTACTED, _S.SCREENING, _S.ELIGIBLE, _S.INELIGIBLE, _S.REJECTED, _S.WITHDRAWN, _S.EXPIRED}
    ),
    _S.CONTACTED: frozenset(
        {_S.SCREENING, _S.ELIGIBLE, _S.INELIGIBLE, _S.REJECTED, _S.WITHDRAWN, _S.EXPIRED}
    ),
    _S.SCREENING: frozenset({_S.SCREENED, _S.ELIGIBLE, _S.INELIGIBLE, _S.REJECTED, _S.WITHDRAWN, _S.EXPIRED}),
    _S.SCREENED: frozenset({_S.ELIGIBLE, _S.INELIGIBLE, _S.REJECTED, _S.WITHDRAWN, _S.EXPIRED}),
    _S.ELIGIBLE: frozenset(
        {_S.INTERVIEW_SCHEDULED, _S.OFFERED, _S.INELIGIBLE, _S.REJECTED, _S.WITHDRAWN, _S.EXPIRED}
    ),
    # Ineligible is not final: new answers or documents can make a candidate eligible on re-evaluation.
    _S.INELIGIBLE: frozenset({_S.ELIGIBLE, _S.REJECTED, _S.WITHDRAWN, _S.EXPIRED}),
    # Applications left without news (an unconfirmed interview, an undecided one) expire like earlier ones.
    _S.INTERVIEW_SCHEDULED: frozenset({_S.INTERVIEWED, _S.NO_SHOW, _S.REJECTED, _S.WITHDRAWN, _S.EXPIRED}),
    # A second interview round goes back to interview_scheduled.
    _S.INTERVIEWED: frozenset({_S.INTERVIEW_SCHEDULED, _S.OFFERED, _S.REJECTED, _S.WITHDRAWN, _S.EXPIRED}),
    _S.OFFERED: frozenset({_S.HIRED, _S.REJECTED, _S.WITHDRAWN, _S.EXPIRED}),
    _S.HIRED: frozenset({_S.ONBOARDING, _S.ONBOARDED, _S.WITHDRAWN, _S.NO_SHOW}),
    _S.ONBOARDING: frozenset({_S.ONBOARDED, _S.WITHDRAWN, _S.NO_SHOW}),
    _S.ONBOARDED: frozenset(),
    _S.REJECTED: frozenset(),
    # Exits a candidate can come back from: re-engaged by a campaign, or an interview rescheduled.
    _S.WITHDRAWN: frozenset({_S.CONTACTED}),
    _S.EXPIRED: frozenset({_S.CONTACTED}),
    _S.NO_SHOW: frozenset({_S.INTERVIEW_SCHEDULED, _S.REJECTED, _S.WITHDRAWN}),
}

MAIN_PATH: tuple[FunnelState, ...] = (
    _S.LEAD,
    _S.CONTACTED,
    _S.SCREENING,
    _S.SCREENED,
    _S.ELIGIBLE,
    _S.INTERVIEW_SCHEDULED,
    _S.INTERVIEWED,
    _S.OFFERED,
    _S.HIRED,
    _S.ONBOARDING,
    _S.ONBOARDED,
)
"""The forward path of a successful candidate, in order; analytics measure conversion along it."""

EXIT_STATES: frozenset[FunnelState] = frozenset(
    {_S.INELIGIBLE, _S.REJECTED, _S.WITHDRAWN, _S.NO_SHOW, _S.EXPIRED}
)
"""States that take a candidate out of the running."""

HIRED_STATES: frozenset[FunnelState] = frozenset({_S.HIRED, _S.ONBOARDING, _S.ONBOARDED})
"""States that count as a hire for objectives."""


def allowed_targets(state: FunnelState) -> frozenset[FunnelState]:
    """The states a candidate in ``state`` may move to."""
    return ALLOWED_TRANSITIONS[state]


def is_allowed(from_state: FunnelState, to_state: FunnelState) -> bool:
    """True when the state machine allows moving from ``from_state`` to ``to_state``."""
    return to_state in ALLOWED_TRANSITIONS[from_state]


class FunnelFilters(DomainModel):
    """Narrows funnel analytics to candidates of a unit, location or role who entered in a time window."""

    business_unit_id: int | None = None
    location_id: int | None = None
    role_id: int | None = None
    entered_from: AwareDatetime | None = Field(default=None, description="inclusive")
    entered_to: AwareDatetime | None = Field(default=None, description="exclusive")

    @model_validator(mode="after")
    def _window_is_ordered(self) -> Self:
        if self.entered_from and self.entered_to and self.entered_to < self.entered_from:
            raise ValueError("entered_to must not be before entered_from")
        return self


class CohortCounts(DomainModel):
    """Candidates who entered the funnel on one day, and how many of them reached each state."""

    entered_on: date
    entered: int
    reached: dict[FunnelState, int]
