"""Roles (with their eligibility criteria) of the caller's company group: ``/api/v1/roles``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from hireflow.apps.api.deps import CanManageOrg, CanReadOrg, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.models.org import (
    AgeRange,
    CurrencyCode,
    EligibilityCriteria,
    EmploymentType,
    PayPeriod,
    Role,
)
from hireflow.domain.services.org import OrgLists
from hireflow.domain.services.records import TenantRecords

router = new_router(prefix="/api/v1/roles", tags=["roles"])

RoleId = Annotated[int, Path(ge=1, description="The role's id")]
MinorUnits = Annotated[int, Field(ge=0, description="Minor units (cents)")]


class AgeRangeBody(AgeRange):
    """Candidates' age bounds in years (14-100); either bound may be left out."""

    model_config = ConfigDict(extra="forbid")


class EligibilityCriteriaBody(EligibilityCriteria):
    """A role's eligibility rules; a field left out is not checked. Replaced as a whole on update."""

    model_config = ConfigDict(extra="forbid")

    age: AgeRangeBody | None = None


class RoleCreate(BaseModel):
    """A new role."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    business_unit_id: int | None = Field(default=None, ge=1)
    description: str | None = Field(default=None, max_length=5000)
    employment_type: EmploymentType = EmploymentType.FULL_TIME
    pay_min_minor: MinorUnits | None = None
    pay_max_minor: MinorUnits | None = None
    pay_currency: CurrencyCode = "USD"
    pay_period: PayPeriod = PayPeriod.HOUR
    eligibility_criteria: EligibilityCriteriaBody = Field(default_factory=EligibilityCriteriaBody)
    is_active: bool = True


class RoleUpdate(BaseModel):
    """The fields to change; those left out keep their value (``eligibility_criteria`` is replaced whole)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200)
    business_unit_id: int | None = Field(default=None, ge=1)
    description: str | None = Field(default=None, max_length=5000)
    employment_type: EmploymentType | None = None
    pay_min_minor: MinorUnits | None = None
    pay_max_minor: MinorUnits | None = None
    pay_currency: CurrencyCode | None = None
    pay_period: PayPeriod | None = None
    eligibility_criteria: EligibilityCriteriaBody | None = None
    is_active: bool | None = None


class RolePublic(PublicRecord):
    """A role."""

    title: str
    business_unit_id: int | None
    description: str | None
    employment_type: EmploymentType
    pay_min_minor: int | None
    pay_max_minor: int | None
    pay_currency: str
    pay_period: PayPeriod
    eligibility_criteria: EligibilityCriteria
    is_active: bool


def _records(services: Services) -> TenantRecords[Role]:
    return TenantRecords(services.uow_factory, lambda uow: uow.roles, Role, "role")


@router.get("", response_model=Page[RolePublic])
def list_roles(
    *,
    caller: CanReadOrg,
    services: Services,
    business_unit_id: Annotated[int | None, Query(ge=1, description="Only this business unit's")] = None,
    active: Annotated[bool | None, Query(description="Only roles (not) hiring now")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[RolePublic]:
    """List roles, in id order; optionally only a business unit's, and only active or inactive ones."""
    lists = OrgLists(services.uow_factory)
    return paginate(
        lambda n, after: lists.roles(
            caller.company_group_id, business_unit_id=business_unit_id, active=active, limit=n, after_id=after
        ),
        limit,
        cursor,
        RolePublic.model_validate,
    )


@router.post("", response_model=RolePublic, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS)
def create_role(body: RoleCreate, caller: CanManageOrg, services: Services) -> RolePublic:
    """Create a role with its eligibility criteria."""
    created = _records(services).create(caller.company_group_id, body.model_dump())
    return RolePublic.model_validate(created)


@router.get("/{role_id}", response_model=RolePublic, responses=NOT_FOUND)
def get_role(role_id: RoleId, caller: CanReadOrg, services: Services) -> RolePublic:
    """Get one role."""
    return RolePublic.model_validate(_records(services).get(caller.company_group_id, role_id))


@router.patch("/{role_id}", response_model=RolePublic, responses=WRITE_ERRORS)
def update_role(role_id: RoleId, body: RoleUpdate, caller: CanManageOrg, services: Services) -> RolePublic:
    """Change some fields of a role; eligibility_criteria, when given, replaces the stored criteria."""
    changes = body.model_dump(exclude_unset=True)
    updated = _records(services).update(caller.company_group_id, role_id, changes)
    return RolePublic.model_validate(updated)


@router.delete(
    "/{role_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=WRITE_ERRORS
)
def delete_role(role_id: RoleId, caller: CanManageOrg, services: Services) -> Response:
    """Delete a role with its hiring objectives and question sets; its candidates stay, without a role."""
    _records(services).delete(caller.company_group_id, role_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
