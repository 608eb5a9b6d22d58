"""Repositories of the jobs context: client companies, job openings, applications and placements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hireflow.domain.models.jobs import Application, ClientCompany, JobOpening, Placement
from hireflow.domain.ports.repository import Repository


class ClientCompanyRepository(Repository[ClientCompany], Protocol):
    """Client companies of one company group."""

    def by_external_id(self, source: str, external_id: str) -> ClientCompany | None:
        """The client company a CRM knows by ``external_id``, deleted or not."""
        ...


class JobOpeningRepository(Repository[JobOpening], Protocol):
    """Job openings of one company group."""

    def by_external_id(self, source: str, external_id: str) -> JobOpening | None:
        """The job opening a CRM knows by ``external_id``, deleted or not."""
        ...


class ApplicationRepository(Repository[Application], Protocol):
    """Applications of one company group's candidates."""

    def for_candidate(self, candidate_id: int) -> Sequence[Application]:
        """A candidate's applications, by id."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...


class PlacementRepository(Repository[Placement], Protocol):
    """Placements of one company group's candidates."""

    def for_candidate(self, candidate_id: int) -> Sequence[Placement]:
        """A candidate's placements, by id."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...
