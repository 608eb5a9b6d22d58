"""Candidate records of one company group: create, read, change, delete and search them, with their external ids.

Phone numbers are stored in E.164, read in the company group's default region when written without a country
prefix, and unique per company group. A candidate's funnel state changes only through
:mod:`.funnel_transitions`; merging goes through :mod:`.duplicates`. Deleting is soft (``deleted_at``), like a
merge: the row and its history stay, and every use case treats the candidate as gone.

    candidates = Candidates(uow_factory, clock)
    ana = candidates.create(company_group_id, {"first_name": "Ana", "phone": "(415) 555-0123"})
    page = candidates.search(company_group_id, CandidateFilters(q="ana"), sort=CandidateSort.LAST_NAME)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hireflow.domain.models.candidates import (
    Candidate,
    CandidateExternalId,
    CandidateFilters,
    CandidatePosition,
    CandidateSort,
)
from hireflow.domain.models.funnel import FunnelLogEntry, FunnelState
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services._support import build, revise
from hireflow.domain.services.duplicates import DuplicateGroup, Duplicates
from hireflow.domain.services.funnel_transitions import live_candidate
from hireflow.shared.clock import Clock, SystemClock, ensure_utc
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from hireflow.shared.ids import normalize_phone

_MANAGED = {
    "id": "it is given by the store",
    "company_group_id": "it is the caller's company group",
    "created_at": "it is kept by the store",
    "updated_at": "it is kept by the store",
    "phone_e164": "give 'phone' instead; it is normalised to E.164",
    "funnel_state": "it changes through funnel transitions only",
    "state_changed_at": "it changes through funnel transitions only",
    "entered_at": "it is the time the candidate was created",
    "merged_into_id": "it is set by merging candidates",
    "deleted_at": "it is set by deleting the candidate",
}
EDITABLE_FIELDS = frozenset(Candidate.model_fields) - _MANAGED.keys() | {"phone"}
"""The fields a caller may give when creating or changing a candidate (``phone`` in any common format)."""

# Reference fields: (what they name, the unit-of-work repository of it).
_REFERENCES = {
    "business_unit_id": ("business unit", "business_units"),
    "location_id": ("location", "locations"),
    "role_id": ("role", "roles"),
}


@dataclass(frozen=True)
class CandidateProfile:
    """A candidate and the ids CRMs and channels know them by."""

    candidate: Candidate
    external_ids: tuple[CandidateExternalId, ...] = ()


class Candidates:
    """Candidate record use cases, each in its own unit of work."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()

    def create(self, company_group_id: int, values: Mapping[str, Any]) -> CandidateProfile:
        """Store a new lead. ValidationFailed lists every field at fault; Conflict when the phone number is
        another candidate's (a deleted one's too: phone numbers stay unique)."""
        fields = _editable(values)
        if "phone" not in fields:
            raise ValidationFailed("a candidate needs a phone number", [_error("phone", "field required")])
        now = ensure_utc(self._clock.now())
        with self._uow_factory(company_group_id) as uow:
            phone = _phone(uow, company_group_id, fields.pop("phone"))
            candidate = build(
                Candidate,
                "candidate",
                **fields,
                company_group_id=company_group_id,
                phone_e164=phone,
                funnel_state=FunnelState.LEAD,
                entered_at=now,
                state_changed_at=now,
            )
            _check_references(uow, candidate, fields)
            _check_phone_is_free(uow, phone, None)
            stored = uow.candidates.add(candidate)
            uow.commit()
        return CandidateProfile(stored)

    def get(
        self, company_group_id: int, candidate_id: int, *, include_deleted: bool = False
    ) -> CandidateProfile:
        """The candidate and their external ids; NotFound when missing, another tenant's, or (unless
        ``include_deleted``) deleted or merged into another."""
        with self._uow_factory(company_group_id) as uow:
            candidate, external_ids = uow.candidates.get_with_external_ids(candidate_id)
        if not include_deleted and (candidate.deleted_at is not None or candidate.merged_into_id is not None):
            raise NotFound("candidate", candidate_id)
        return CandidateProfile(candidate, tuple(external_ids))

    def update(
        self, company_group_id: int, candidate_id: int, changes: Mapping[str, Any]
    ) -> CandidateProfile:
        """Change the fields given and validate the candidate as a whole. Deleted candidates are NotFound, merged
        ones a Conflict; a phone number taken by another candidate is a Conflict."""
        fields = _editable(changes)
        with self._uow_factory(company_group_id) as uow:
            current = live_candidate(uow, candidate_id)
            if "phone" in fields:
                fields["phone_e164"] = _phone(uow, company_group_id, fields.pop("phone"))
                _check_phone_is_free(uow, fields["phone_e164"], candidate_id)
            revised = revise(current, "candidate", **fields)
            _check_references(uow, revised, fields)
            stored = uow.candidates.update(revised)
            external_ids = tuple(uow.candidates.external_ids(candidate_id))
            uow.commit()
        return CandidateProfile(stored, external_ids)

    def delete(self, company_group_id: int, candidate_id: int) -> Candidate:
        """Soft-delete the candidate: hidden from searches, counts and use cases, with its history kept."""
        at = ensure_utc(self._clock.now())
        with self._uow_factory(company_group_id) as uow:
            candidate = live_candidate(uow, candidate_id)
            deleted = uow.candidates.update(revise(candidate, "candidate", deleted_at=at))
            uow.commit()
        return deleted

    def search(
        self,
        company_group_id: int,
        filters: CandidateFilters,
        *,
        sort: CandidateSort = CandidateSort.ID,
        limit: int = 50,
        after: CandidatePosition | None = None,
    ) -> list[CandidateProfile]:
        """One page of the candidates matching ``filters`` in ``sort`` order, after ``after``; a complete phone
        number in ``filters.q`` (national ones in the company group's region) matches exactly."""
        with self._uow_factory(company_group_id) as uow:
            if filters.looks_like_phone:
                region = uow.company_groups.get(company_group_id).default_phone_region
                filters = filters.with_phone_region(region)
            found = uow.candidates.search(filters, sort=sort, limit=limit, after=after)
            external_ids = uow.candidates.external_ids_for([_id(c) for c in found])
        return [CandidateProfile(c, tuple(external_ids.get(_id(c), ()))) for c in found]

    def history(
        self,
        company_group_id: int,
        candidate_id: int,
        *,
        limit: int = 50,
        after: tuple[datetime, int] | None = None,
        include_deleted: bool = False,
    ) -> list[FunnelLogEntry]:
        """The candidate's funnel log, oldest first (by time, then id): ``limit`` entries after the entry at
        ``after`` (its ``occurred_at`` and id). NotFound like :meth:`get`."""
        with self._uow_factory(company_group_id) as uow:
            _visible(uow, candidate_id, include_deleted)
            entries = uow.funnel_log.for_candidate(candidate_id)
        if after is not None:
            entries = [e for e in entries if (e.occurred_at, e.id or 0) > (ensure_utc(after[0]), after[1])]
        return list(entries[: max(limit, 0)])

    def duplicates(
        self, company_group_id: int, *, limit: int = 50, after: tuple[float, int] | None = None
    ) -> list[DuplicateGroup]:
        """Groups of likely duplicates, the surest first (then by their lowest id), ``limit`` after the group
        whose score and lowest candidate id are ``after``. Reads every live candidate of the company group."""
        groups = Duplicates(self._uow_factory, self._clock).find(company_group_id)
        if after is not None:
            score, first_id = after
            groups = [g for g in groups if (-g.score, g.candidate_ids[0]) > (-score, first_id)]
        return groups[: max(limit, 0)]


