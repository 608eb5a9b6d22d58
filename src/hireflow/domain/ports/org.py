"""Repository ports of the org context: company groups, business units, locations, roles, objectives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hireflow.domain.models.org import (
    BusinessUnit,
    CompanyGroup,
    HiringObjective,
    Location,
    ObjectiveStatus,
    Role,
)
from hireflow.domain.ports.repository import Repository


class CompanyGroupRepository(Repository[CompanyGroup], Protocol):
    """Company groups (tenants). Not tenant-scoped: a tenant is what the other repositories are scoped to."""

    def get_by_slug(self, slug: str) -> CompanyGroup:
        """The company group with this slug; raises NotFound."""
        ...

    def find_by_slug(self, slug: str) -> CompanyGroup | None:
        """The company group with this slug, or None (to check that a slug is free)."""
        ...


class BusinessUnitRepository(Repository[BusinessUnit], Protocol):
    """Business units of one company group."""

    def find_by_name(self, name: str) -> BusinessUnit | None:
        """The business unit with this name (names are unique in a company group), or None."""
        ...


class LocationRepository(Repository[Location], Protocol):
    """Locations of one company group."""

    def find_by_name(self, name: str) -> Location | None:
        """The location with this name (names are unique in a company group), or None."""
        ...

    def for_business_unit(self, business_unit_id: int) -> Sequence[Location]:
        """The locations of a business unit, by name."""
        ...


class RoleRepository(Repository[Role], Protocol):
    """Roles of one company group."""

    def for_business_unit(self, business_unit_id: int) -> Sequence[Role]:
        """The roles of a business unit, by title."""
        ...

    def active(self) -> Sequence[Role]:
        """The roles still hiring (``is_active``), by title."""
        ...


class HiringObjectiveRepository(Repository[HiringObjective], Protocol):
    """Hiring objectives of one company group."""

    def for_role(self, role_id: int) -> Sequence[HiringObjective]:
        """The objectives of a role, by start date then id."""
        ...

    def with_status(self, status: ObjectiveStatus) -> Sequence[HiringObjective]:
        """The objectives in ``status`` (``open`` ones drive progress dashboards), by start date then id."""
        ...
