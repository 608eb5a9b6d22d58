"""Repository ports of the candidates context: candidates, their external CRM ids and their media."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from hireflow.domain.models.candidates import (
    Candidate,
    CandidateExternalId,
    CandidateFilters,
    CandidateMedia,
    CandidatePosition,
    CandidateSort,
)
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.ports.repository import Repository


class CandidateExternalIdRepository(Repository[CandidateExternalId], Protocol):
    """The ids CRMs and channels know one company group's candidates by."""

    def find_by_key(self, source: str, external_id: str) -> CandidateExternalId | None:
        """The mapping of ``(source, external_id)`` (unique in a company group), or None."""
        ...

    def for_candidate(self, candidate_id: int) -> Sequence[CandidateExternalId]:
        """A candidate's external ids, by source then external id."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...


class CandidateRepository(Repository[Candidate], Protocol):
    """Candidates of one company group, unique there by phone number. External ids live beside them."""

    def get_by_phone(self, phone_e164: str) -> Candidate:
        """The candidate with this E.164 phone number; raises NotFound."""
        ...

    def find_by_phone(self, phone_e164: str) -> Candidate | None:
        """The candidate with this E.164 phone number, or None (to deduplicate on intake)."""
        ...

    def find_by_email(self, email: str) -> Sequence[Candidate]:
        """Candidates with this email in any letter case, by id; emails are not unique, so maybe several."""
        ...

    def find_by_external_id(self, source: str, external_id: str) -> Candidate | None:
        """The candidate a CRM or channel knows as ``external_id``, or None."""
        ...

    def add_external_id(self, candidate_id: int, source: str, external_id: str) -> CandidateExternalId:
        """Record the id ``source`` knows the candidate by; raises NotFound, or Conflict when taken."""
        ...

    def get_with_external_ids(self, candidate_id: int) -> tuple[Candidate, Sequence[CandidateExternalId]]:
        """The candidate (deleted or not) and their external ids in id order; NotFound when missing."""
        ...

    def external_ids(self, candidate_id: int) -> Sequence[CandidateExternalId]:
        """The candidate's external ids, by source then external id."""
        ...

    def in_state(
        self, state: FunnelState, *, limit: int = 100, after_id: int | None = None
    ) -> Sequence[Candidate]:
        """Candidates in a funnel state, in id order, a page at a time (like ``list``)."""
        ...

    def count_by_state(self) -> Mapping[FunnelState, int]:
        """How many candidates are in each funnel state; states with none are left out."""
        ...

    def merged_into(self, candidate_id: int) -> Sequence[Candidate]:
        """The candidates merged into ``candidate_id`` (their ``merged_into_id``), by id."""
        ...

    def search(
        self,
        filters: CandidateFilters,
        *,
        sort: CandidateSort = CandidateSort.ID,
        limit: int = 100,
        after: CandidatePosition | None = None,
    ) -> Sequence[Candidate]:
        """Candidates matching every filter, in ``sort`` order (ties by id), ``limit`` at a time, starting
        after ``after`` (keyset pagination: a position stays valid while candidates come and go)."""
        ...

    def external_ids_for(self, candidate_ids: Sequence[int]) -> Mapping[int, Sequence[CandidateExternalId]]:
        """The external ids of several candidates at once (a page of a search), by candidate id; candidates
        without any are left out."""
        ...


class CandidateMediaRepository(Repository[CandidateMedia], Protocol):
    """Files of one company group's candidates."""

    def for_candidate(self, candidate_id: int) -> Sequence[CandidateMedia]:
        """A candidate's files, by id."""
        ...

    def find_by_storage_key(self, storage_key: str) -> CandidateMedia | None:
        """The file stored under this key (unique in a company group), or None."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...
