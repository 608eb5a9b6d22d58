"""Phone interviews: ``/api/v1/phone-interviews``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/phone-interviews", tags=["phone-interviews"])
