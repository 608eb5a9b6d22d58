"""Candidates' references: ``/api/v1/references``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/references", tags=["references"])
