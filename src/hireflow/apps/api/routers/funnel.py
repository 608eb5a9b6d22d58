"""Funnel analytics: buckets, conversion, time in stage, cohorts: ``/api/v1/funnel``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/funnel", tags=["funnel"])
