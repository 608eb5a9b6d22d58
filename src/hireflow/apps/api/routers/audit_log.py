"""The audit trail of writes in the caller's company group: ``/api/v1/audit-log``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/audit-log", tags=["audit-log"])
