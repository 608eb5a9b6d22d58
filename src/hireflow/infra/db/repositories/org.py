"""SQLAlchemy repositories of the org context."""

from __future__ import annotations

from collections.abc import Sequence

from hireflow.domain.models import org as m
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.base import SqlAlchemyRepository, TenantRepository
from hireflow.shared.errors import NotFound


class SqlAlchemyCompanyGroupRepository(SqlAlchemyRepository[t.CompanyGroup, m.CompanyGroup]):
    """Company groups (tenants); global."""

    row_type = t.CompanyGroup
    model_type = m.CompanyGroup
    entity_name = "company group"

    def get_by_slug(self, slug: str) -> m.CompanyGroup:
        found = self.find_by_slug(slug)
        if found is None:
            raise NotFound(self.entity_name, slug)
        return found

    def find_by_slug(self, slug: str) -> m.CompanyGroup | None:
        return self._one(self._select().where(t.CompanyGroup.slug == slug))


class SqlAlchemyBusinessUnitRepository(TenantRepository[t.BusinessUnit, m.BusinessUnit]):
    """Business units of one company group."""

    row_type = t.BusinessUnit
    model_type = m.BusinessUnit
    entity_name = "business unit"

    def find_by_name(self, name: str) -> m.BusinessUnit | None:
        return self._one(self._select().where(t.BusinessUnit.name == name))


class SqlAlchemyLocationRepository(TenantRepository[t.Location, m.Location]):
    """Locations of one company group."""

    row_type = t.Location
    model_type = m.Location
    entity_name = "location"

    def find_by_name(self, name: str) -> m.Location | None:
        return self._one(self._select().where(t.Location.name == name))

    def for_business_unit(self, business_unit_id: int) -> Sequence[m.Location]:
        query = self._select().where(t.Location.business_unit_id == business_unit_id)
        return self._many(query.order_by(t.Location.name, t.Location.id))


class SqlAlchemyRoleRepository(TenantRepository[t.Role, m.Role]):
    """Roles of one company group."""

    row_type = t.Role
    model_type = m.Role
    entity_name = "role"

    def for_business_unit(self, business_unit_id: int) -> Sequence[m.Role]:
        query = self._select().where(t.Role.business_unit_id == business_unit_id)
        return self._many(query.order_by(t.Role.title, t.Role.id))

    def active(self) -> Sequence[m.Role]:
        query = self._select().where(t.Role.is_active.is_(True))
        return self._many(query.order_by(t.Role.title, t.Role.id))


class SqlAlchemyHiringObjectiveRepository(TenantRepository[t.HiringObjective, m.HiringObjective]):
    """Hiring objectives of one company group."""

    row_type = t.HiringObjective
    model_type = m.HiringObjective
    entity_name = "hiring objective"

    def for_role(self, role_id: int) -> Sequence[m.HiringObjective]:
        query = self._select().where(t.HiringObjective.role_id == role_id)
        return self._many(query.order_by(t.HiringObjective.start_date, t.HiringObjective.id))

    def with_status(self, status: m.ObjectiveStatus) -> Sequence[m.HiringObjective]:
        query = self._select().where(t.HiringObjective.status == status.value)
        return self._many(query.order_by(t.HiringObjective.start_date, t.HiringObjective.id))
