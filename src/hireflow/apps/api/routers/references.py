"""Candidates' references: ``/api/v1/references`` and ``/api/v1/candidates/{candidate_id}/references``.

A reference moves requested -> contacted -> responded -> verified (or declined, or unreachable, which a retry can
leave again); a move the workflow does not allow is a 409 naming the moves that are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

from fastapi import Path, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field

from hireflow.apps.api.deps import CanReadCandidates, CanWriteCandidates, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.models.base import Entity
from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.screening import CandidateReference, Channel, MessageDirection, ReferenceStatus
from hireflow.domain.services.records import TenantRecords
from hireflow.domain.services.references import References

router = new_router(tags=["references"])

BASE = "/api/v1/references"
CANDIDATE_BASE = "/api/v1/candidates/{candidate_id}/references"

ReferenceId = Annotated[int, Path(ge=1, description="The reference's id")]
CandidateId = Annotated[int, Path(ge=1, description="The candidate's id")]
Notes = Annotated[str | None, Field(max_length=2000, description="Added to the reference's notes")]
RowT = TypeVar("RowT", bound=Entity)
ItemT = TypeVar("ItemT")


class ReferenceCreate(BaseModel):
    """A referee the candidate named: a phone number (E.164, or national in the company's region) or an email."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: EmailStr | None = None
    relationship: str | None = Field(default=None, max_length=100)
    company_name: str | None = Field(default=None, max_length=200)
    notes: Notes = None


class NotesOnly(BaseModel):
    """What the recruiter learnt at this step (optional)."""

    model_config = ConfigDict(extra="forbid")

    notes: Notes = None


class ResponseRecord(NotesOnly):
    """The referee's reference: a rating from 1 (poor) to 5 (excellent), and notes."""

    rating: int | None = Field(default=None, ge=1, le=5)


class MessageCreate(BaseModel):
    """A message with the referee: outbound (it marks them contacted) or inbound (they responded)."""

    model_config = ConfigDict(extra="forbid")

    direction: MessageDirection
    channel: Channel
    body: str = Field(min_length=1, max_length=10_000)
    sent_at: AwareDatetime | None = Field(default=None, description="Default: now")
    external_message_id: str | None = Field(
        default=None, max_length=200, description="The provider's id: a redelivered message is kept once"
    )


class ReferencePublic(PublicRecord):
    """A referee and where their reference stands."""

    candidate_id: int
    name: str
    relationship: str | None
    company_name: str | None
    phone_e164: str | None
    email: str | None
    status: ReferenceStatus
    requested_at: AwareDatetime | None
    responded_at: AwareDatetime | None
    verified_at: AwareDatetime | None
    verified_by_user_id: int | None
    rating: int | None
    notes: str | None


class ReferenceMessagePublic(PublicRecord):
    """A message exchanged with a referee."""

    reference_id: int
    direction: MessageDirection
    channel: Channel
    body: str
    sent_at: AwareDatetime
    external_message_id: str | None


class MessageRecordedPublic(ReferenceMessagePublic):
    """A recorded message, and the reference's status after it; ``duplicate`` when it was known already."""

    duplicate: bool
    reference_status: ReferenceStatus


def _references(services: Services) -> References:
    return References(services.uow_factory, services.clock)


def _public(reference: CandidateReference) -> ReferencePublic:
    return ReferencePublic.model_validate(reference)


def _page(
    rows: Sequence[RowT], limit: int, cursor: str | None, public: Callable[[RowT], ItemT]
) -> Page[ItemT]:
    """A page of rows already loaded (one candidate's or referee's few), in id order."""
    ordered = sorted(rows, key=lambda row: row.id or 0)
    return paginate(
        lambda n, after: [row for row in ordered if after is None or (row.id or 0) > after][:n],
        limit,
        cursor,
        public,
    )


@router.get(BASE, response_model=Page[ReferencePublic])
def list_references(
    caller: CanReadCandidates, services: Services, limit: Limit = 50, cursor: Cursor = None
) -> Page[ReferencePublic]:
    """List every candidate's references, in id order."""
    records = TenantRecords(
        services.uow_factory, lambda uow: uow.candidate_references, CandidateReference, "reference"
    )
    return paginate(
        lambda n, after: records.list(caller.company_group_id, limit=n, after_id=after),
        limit,
        cursor,
        _public,
    )


@router.get(BASE + "/{reference_id}", response_model=ReferencePublic, responses=NOT_FOUND)
def get_reference(
    reference_id: ReferenceId, caller: CanReadCandidates, services: Services
) -> ReferencePublic:
    """Get one reference."""
    records = TenantRecords(
        services.uow_factory, lambda uow: uow.candidate_references, CandidateReference, "reference"
    )
    return _public(records.get(caller.company_group_id, reference_id))


@router.get(CANDIDATE_BASE, response_model=Page[ReferencePublic], responses=NOT_FOUND)
def list_candidate_references(
    candidate_id: CandidateId,
    caller: CanReadCandidates,
    services: Services,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ReferencePublic]:
    """List a candidate's references, in id order."""
    TenantRecords(services.uow_factory, lambda uow: uow.candidates, Candidate, "candidate").get(
        caller.company_group_id, candidate_id
    )
    references = _references(services).for_candidate(caller.company_group_id, candidate_id)
    return _page(references, limit, cursor, _public)


@router.post(
    CANDIDATE_BASE,
    response_model=ReferencePublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def request_reference(
    candidate_id: CandidateId, body: ReferenceCreate, caller: CanWriteCandidates, services: Services
) -> ReferencePublic:
    """Record a referee the candidate named (status requested)."""
    reference = _references(services).request(caller.company_group_id, candidate_id, **body.model_dump())
    return _public(reference)


@router.post(BASE + "/{reference_id}/contacted", response_model=ReferencePublic, responses=WRITE_ERRORS)
def mark_contacted(
    reference_id: ReferenceId, caller: CanWriteCandidates, services: Services
) -> ReferencePublic:
    """Mark that the referee was reached out to."""
    return _public(_references(services).mark_contacted(caller.company_group_id, reference_id))


@router.post(BASE + "/{reference_id}/response", response_model=ReferencePublic, responses=WRITE_ERRORS)
def record_response(
    reference_id: ReferenceId,
    caller: CanWriteCandidates,
    services: Services,
    body: ResponseRecord | None = None,
) -> ReferencePublic:
    """Record the referee's reference, with an optional rating from 1 to 5."""
    given = body or ResponseRecord()
    reference = _references(services).record_response(
        caller.company_group_id, reference_id, rating=given.rating, notes=given.notes
    )
    return _public(reference)


@router.post(BASE + "/{reference_id}/verify", response_model=ReferencePublic, responses=WRITE_ERRORS)
def verify_reference(
    reference_id: ReferenceId, caller: CanWriteCandidates, services: Services, body: NotesOnly | None = None
) -> ReferencePublic:
    """Confirm, as the caller, that a responded reference is genuine."""
    reference = _references(services).verify(
        caller.company_group_id, reference_id, verified_by_user_id=caller.user_id, notes=_notes(body)
    )
    return _public(reference)


@router.post(BASE + "/{reference_id}/decline", response_model=ReferencePublic, responses=WRITE_ERRORS)
def decline_reference(
    reference_id: ReferenceId, caller: CanWriteCandidates, services: Services, body: NotesOnly | None = None
) -> ReferencePublic:
    """Record that the referee will not give a reference."""
    reference = _references(services).decline(caller.company_group_id, reference_id, notes=_notes(body))
    return _public(reference)


@router.post(BASE + "/{reference_id}/unreachable", response_model=ReferencePublic, responses=WRITE_ERRORS)
def mark_unreachable(
    reference_id: ReferenceId, caller: CanWriteCandidates, services: Services, body: NotesOnly | None = None
) -> ReferencePublic:
    """Record that the referee could not be reached (for now)."""
    reference = _references(services).mark_unreachable(
        caller.company_group_id, reference_id, notes=_notes(body)
    )
    return _public(reference)


@router.get(
    BASE + "/{reference_id}/messages", response_model=Page[ReferenceMessagePublic], responses=NOT_FOUND
)
def list_messages(
    reference_id: ReferenceId,
    caller: CanReadCandidates,
    services: Services,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ReferenceMessagePublic]:
    """List the messages with a referee, in id order."""
    messages = _references(services).messages(caller.company_group_id, reference_id)
    return _page(messages, limit, cursor, ReferenceMessagePublic.model_validate)


@router.post(
    BASE + "/{reference_id}/messages",
    response_model=MessageRecordedPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**WRITE_ERRORS, 200: {"description": "The message was recorded before (same external id)"}},
)
def record_message(
    reference_id: ReferenceId,
    body: MessageCreate,
    caller: CanWriteCandidates,
    services: Services,
    response: Response,
) -> MessageRecordedPublic:
    """Record a message with the referee; inbound marks them responded, outbound contacted."""
    recorded = _references(services).record_message(
        caller.company_group_id, reference_id, **body.model_dump()
    )
    if recorded.duplicate:
        response.status_code = status.HTTP_200_OK
    return MessageRecordedPublic.model_validate(
        recorded.message.model_dump()
        | {"duplicate": recorded.duplicate, "reference_status": recorded.reference.status}
    )


def _notes(body: NotesOnly | None) -> str | None:
    return body.notes if body else None
