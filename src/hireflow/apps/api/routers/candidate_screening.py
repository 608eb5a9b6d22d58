"""A candidate's screening answers and eligibility evaluations: ``/api/v1/candidates``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/candidates", tags=["screening"])
