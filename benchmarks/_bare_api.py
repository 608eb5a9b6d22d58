"""The baseline of benchmarks/api.py: a bare FastAPI + SQLAlchemy app doing one primary-key lookup per request.

No authentication, no tenant scoping, no domain models, no middleware: what a minimal hand-written endpoint
costs on the same engine settings. ``uvicorn --factory _bare_api:create_bare_app`` (DATABASE_URL in the env).
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI, HTTPException
from sqlalchemy.orm import Session

from hireflow.infra.db import tables as t
from hireflow.infra.db.engine import build_engine


def create_bare_app() -> FastAPI:
    engine = build_engine(os.environ["DATABASE_URL"])
    app = FastAPI()

    @app.get("/candidates/{candidate_id}")
    def get_candidate(candidate_id: int) -> dict[str, Any]:
        with Session(engine) as session:
            row = session.get(t.Candidate, candidate_id)
            if row is None:
                raise HTTPException(status_code=404)
            return {
                "id": row.id,
                "first_name": row.first_name,
                "last_name": row.last_name,
                "phone_e164": row.phone_e164,
                "email": row.email,
                "funnel_state": row.funnel_state,
                "entered_at": row.entered_at.isoformat() if row.entered_at else None,
            }

    return app
