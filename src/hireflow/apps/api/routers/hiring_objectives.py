"""Hiring objectives and their progress: ``/api/v1/hiring-objectives``.

Progress counts the hires recorded in the funnel log; it is read through the admin dashboard repository, which
works on a session of its own (built here, as the container offers no progress service).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from fastapi import Path, Query, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from hireflow.apps.api.deps import CanManageOrg, CanReadOrg, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.models.org import HiringObjective, ObjectiveStatus
from hireflow.domain.services.objectives import (
    ObjectiveProgress,
    ObjectiveProgressService,
    ProgressRollup,
    RollupKey,
)
from hireflow.domain.services.org import OrgLists
from hireflow.domain.services.records import TenantRecords
from hireflow.infra.db.repositories.funnel_analytics import SqlAlchemyAdminDashboardRepository
from hireflow.infra.db.session import SessionLocal
from hireflow.shared.errors import NotFound

router = new_router(prefix="/api/v1/hiring-objectives", tags=["hiring-objectives"])

ObjectiveId = Annotated[int, Path(ge=1, description="The hiring objective's id")]


class HiringObjectiveCreate(BaseModel):
    """A new target: hire ``objective_amount`` people for a role (optionally at a location) by a deadline."""

    model_config = ConfigDict(extra="forbid")

    role_id: int = Field(ge=1)
    location_id: int | None = Field(default=None, ge=1)
    business_unit_id: int | None = Field(default=None, ge=1)
    objective_amount: int = Field(gt=0, le=1_000_000)
    start_date: date
    deadline: date | None = Field(default=None, description="Not before start_date")
    status: ObjectiveStatus = ObjectiveStatus.OPEN
    notes: str | None = Field(default=None, max_length=5000)


class HiringObjectiveUpdate(BaseModel):
    """The fields to change; those left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    role_id: int | None = Field(default=None, ge=1)
    location_id: int | None = Field(default=None, ge=1)
    business_unit_id: int | None = Field(default=None, ge=1)
    objective_amount: int | None = Field(default=None, gt=0, le=1_000_000)
    start_date: date | None = None
    deadline: date | None = None
    status: ObjectiveStatus | None = None
    notes: str | None = Field(default=None, max_length=5000)


class HiringObjectivePublic(PublicRecord):
    """A hiring objective."""

    role_id: int
    location_id: int | None
    business_unit_id: int | None
    objective_amount: int
    start_date: date
    deadline: date | None
    status: ObjectiveStatus
    notes: str | None


class ProgressReport(BaseModel):
    """Progress of every objective, and the same summed by ``by`` when asked for."""

    as_of: AwareDatetime
    # The domain's progress values are read-only figures without secrets, so they are the public schema too.
    items: list[ObjectiveProgress]
    rollup: list[ProgressRollup] | None = Field(description="Null unless `by` was given")


def _records(services: Services) -> TenantRecords[HiringObjective]:
    return TenantRecords(
        services.uow_factory, lambda uow: uow.hiring_objectives, HiringObjective, "hiring objective"
    )


class _OneObjective(SqlAlchemyAdminDashboardRepository):
    """The dashboard repository, narrowed to one objective (so its progress costs one hires query)."""

    def __init__(self, session: Session, objective_id: int) -> None:
        super().__init__(session)
        self._objective_id = objective_id

    def objectives(self, company_id: int) -> Sequence[HiringObjective]:
        return [item for item in super().objectives(company_id) if item.id == self._objective_id]


@router.get("", response_model=Page[HiringObjectivePublic])
def list_hiring_objectives(
    *,
    caller: CanReadOrg,
    services: Services,
    status_: Annotated[
        ObjectiveStatus | None, Query(alias="status", description="Only in this status")
    ] = None,
    role_id: Annotated[int | None, Query(ge=1, description="Only this role's")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[HiringObjectivePublic]:
    """List hiring objectives, in id order; optionally only one role's and/or in one status."""
    lists = OrgLists(services.uow_factory)
    return paginate(
        lambda n, after: lists.hiring_objectives(
            caller.company_group_id, status=status_, role_id=role_id, limit=n, after_id=after
        ),
        limit,
        cursor,
        HiringObjectivePublic.model_validate,
    )


@router.get("/progress", response_model=ProgressReport)
def get_progress(
    caller: CanReadOrg,
    services: Services,
    by: Annotated[RollupKey | None, Query(description="Also sum the objectives by this key")] = None,
) -> ProgressReport:
    """Get the progress of every hiring objective, optionally summed by role, location or business unit."""
    with SessionLocal() as session:
        progress = ObjectiveProgressService(SqlAlchemyAdminDashboardRepository(session), services.clock)
        items = progress.progress(caller.company_group_id)
        rollup = progress.rollup(caller.company_group_id, by) if by is not None else None
    return ProgressReport(
        as_of=services.clock.now(),
        items=list(items),
        rollup=None if rollup is None else list(rollup),
    )


@router.post(
    "", response_model=HiringObjectivePublic, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS
)
def create_hiring_objective(
    body: HiringObjectiveCreate, caller: CanManageOrg, services: Services
) -> HiringObjectivePublic:
    """Create a hiring objective (404 for an unknown role, location or business unit)."""
    created = _records(services).create(caller.company_group_id, body.model_dump())
    return HiringObjectivePublic.model_validate(created)


@router.get("/{objective_id}", response_model=HiringObjectivePublic, responses=NOT_FOUND)
def get_hiring_objective(
    objective_id: ObjectiveId, caller: CanReadOrg, services: Services
) -> HiringObjectivePublic:
    """Get one hiring objective."""
    return HiringObjectivePublic.model_validate(_records(services).get(caller.company_group_id, objective_id))


@router.get("/{objective_id}/progress", response_model=ObjectiveProgress, responses=NOT_FOUND)
def get_objective_progress(
    objective_id: ObjectiveId, caller: CanReadOrg, services: Services
) -> ObjectiveProgress:
    """Get the progress of one hiring objective."""
    _records(services).get(caller.company_group_id, objective_id)  # NotFound for another tenant's
    with SessionLocal() as session:
        repository = _OneObjective(session, objective_id)
        found = ObjectiveProgressService(repository, services.clock).progress(caller.company_group_id)
    if not found:  # deleted meanwhile
        raise NotFound("hiring objective", objective_id)
    return found[0]


@router.patch("/{objective_id}", response_model=HiringObjectivePublic, responses=WRITE_ERRORS)
def update_hiring_objective(
    objective_id: ObjectiveId, body: HiringObjectiveUpdate, caller: CanManageOrg, services: Services
) -> HiringObjectivePublic:
    """Change some fields of a hiring objective."""
    changes = body.model_dump(exclude_unset=True)
    updated = _records(services).update(caller.company_group_id, objective_id, changes)
    return HiringObjectivePublic.model_validate(updated)


@router.delete(
    "/{objective_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=WRITE_ERRORS
)
def delete_hiring_objective(objective_id: ObjectiveId, caller: CanManageOrg, services: Services) -> Response:
    """Delete a hiring objective."""
    _records(services).delete(caller.company_group_id, objective_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
