"""Company groups (tenants), for superadmins: ``/api/v1/company-groups``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/company-groups", tags=["company-groups"])
