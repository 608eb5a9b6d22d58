"""Funnel context: the states a candidate moves through, and the log of every move."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field

from hireflow.domain.models.base import TenantEntity
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
