"""Users of the caller's company group, and the caller themself: ``/api/v1/users``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/users", tags=["users"])
