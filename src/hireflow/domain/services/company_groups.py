"""Company groups (tenants), managed by superadmins: slugs are unique, and a delete must name the slug.

Deleting a company group deletes everything it owns (its memberships, org records, candidates, sessions...); the
user accounts stay, for the other company groups they belong to. Because that cannot be undone, :meth:`delete`
asks the caller to repeat the group's slug.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services._support import build, revise
from hireflow.shared.errors import Conflict, ValidationFailed

_MANAGED = frozenset({"id", "created_at", "updated_at"})


class CompanyGroups:
    """Create, read, change, list and delete company groups."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    def list(self, *, limit: int = 100, after_id: int | None = None) -> Sequence[CompanyGroup]:
        """Company groups in id order, ``limit`` at a time, after ``after_id``."""
        with self._uow_factory() as uow:
            return uow.company_groups.list(limit=limit, after_id=after_id)

    def get(self, company_group_id: int) -> CompanyGroup:
        """The company group; NotFound when there is none with this id."""
        with self._uow_factory() as uow:
            return uow.company_groups.get(company_group_id)

    def create(self, values: Mapping[str, Any]) -> CompanyGroup:
        """Store a new company group; Conflict when its slug is taken, ValidationFailed for bad values."""
        group = build(CompanyGroup, "company group", **_settable(values))
        with self._uow_factory() as uow:
            _slug_is_free(uow, group.slug, None)
            stored = uow.company_groups.add(group)
            uow.commit()
        return stored

    def update(self, company_group_id: int, changes: Mapping[str, Any]) -> CompanyGroup:
        """Apply ``changes`` (only the fields given); Conflict when a new slug is taken."""
        with self._uow_factory() as uow:
            current = uow.company_groups.get(company_group_id)
            revised = revise(current, "company group", **_settable(changes))
            _slug_is_free(uow, revised.slug, company_group_id)
            stored = uow.company_groups.update(revised)
            uow.commit()
        return stored

    def delete(self, company_group_id: int, confirm: str) -> None:
        """Delete the company group and everything it owns, if ``confirm`` repeats its slug."""
        with self._uow_factory() as uow:
            group = uow.company_groups.get(company_group_id)
            if confirm != group.slug:
                raise ValidationFailed(
                    f"deleting a company group deletes all its data; to confirm, pass confirm={group.slug}",
                    [{"field": "confirm", "message": "must repeat the company group's slug"}],
                )
            uow.company_groups.delete(company_group_id)
            uow.commit()


def _slug_is_free(uow: UnitOfWork, slug: str, own_id: int | None) -> None:
    holder = uow.company_groups.find_by_slug(slug)
    if holder is not None and holder.id != own_id:
        raise Conflict(f"the slug '{slug}' is taken by company group {holder.id}; choose another")


def _settable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name not in _MANAGED}
