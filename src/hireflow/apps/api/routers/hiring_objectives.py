"""Hiring objectives and their progress: ``/api/v1/hiring-objectives``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/hiring-objectives", tags=["hiring-objectives"])
