"""The FastAPI app every CRM sandbox starts from: its state, the fault middleware and the control API."""

from __future__ import annotations

from typing import cast

from fastapi import FastAPI

from hireflow.infra.crm.sandbox.control import control_router
from hireflow.infra.crm.sandbox.middleware import FaultMiddleware
from hireflow.infra.crm.sandbox.profile import CrmProfile
from hireflow.infra.crm.sandbox.state import SandboxState
from hireflow.shared.errors import ValidationFailed


def sandbox_app(title: str, state: SandboxState, profile: CrmProfile) -> FastAPI:
    """An app with ``state`` attached, faults injected on ``profile``'s data paths, and ``/_sandbox`` routes."""
    unsupported = profile.unsupported_faults(state.faults.kinds)
    if unsupported:
        raise ValidationFailed(f"the {profile.name} sandbox cannot inject {', '.join(unsupported)}")
    # No OpenAPI: the routes read raw requests, as the real APIs do, so a schema would say nothing useful.
    app = FastAPI(title=title, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = state
    app.add_middleware(FaultMiddleware, state=state, profile=profile)
    app.include_router(control_router(state, profile))
    return app


def sandbox_state(app: FastAPI) -> SandboxState:
    """The state of a sandbox app, for tests that look inside (use it from the server's thread only)."""
    return cast(SandboxState, app.state.sandbox)
