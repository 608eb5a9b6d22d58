"""Plain records of one tenant: create, read, update, delete and list, with validation and tenant scoping.

For the records whose use cases are just that (business units, locations, roles, hiring objectives): richer
records have services of their own. Every method opens its own unit of work for the given company group, so a
record of another tenant is NotFound, the same as a missing one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from hireflow.domain.models.base import TenantEntity
from hireflow.domain.ports.repository import Repository
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services._support import build, revise

RecordT = TypeVar("RecordT", bound=TenantEntity)

_MANAGED = frozenset({"id", "company_group_id", "created_at", "updated_at"})


class TenantRecords(Generic[RecordT]):
    """CRUD for one kind of tenant-owned record, e.g. ``TenantRecords(f, lambda u: u.locations, Location)``."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        repository: Callable[[UnitOfWork], Repository[RecordT]],
        model: type[RecordT],
        what: str,
    ) -> None:
        self._uow_factory = uow_factory
        self._repository = repository
        self._model = model
        self._what = what

    def create(self, company_group_id: int, values: Mapping[str, Any]) -> RecordT:
        """Validate and store a new record; ValidationFailed lists every field at fault."""
        record = build(self._model, self._what, **_settable(values), company_group_id=company_group_id)
        with self._uow_factory(company_group_id) as uow:
            stored = self._repository(uow).add(record)
            uow.commit()
        return stored

    def get(self, company_group_id: int, record_id: int) -> RecordT:
        """The record; NotFound when it is missing or another tenant's."""
        with self._uow_factory(company_group_id) as uow:
            return self._repository(uow).get(record_id)

    def update(self, company_group_id: int, record_id: int, changes: Mapping[str, Any]) -> RecordT:
        """Apply ``changes`` (only the fields given) and validate the record as a whole."""
        with self._uow_factory(company_group_id) as uow:
            repository = self._repository(uow)
            current = repository.get(record_id)
            stored = repository.update(revise(current, self._what, **_settable(changes)))
            uow.commit()
        return stored

    def delete(self, company_group_id: int, record_id: int) -> None:
        """Remove the record; Conflict when other records still refer to it."""
        with self._uow_factory(company_group_id) as uow:
            self._repository(uow).delete(record_id)
            uow.commit()

    def list(
        self, company_group_id: int, *, limit: int = 100, after_id: int | None = None
    ) -> Sequence[RecordT]:
        """Records in id order, ``limit`` at a time, after ``after_id``."""
        with self._uow_factory(company_group_id) as uow:
            return self._repository(uow).list(limit=limit, after_id=after_id)


def _settable(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` without the fields the store manages (ids, tenant, timestamps)."""
    return {name: value for name, value in values.items() if name not in _MANAGED}
