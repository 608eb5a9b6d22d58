"""Reference checks: a candidate names referees, who are contacted, respond (with a rating) and are verified by
a member of the company group; or they decline, or cannot be reached.

The moves allowed are :data:`REFERENCE_MOVES`. Messages with a referee are recorded both ways; an inbound one
means the referee responded, an outbound one that they were contacted. Phone numbers are stored in E.164, read
in the company group's default region when written without a country prefix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hireflow.domain.models.screening import (
    CandidateReference,
    Channel,
    MessageDirection,
    ReferenceMessage,
    ReferenceStatus,
)
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services._support import build, revise
from hireflow.domain.services.funnel_transitions import live_candidate
from hireflow.shared.clock import Clock, SystemClock, ensure_utc
from hireflow.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hireflow.shared.ids import normalize_phone

_R = ReferenceStatus

REFERENCE_MOVES: dict[ReferenceStatus, frozenset[ReferenceStatus]] = {
    _R.REQUESTED: frozenset({_R.CONTACTED, _R.RESPONDED, _R.DECLINED, _R.UNREACHABLE}),
    _R.CONTACTED: frozenset({_R.RESPONDED, _R.DECLINED, _R.UNREACHABLE}),
    _R.RESPONDED: frozenset({_R.VERIFIED, _R.DECLINED}),
    # Unreachable is not final: a retry contacts the referee again, or they call back.
    _R.UNREACHABLE: frozenset({_R.CONTACTED, _R.RESPONDED, _R.DECLINED}),
    _R.VERIFIED: frozenset(),
    _R.DECLINED: frozenset(),
}
"""The statuses a reference may move to from each status."""

# What a message does to the reference it belongs to, by direction: the status it moves to, from which ones.
_MESSAGE_MOVES = {
    MessageDirection.INBOUND: (_R.RESPONDED, frozenset({_R.REQUESTED, _R.CONTACTED, _R.UNREACHABLE})),
    MessageDirection.OUTBOUND: (_R.CONTACTED, frozenset({_R.REQUESTED, _R.UNREACHABLE})),
}


@dataclass(frozen=True)
class MessageRecorded:
    """A recorded message and the reference after it; ``duplicate`` when the provider's id was already known."""

    message: ReferenceMessage
    reference: CandidateReference
    duplicate: bool = False


