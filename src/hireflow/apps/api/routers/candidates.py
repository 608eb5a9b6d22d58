"""Candidates: records, search, funnel transitions and merges: ``/api/v1/candidates``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/candidates", tags=["candidates"])
