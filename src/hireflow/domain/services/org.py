"""Filtered lists of org records (locations, roles, hiring objectives), paged by id like unfiltered ones.

Unfiltered lists come from :class:`~hireflow.domain.services.records.TenantRecords`. A filter narrows with the
repository's query for it (``for_business_unit``, ``active``, ``for_role``, ``with_status``), applies any other
filter to that, and pages the result in id order, so a cursor works the same with and without filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from hireflow.domain.models.base import TenantEntity
from hireflow.domain.models.org import HiringObjective, Location, ObjectiveStatus, Role
from hireflow.domain.ports.repository import Repository
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory

RecordT = TypeVar("RecordT", bound=TenantEntity)

_SCAN_PAGE = 1000


class OrgLists:
    """Lists of one company group's locations, roles and hiring objectives, with filters."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    def locations(
        self,
        company_group_id: int,
        *,
        business_unit_id: int | None = None,
        limit: int = 100,
        after_id: int | None = None,
    ) -> Sequence[Location]:
        """Locations in id order, optionally only those of one business unit."""
        with self._uow_factory(company_group_id) as uow:
            repository = uow.locations
            if business_unit_id is None:
                return repository.list(limit=limit, after_id=after_id)
            return _page(repository.for_business_unit(business_unit_id), limit, after_id)

    def roles(
        self,
        company_group_id: int,
        *,
        business_unit_id: int | None = None,
        active: bool | None = None,
        limit: int = 100,
        after_id: int | None = None,
    ) -> Sequence[Role]:
        """Roles in id order, optionally only those of a business unit and/or those (not) hiring."""
        with self._uow_factory(company_group_id) as uow:
            repository = uow.roles
            if business_unit_id is not None:
                rows: Sequence[Role] = repository.for_business_unit(business_unit_id)
            elif active:
                rows = repository.active()
            elif active is None:
                return repository.list(limit=limit, after_id=after_id)
            else:
                rows = _every(repository)
            if active is not None:
                rows = [row for row in rows if row.is_active == active]
            return _page(rows, limit, after_id)

    def hiring_objectives(
        self,
        company_group_id: int,
        *,
        status: ObjectiveStatus | None = None,
        role_id: int | None = None,
        limit: int = 100,
        after_id: int | None = None,
    ) -> Sequence[HiringObjective]:
        """Hiring objectives in id order, optionally only those of a role and/or in a status."""
        with self._uow_factory(company_group_id) as uow:
            repository = uow.hiring_objectives
            if role_id is not None:
                rows: Sequence[HiringObjective] = repository.for_role(role_id)
            elif status is not None:
                rows = repository.with_status(status)
            else:
                return repository.list(limit=limit, after_id=after_id)
            if status is not None:
                rows = [row for row in rows if row.status == status]
            return _page(rows, limit, after_id)


def _page(rows: Sequence[RecordT], limit: int, after_id: int | None) -> list[RecordT]:
    """``rows`` in id order after ``after_id``, at most ``limit``."""
    ordered = sorted(rows, key=_id)
    return [row for row in ordered if after_id is None or _id(row) > after_id][: max(limit, 1)]


def _every(repository: Repository[RecordT]) -> list[RecordT]:
    """Every record of the repository, read a page at a time."""
    found: list[RecordT] = []
    while True:
        page = repository.list(limit=_SCAN_PAGE, after_id=_id(found[-1]) if found else None)
        found += page
        if len(page) < _SCAN_PAGE:
            return found


def _id(row: TenantEntity) -> int:
    return row.id or 0
