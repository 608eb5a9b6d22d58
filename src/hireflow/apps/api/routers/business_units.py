"""Business units of the caller's company group: ``/api/v1/business-units``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response, status
from pydantic import BaseModel, ConfigDict, Field

from hireflow.apps.api.deps import CanManageOrg, CanReadOrg, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.models.org import BusinessUnit
from hireflow.domain.services.records import TenantRecords

router = new_router(prefix="/api/v1/business-units", tags=["business-units"])

BusinessUnitId = Annotated[int, Path(ge=1, description="The business unit's id")]


class BusinessUnitCreate(BaseModel):
    """A new business unit."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    code: str | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool = True


class BusinessUnitUpdate(BaseModel):
    """The fields to change; those left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    code: str | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool | None = None


class BusinessUnitPublic(PublicRecord):
    """A business unit."""

    name: str
    code: str | None
    description: str | None
    is_active: bool


def _records(services: Services) -> TenantRecords[BusinessUnit]:
    return TenantRecords(services.uow_factory, lambda uow: uow.business_units, BusinessUnit, "business unit")


@router.get("", response_model=Page[BusinessUnitPublic])
def list_business_units(
    caller: CanReadOrg, services: Services, limit: Limit = 50, cursor: Cursor = None
) -> Page[BusinessUnitPublic]:
    """List business units, in id order."""
    records = _records(services)
    return paginate(
        lambda n, after: records.list(caller.company_group_id, limit=n, after_id=after),
        limit,
        cursor,
        BusinessUnitPublic.model_validate,
    )


@router.post(
    "", response_model=BusinessUnitPublic, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS
)
def create_business_unit(
    body: BusinessUnitCreate, caller: CanManageOrg, services: Services
) -> BusinessUnitPublic:
    """Create a business unit."""
    created = _records(services).create(caller.company_group_id, body.model_dump())
    return BusinessUnitPublic.model_validate(created)


@router.get("/{business_unit_id}", response_model=BusinessUnitPublic, responses=NOT_FOUND)
def get_business_unit(
    business_unit_id: BusinessUnitId, caller: CanReadOrg, services: Services
) -> BusinessUnitPublic:
    """Get one business unit."""
    found = _records(services).get(caller.company_group_id, business_unit_id)
    return BusinessUnitPublic.model_validate(found)


@router.patch("/{business_unit_id}", response_model=BusinessUnitPublic, responses=WRITE_ERRORS)
def update_business_unit(
    business_unit_id: BusinessUnitId, body: BusinessUnitUpdate, caller: CanManageOrg, services: Services
) -> BusinessUnitPublic:
    """Change some fields of a business unit."""
    changes = body.model_dump(exclude_unset=True)
    updated = _records(services).update(caller.company_group_id, business_unit_id, changes)
    return BusinessUnitPublic.model_validate(updated)


@router.delete(
    "/{business_unit_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE_ERRORS,
)
def delete_business_unit(
    business_unit_id: BusinessUnitId, caller: CanManageOrg, services: Services
) -> Response:
    """Delete a business unit; its locations, roles and candidates stay, without a business unit."""
    _records(services).delete(caller.company_group_id, business_unit_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
