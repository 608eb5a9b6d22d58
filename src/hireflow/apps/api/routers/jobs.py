"""Background jobs of the caller's company group: ``/api/v1/jobs``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/jobs", tags=["jobs"])
