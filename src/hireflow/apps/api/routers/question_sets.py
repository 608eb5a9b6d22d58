"""Screening question sets and their questions: ``/api/v1/question-sets``."""

from __future__ import annotations

from hireflow.apps.api.routers import new_router

router = new_router(prefix="/api/v1/question-sets", tags=["question-sets"])