class References:
    """Reference-check use cases, each in its own unit of work."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()

    def request(
        self,
        company_group_id: int,
        candidate_id: int,
        *,
        name: str,
        phone: str | None = None,
        email: str | None = None,
        relationship: str | None = None,
        company_name: str | None = None,
        notes: str | None = None,
    ) -> CandidateReference:
        """Record a referee the candidate named; needs a phone number or an email address."""
        with self._uow_factory(company_group_id) as uow:
            live_candidate(uow, candidate_id)
            region = uow.company_groups.get(company_group_id).default_phone_region
            reference = uow.candidate_references.add(
                build(
                    CandidateReference,
                    "reference",
                    company_group_id=company_group_id,
                    candidate_id=candidate_id,
                    name=name,
                    phone_e164=normalize_phone(phone, region) if phone and phone.strip() else None,
                    email=email.strip() if email and email.strip() else None,
                    relationship=relationship,
                    company_name=company_name,
                    notes=notes,
                    requested_at=self._now(),
                )
            )
            uow.commit()
        return reference

    def mark_contacted(self, company_group_id: int, reference_id: int) -> CandidateReference:
        """The referee was reached out to (by phone, or by a message sent outside Hireflow)."""
        return self._move(company_group_id, reference_id, _R.CONTACTED)

    def record_response(
        self, company_group_id: int, reference_id: int, *, rating: int | None = None, notes: str | None = None
    ) -> CandidateReference:
        """The referee gave their reference, with an optional rating from 1 (poor) to 5 (excellent)."""
        if rating is not None and (
            isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5
        ):
            raise ValidationFailed(
                f"a rating is a whole number from 1 to 5, not {rating!r}",
                [{"field": "rating", "message": "must be 1-5", "input": rating}],
            )
        return self._move(company_group_id, reference_id, _R.RESPONDED, rating=rating, notes=notes)

    def verify(
        self, company_group_id: int, reference_id: int, *, verified_by_user_id: int, notes: str | None = None
    ) -> CandidateReference:
        """A member of the company group confirms the reference is genuine."""
        return self._move(
            company_group_id, reference_id, _R.VERIFIED, verified_by_user_id=verified_by_user_id, notes=notes
        )

    def decline(
        self, company_group_id: int, reference_id: int, *, notes: str | None = None
    ) -> CandidateReference:
        """The referee will not give a reference."""
        return self._move(company_group_id, reference_id, _R.DECLINED, notes=notes)

    def mark_unreachable(
        self, company_group_id: int, reference_id: int, *, notes: str | None = None
    ) -> CandidateReference:
        """Attempts to reach the referee failed (for now)."""
        return self._move(company_group_id, reference_id, _R.UNREACHABLE, notes=notes)

    def record_message(
        self,
        company_group_id: int,
        reference_id: int,
        *,
        direction: MessageDirection,
        channel: Channel,
        body: str,
        sent_at: datetime | None = None,
        external_message_id: str | None = None,
    ) -> MessageRecorded:
        """Record a message with the referee; a redelivered one (same ``external_message_id``) is kept once."""
        at = ensure_utc(sent_at) if sent_at else self._now()
        with self._uow_factory(company_group_id) as uow:
            reference = uow.candidate_references.get(reference_id)
            known = _known_message(uow, reference_id, external_message_id)
            if known is not None:
                return MessageRecorded(known, reference, duplicate=True)
            message = uow.reference_messages.add(
                build(
                    ReferenceMessage,
                    "reference message",
                    company_group_id=company_group_id,
                    reference_id=reference_id,
                    direction=direction,
                    channel=channel,
                    body=body,
                    sent_at=at,
                    external_message_id=external_message_id,
                )
            )
            to_status, from_statuses = _MESSAGE_MOVES[message.direction]
            if reference.status in from_statuses:
                reference = _apply(uow, reference, to_status, at)
            uow.commit()
        return MessageRecorded(message, reference)

    def for_candidate(self, company_group_id: int, candidate_id: int) -> Sequence[CandidateReference]:
        """A candidate's referees, by id."""
        with self._uow_factory(company_group_id) as uow:
            return uow.candidate_references.for_candidate(candidate_id)

    def messages(self, company_group_id: int, reference_id: int) -> Sequence[ReferenceMessage]:
        """The messages with a referee, oldest first."""
        with self._uow_factory(company_group_id) as uow:
            uow.candidate_references.get(reference_id)
            return uow.reference_messages.for_reference(reference_id)

    def _move(
        self, company_group_id: int, reference_id: int, status: ReferenceStatus, **changes: Any
    ) -> CandidateReference:
        with self._uow_factory(company_group_id) as uow:
            reference = uow.candidate_references.get(reference_id)
            if status is _R.VERIFIED:
                _check_verifier(uow, changes["verified_by_user_id"])
            moved = _apply(uow, reference, status, self._now(), **changes)
            uow.commit()
        return moved

    def _now(self) -> datetime:
        return ensure_utc(self._clock.now())


def _apply(
    uow: UnitOfWork,
    reference: CandidateReference,
    status: ReferenceStatus,
    at: datetime,
    *,
    notes: str | None = None,
    **changes: Any,
) -> CandidateReference:
    """Move a reference to ``status``, stamping its time; Conflict when the workflow does not allow it."""
    if status not in REFERENCE_MOVES[reference.status]:
        allowed = ", ".join(sorted(s.value for s in REFERENCE_MOVES[reference.status])) or "none (final)"
        raise Conflict(
            f"reference {reference.id} is '{reference.status.value}' and cannot become '{status.value}'; "
            f"allowed: {allowed}",
            status=reference.status.value,
        )
    stamps = {_R.RESPONDED: "responded_at", _R.VERIFIED: "verified_at"}
    if status in stamps:
        changes[stamps[status]] = at
    if notes:
        # Notes accumulate: each step may add what the recruiter learnt, and none overwrites the last.
        changes["notes"] = f"{reference.notes}\n{notes}" if reference.notes else notes
    return uow.candidate_references.update(revise(reference, "reference", status=status, **changes))


def _check_verifier(uow: UnitOfWork, user_id: int | None) -> None:
    """Only an active member of the company group (or a platform superadmin) may verify a reference."""
    if user_id is None:
        raise ValidationFailed(
            "verifying a reference needs verified_by_user_id",
            [{"field": "verified_by_user_id", "message": "required"}],
        )
    user = uow.users.find(user_id)
    if user is None:
        raise NotFound("user", user_id)
    member = uow.memberships.find_for(user_id) is not None
    if not user.is_active or not (member or user.is_superadmin):
        raise PermissionDenied(f"user {user_id} is not an active member of this company group")


def _known_message(
    uow: UnitOfWork, reference_id: int, external_message_id: str | None
) -> ReferenceMessage | None:
    if external_message_id is None:
        return None
    messages = uow.reference_messages.for_reference(reference_id)
    return next((m for m in messages if m.external_message_id == external_message_id), None)