def _editable(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` if every field may be set by a caller; ValidationFailed naming each one that may not."""
    errors = [
        _error(name, f"cannot be set here: {_MANAGED[name]}" if name in _MANAGED else "unknown field")
        for name in values
        if name not in EDITABLE_FIELDS
    ]
    if errors:
        raise ValidationFailed(f"candidate is not valid: {'; '.join(e['message'] for e in errors)}", errors)
    return dict(values)


def _phone(uow: UnitOfWork, company_group_id: int, raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValidationFailed("a candidate needs a phone number", [_error("phone", "give a phone number")])
    return normalize_phone(raw, uow.company_groups.get(company_group_id).default_phone_region)


def _check_phone_is_free(uow: UnitOfWork, phone_e164: str, candidate_id: int | None) -> None:
    holder = uow.candidates.find_by_phone(phone_e164)
    if holder is None or holder.id == candidate_id:
        return
    state = " (deleted)" if holder.deleted_at is not None else ""
    raise Conflict(
        f"candidate {holder.id}{state} has the phone number {phone_e164} already; phone numbers are unique",
        candidate_id=holder.id,
    )


def _check_references(uow: UnitOfWork, candidate: Candidate, given: Mapping[str, Any]) -> None:
    """The unit, location and role given must be this company group's: ValidationFailed lists those that are not
    (the store would say NotFound, which reads as if the candidate were missing)."""
    errors = []
    for field, (what, repository) in _REFERENCES.items():
        value = getattr(candidate, field)
        if field in given and value is not None and getattr(uow, repository).find(value) is None:
            errors.append(_error(field, f"no {what} {value} in this company group"))
    if errors:
        raise ValidationFailed(f"candidate is not valid: {'; '.join(e['message'] for e in errors)}", errors)


def _visible(uow: UnitOfWork, candidate_id: int, include_deleted: bool) -> Candidate:
    candidate = uow.candidates.get(candidate_id)
    if not include_deleted and (candidate.deleted_at is not None or candidate.merged_into_id is not None):
        raise NotFound("candidate", candidate_id)
    return candidate


def _id(candidate: Candidate) -> int:
    assert candidate.id is not None  # stored candidates have one
    return candidate.id


def _error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}
