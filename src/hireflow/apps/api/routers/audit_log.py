"""The audit trail of writes in the caller's company group: ``/api/v1/audit-log``."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hireflow.apps.api.deps import CanReadAudit, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/audit-log", tags=["audit-log"])


class AuditEntryPublic(BaseModel):
    """One successful write through the API: who did what, when, and to which ids.

    Not a :class:`~hireflow.apps.api.schemas.PublicRecord`: entries are never changed, so they have an
    ``occurred_at`` instead of created/updated times.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: AwareDatetime
    company_group_id: int | None
    actor_user_id: int | None = Field(description="The user who made the request")
    action: str = Field(description="The HTTP method")
    route: str = Field(description="The route template, e.g. /api/v1/locations/{location_id}")
    resource: str = Field(description="The kind of record, e.g. locations")
    target_id: str | None = Field(description="The id the request's path named")
    result_id: str | None = Field(description="The id the response returned")
    status_code: int
    request_id: str | None = Field(description="Also in the request's log lines and X-Request-ID header")


@router.get("", response_model=Page[AuditEntryPublic])
def list_audit_entries(
    caller: CanReadAudit, services: Services, limit: Limit = 50, cursor: Cursor = None
) -> Page[AuditEntryPublic]:
    """List the audit entries of your company group, newest first."""
    return paginate(
        lambda n, after: services.audit_log.entries(caller.company_group_id, limit=n, after_id=after),
        limit,
        cursor,
        AuditEntryPublic.model_validate,
    )
