"""Company groups (tenants), for superadmins: ``/api/v1/company-groups``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from hireflow.apps.api.deps import CanManagePlatform, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.services.company_groups import CompanyGroups

router = new_router(prefix="/api/v1/company-groups", tags=["company-groups"])

CompanyGroupId = Annotated[int, Path(ge=1, description="The company group's id")]
SLUG = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
SLUG_HELP = "Lower-case letters, digits and inner hyphens (1-64); unique across the platform"


class CompanyGroupCreate(BaseModel):
    """A new company group (tenant)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    slug: str = Field(pattern=SLUG, description=SLUG_HELP)
    default_phone_region: str = Field(default="US", pattern=r"^[A-Z]{2}$")
    timezone: str = Field(default="UTC", min_length=1, max_length=64)
    is_active: bool = True


class CompanyGroupUpdate(BaseModel):
    """The fields to change; those left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    slug: str | None = Field(default=None, pattern=SLUG, description=SLUG_HELP)
    default_phone_region: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    timezone: str | None = Field(default=None, min_length=1, max_length=64)
    is_active: bool | None = None


class CompanyGroupPublic(PublicRecord):
    """A company group."""

    name: str
    slug: str
    default_phone_region: str
    timezone: str
    is_active: bool


def _groups(services: Services) -> CompanyGroups:
    return CompanyGroups(services.uow_factory)


@router.get("", response_model=Page[CompanyGroupPublic])
def list_company_groups(
    _: CanManagePlatform, services: Services, limit: Limit = 50, cursor: Cursor = None
) -> Page[CompanyGroupPublic]:
    """List company groups, in id order."""
    groups = _groups(services)
    return paginate(
        lambda n, after: groups.list(limit=n, after_id=after),
        limit,
        cursor,
        CompanyGroupPublic.model_validate,
    )


@router.post(
    "", response_model=CompanyGroupPublic, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS
)
def create_company_group(
    body: CompanyGroupCreate, _: CanManagePlatform, services: Services
) -> CompanyGroupPublic:
    """Create a company group (409 when the slug is taken)."""
    return CompanyGroupPublic.model_validate(_groups(services).create(body.model_dump()))


@router.get("/{company_group_id}", response_model=CompanyGroupPublic, responses=NOT_FOUND)
def get_company_group(
    company_group_id: CompanyGroupId, _: CanManagePlatform, services: Services
) -> CompanyGroupPublic:
    """Get one company group."""
    return CompanyGroupPublic.model_validate(_groups(services).get(company_group_id))


@router.patch("/{company_group_id}", response_model=CompanyGroupPublic, responses=WRITE_ERRORS)
def update_company_group(
    company_group_id: CompanyGroupId, body: CompanyGroupUpdate, _: CanManagePlatform, services: Services
) -> CompanyGroupPublic:
    """Change some fields of a company group (409 when a new slug is taken)."""
    changes = body.model_dump(exclude_unset=True)
    return CompanyGroupPublic.model_validate(_groups(services).update(company_group_id, changes))


@router.delete(
    "/{company_group_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE_ERRORS,
)
def delete_company_group(
    company_group_id: CompanyGroupId,
    confirm: Annotated[
        str, Query(min_length=1, max_length=64, description="The company group's slug, to confirm the delete")
    ],
    _: CanManagePlatform,
    services: Services,
) -> Response:
    """Delete a company group and all its data (pass confirm=<its slug>); user accounts stay."""
    _groups(services).delete(company_group_id, confirm)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
