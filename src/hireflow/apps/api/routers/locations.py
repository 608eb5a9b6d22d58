"""Locations of the caller's company group: ``/api/v1/locations``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from hireflow.apps.api.deps import CanManageOrg, CanReadOrg, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.models.org import Latitude, Location, Longitude
from hireflow.domain.services.org import OrgLists
from hireflow.domain.services.records import TenantRecords

router = new_router(prefix="/api/v1/locations", tags=["locations"])

LocationId = Annotated[int, Path(ge=1, description="The location's id")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, upper case")]


class LocationCreate(BaseModel):
    """A new location; give both coordinates or neither."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="Unique in your company group")
    business_unit_id: int | None = Field(default=None, ge=1)
    address_line: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country_code: CountryCode = "US"
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    timezone: str | None = Field(default=None, max_length=64)
    is_active: bool = True


class LocationUpdate(BaseModel):
    """The fields to change; those left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    business_unit_id: int | None = Field(default=None, ge=1)
    address_line: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country_code: CountryCode | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    timezone: str | None = Field(default=None, max_length=64)
    is_active: bool | None = None


class LocationPublic(PublicRecord):
    """A location."""

    name: str
    business_unit_id: int | None
    address_line: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country_code: str
    latitude: float | None
    longitude: float | None
    timezone: str | None
    is_active: bool


def _records(services: Services) -> TenantRecords[Location]:
    return TenantRecords(services.uow_factory, lambda uow: uow.locations, Location, "location")


@router.get("", response_model=Page[LocationPublic])
def list_locations(
    caller: CanReadOrg,
    services: Services,
    business_unit_id: Annotated[int | None, Query(ge=1, description="Only this business unit's")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[LocationPublic]:
    """List locations, in id order; optionally only those of one business unit."""
    lists = OrgLists(services.uow_factory)
    return paginate(
        lambda n, after: lists.locations(
            caller.company_group_id, business_unit_id=business_unit_id, limit=n, after_id=after
        ),
        limit,
        cursor,
        LocationPublic.model_validate,
    )


@router.post("", response_model=LocationPublic, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS)
def create_location(body: LocationCreate, caller: CanManageOrg, services: Services) -> LocationPublic:
    """Create a location (409 when the name is taken; 404 for an unknown business unit)."""
    created = _records(services).create(caller.company_group_id, body.model_dump())
    return LocationPublic.model_validate(created)


@router.get("/{location_id}", response_model=LocationPublic, responses=NOT_FOUND)
def get_location(location_id: LocationId, caller: CanReadOrg, services: Services) -> LocationPublic:
    """Get one location."""
    return LocationPublic.model_validate(_records(services).get(caller.company_group_id, location_id))


@router.patch("/{location_id}", response_model=LocationPublic, responses=WRITE_ERRORS)
def update_location(
    location_id: LocationId, body: LocationUpdate, caller: CanManageOrg, services: Services
) -> LocationPublic:
    """Change some fields of a location."""
    changes = body.model_dump(exclude_unset=True)
    updated = _records(services).update(caller.company_group_id, location_id, changes)
    return LocationPublic.model_validate(updated)


@router.delete(
    "/{location_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=WRITE_ERRORS
)
def delete_location(location_id: LocationId, caller: CanManageOrg, services: Services) -> Response:
    """Delete a location and its hiring objectives; its candidates stay, without a location."""
    _records(services).delete(caller.company_group_id, location_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
