"""A candidate's records beyond screening: onboarding responses (with the hired -> onboarding -> onboarded moves
they drive) and the files linked to the candidate. Product usage and dashboards live in
:mod:`.analytics_records`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hireflow.domain.models.candidates import Candidate, CandidateMedia, MediaKind
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.screening import OnboardingResponse
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services._support import FunnelEffect, build, move_if_allowed, revise
from hireflow.domain.services.funnel_transitions import live_candidate
from hireflow.shared.clock import Clock, SystemClock, ensure_utc
from hireflow.shared.errors import Conflict, ValidationFailed

_STEP_KEY = re.compile(r"^[a-z0-9_]{1,100}$")


@dataclass(frozen=True)
class OnboardingProgress:
    """Where a candidate's onboarding stands against the required steps, and the funnel moves just made."""

    responses: tuple[OnboardingResponse, ...]
    completed_steps: tuple[str, ...]
    missing_steps: tuple[str, ...]
    funnel: tuple[FunnelEffect, ...] = ()

    @property
    def complete(self) -> bool:
        """True when there are required steps and every one has an answer."""
        return bool(self.completed_steps) and not self.missing_steps


class CandidateRecords:
    """Onboarding and media use cases, each in its own unit of work."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()

    # -- onboarding --------------------------------------------------------------------------------------------
    def submit_onboarding(
        self,
        company_group_id: int,
        candidate_id: int,
        step_key: str,
        value: Any,
        *,
        required_steps: Sequence[str] = (),
        actor: str = "candidate",
    ) -> OnboardingProgress:
        """Store (or replace) the answer to one onboarding step. A hired candidate starts onboarding with it;
        one who has answered every ``required_steps`` is onboarded."""
        required = _checked_steps(required_steps)
        at = ensure_utc(self._clock.now())
        with self._uow_factory(company_group_id) as uow:
            candidate = live_candidate(uow, candidate_id)
            _upsert_response(uow, candidate, step_key, value, at)
            progress = _progress(uow, candidate_id, required)
            moves = [
                _move(
                    uow, candidate_id, FunnelState.ONBOARDING, at=at, actor=actor, reason="onboarding began"
                )
            ]
            if progress.complete:
                reason = "onboarding complete"
                moves.append(
                    _move(uow, candidate_id, FunnelState.ONBOARDED, at=at, actor=actor, reason=reason)
                )
            uow.commit()
        return OnboardingProgress(
            progress.responses, progress.completed_steps, progress.missing_steps, tuple(moves)
        )

    def onboarding_progress(
        self, company_group_id: int, candidate_id: int, required_steps: Sequence[str]
    ) -> OnboardingProgress:
        """The candidate's responses and which of ``required_steps`` are still missing."""
        required = _checked_steps(required_steps)
        with self._uow_factory(company_group_id) as uow:
            uow.candidates.get(candidate_id)
            return _progress(uow, candidate_id, required)

    def onboarding_responses(self, company_group_id: int, candidate_id: int) -> Sequence[OnboardingResponse]:
        """The candidate's onboarding responses, oldest first."""
        with self._uow_factory(company_group_id) as uow:
            return uow.onboarding_responses.for_candidate(candidate_id)

    # -- media -------------------------------------------------------------------------------------------------
    def attach_media(
        self,
        company_group_id: int,
        candidate_id: int,
        *,
        kind: MediaKind,
        storage_key: str,
        content_type: str,
        size_bytes: int,
        sha256: str | None = None,
        original_filename: str | None = None,
    ) -> CandidateMedia:
        """Link a stored file to a candidate. Linking the same key to the same candidate again returns the
        existing link; a key already linked to another candidate is a Conflict."""
        media = {
            "company_group_id": company_group_id,
            "candidate_id": candidate_id,
            "kind": kind,
            "storage_key": storage_key,
            "content_type": content_type,
            "size_bytes": size_bytes,
            "sha256": sha256.lower() if sha256 else None,
            "original_filename": original_filename,
        }
        wanted = build(CandidateMedia, "candidate media", **media)
        with self._uow_factory(company_group_id) as uow:
            uow.candidates.get(candidate_id)
            existing = uow.candidate_media.find_by_storage_key(wanted.storage_key)
            if existing is not None:
                return _relinked(existing, wanted)
            stored = uow.candidate_media.add(wanted)
            uow.commit()
        return stored

    def media(
        self, company_group_id: int, candidate_id: int, kind: MediaKind | None = None
    ) -> Sequence[CandidateMedia]:
        """The candidate's files (of one kind, if given), by id."""
        with self._uow_factory(company_group_id) as uow:
            files = uow.candidate_media.for_candidate(candidate_id)
        return [f for f in files if kind is None or f.kind is kind]

    def detach_media(self, company_group_id: int, media_id: int) -> CandidateMedia:
        """Unlink a file from its candidate and return the link, so the caller can delete the stored file."""
        with self._uow_factory(company_group_id) as uow:
            media = uow.candidate_media.get(media_id)
            uow.candidate_media.delete(media_id)
            uow.commit()
        return media


def _checked_steps(steps: Sequence[str]) -> tuple[str, ...]:
    bad = [step for step in steps if not isinstance(step, str) or not _STEP_KEY.match(step)]
    if bad:
        raise ValidationFailed(
            f"required_steps must be step keys (lower-case letters, digits and _), not {bad!r}",
            [{"field": "required_steps", "message": "invalid step key", "input": bad}],
        )
    return tuple(dict.fromkeys(steps))


def _upsert_response(
    uow: UnitOfWork, candidate: Candidate, step_key: str, value: Any, at: datetime
) -> OnboardingResponse:
    assert candidate.id is not None
    existing = uow.onboarding_responses.find_for(candidate.id, step_key)
    if existing is None:
        response = build(
            OnboardingResponse,
            "onboarding response",
            company_group_id=candidate.company_group_id,
            candidate_id=candidate.id,
            step_key=step_key,
            value=value,
            submitted_at=at,
        )
        return uow.onboarding_responses.add(response)
    if existing.value == value:
        return existing  # the same answer again: nothing to write
    return uow.onboarding_responses.update(
        revise(existing, "onboarding response", value=value, submitted_at=at)
    )


def _progress(uow: UnitOfWork, candidate_id: int, required: tuple[str, ...]) -> OnboardingProgress:
    responses = tuple(uow.onboarding_responses.for_candidate(candidate_id))
    answered = {r.step_key for r in responses if r.value is not None}
    completed = tuple(step for step in required if step in answered)
    missing = tuple(step for step in required if step not in answered)
    return OnboardingProgress(responses, completed, missing)


def _move(
    uow: UnitOfWork, candidate_id: int, to_state: FunnelState, *, at: datetime, actor: str, reason: str
) -> FunnelEffect:
    # hired -> onboarding, onboarding -> onboarded: from anywhere else the move is skipped and reported.
    only_from = {
        FunnelState.ONBOARDING: frozenset({FunnelState.HIRED}),
        FunnelState.ONBOARDED: frozenset({FunnelState.ONBOARDING}),
    }[to_state]
    return move_if_allowed(
        uow, candidate_id, to_state, at=at, actor=actor, reason=reason, only_from=only_from
    )


def _relinked(existing: CandidateMedia, wanted: CandidateMedia) -> CandidateMedia:
    if existing.candidate_id != wanted.candidate_id:
        raise Conflict(
            f"storage key {wanted.storage_key!r} is linked to candidate {existing.candidate_id} already",
            media_id=existing.id,
        )
    return existing
