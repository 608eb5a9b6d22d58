"""The application factory: ``uvicorn --factory hireflow.apps.api.app:create_app``.

Nothing is built at import time: settings are read, and the app and its middleware are assembled, only when
:func:`create_app` is called. The database and the cache are reached lazily, by the requests that need them.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from hireflow import __version__
from hireflow.apps.api.container import ApiServices
from hireflow.apps.api.errors import install_error_handlers
from hireflow.apps.api.middleware import RequestIdMiddleware
from hireflow.apps.api.openapi import install_openapi
from hireflow.apps.api.routers import (
    audit_log,
    auth,
    business_units,
    candidate_screening,
    candidates,
    company_groups,
    funnel,
    health,
    hiring_objectives,
    jobs,
    locations,
    matching,
    phone_interviews,
    question_sets,
    references,
    roles,
    simulations,
    sync,
    users,
)
from hireflow.shared.clock import Clock, SystemClock
from hireflow.shared.config import Settings, get_settings

ROUTERS = (
    health,
    auth,
    users,
    company_groups,
    business_units,
    locations,
    roles,
    hiring_objectives,
    question_sets,
    candidates,
    candidate_screening,
    references,
    phone_interviews,
    funnel,
    jobs,
    matching,
    sync,
    simulations,
    audit_log,
)
"""Every router module, in the order their routes appear in the OpenAPI document."""


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """Build the Hireflow API. Refuses placeholder secrets outside development (ConfigurationError)."""
    settings = settings or get_settings()
    settings.require_safe_secrets()
    services = ApiServices(settings, clock or SystemClock())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if getattr(app.state, "serving", False):
            _tune_garbage_collector()
        yield
        services.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Hireflow API",
        version=__version__,
        description="The hiring platform's HTTP API. Errors are RFC 9457 problem documents.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.services = services
    install_error_handlers(app)
    app.add_middleware(RequestIdMiddleware)
    for module in ROUTERS:
        app.include_router(module.router)
    install_openapi(app)
    return app


def create_server_app() -> FastAPI:
    """The app as ``hireflow serve`` runs it: :func:`create_app`, plus garbage-collector tuning at start-up.

    ``uvicorn --factory hireflow.apps.api.app:create_server_app``.
    """
    app = create_app()
    app.state.serving = True
    return app


def _tune_garbage_collector() -> None:
    """Keep the objects built at start-up out of every later collection, and collect young objects less often.

    A request allocates thousands of short-lived objects; with the default thresholds the collector runs every
    few requests and walks every long-lived object (routes, schemas, SQLAlchemy metadata) each time, which shows
    as latency spikes. Reference counting still frees almost everything at once; only cycles wait longer.
    """
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
