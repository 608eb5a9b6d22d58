"""Liveness and readiness: ``/healthz`` says the process answers, ``/readyz`` that its backends do.

A readiness check never raises and never shows a traceback: each check reports ``ok`` or ``unavailable`` with
a one-line reason, URLs with their password masked. Each check has a short time limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy import text

from hireflow import __version__
from hireflow.apps.api.routers import new_router
from hireflow.infra.db import migrate
from hireflow.infra.db.session import SessionLocal
from hireflow.shared.config import Settings, mask_url_password
from hireflow.shared.extras import require

CHECK_TIMEOUT_SECONDS = 3.0
"""How long a readiness check may take before it counts as unavailable."""

router = new_router(tags=["health"])


class Health(BaseModel):
    """The process is alive."""

    status: Literal["ok"] = "ok"
    version: str


class Check(BaseModel):
    """The outcome of one readiness check."""

    status: Literal["ok", "unavailable"]
    detail: str


class Readiness(BaseModel):
    """Whether every backend the API needs answers; ``status`` is ``unavailable`` if any check failed."""

    status: Literal["ready", "unavailable"]
    checks: dict[str, Check]


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """Report that the process is alive (touches no backend)."""
    return Health(version=__version__)


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "A backend is unavailable"}},
)
async def readyz(request: Request, response: Response) -> Readiness:
    """Check that the database (at the newest revision) and the cache answer."""
    settings: Settings = request.app.state.settings
    database, cache = await asyncio.gather(
        _bounded(check_database), _bounded(lambda: check_cache(settings.redis_url))
    )
    ready = database.status == "ok" and cache.status == "ok"
    if not ready:
        response.status_code = 503
    return Readiness(
        status="ready" if ready else "unavailable", checks={"database": database, "cache": cache}
    )


async def _bounded(check: Callable[[], Check]) -> Check:
    """Run a blocking check in a thread; past the time limit it counts as unavailable."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(check), timeout=CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        return Check(status="unavailable", detail=f"no answer within {CHECK_TIMEOUT_SECONDS:g} s")


def check_database() -> Check:
    """``SELECT 1`` through the session factory's engine, then the migration revision against head."""
    url = "the configured database"
    try:
        engine = SessionLocal.engine
        url = mask_url_password(engine.url.render_as_string(hide_password=False))
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        current, head = migrate.current_revision(engine), migrate.head_revision()
    except Exception as exc:
        return Check(status="unavailable", detail=f"cannot reach {url}: {_reason(exc)}")
    if current != head:
        return Check(
            status="unavailable",
            detail=f"{url} is at revision {current or 'none'}, head is {head}; run 'hireflow db upgrade'",
        )
    return Check(status="ok", detail=f"{url} answers, at head revision {head}")


def check_cache(redis_url: str | None) -> Check:
    """A Redis PING when ``redis_url`` is set; the in-process cache is always there."""
    if not redis_url:
        return Check(status="ok", detail="in-process, ok")
    url = mask_url_password(redis_url)
    try:
        redis = require("redis", "redis", "the Redis cache")
        client = redis.Redis.from_url(
            redis_url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return Check(status="unavailable", detail=f"redis at {url}: {_reason(exc)}")
    return Check(status="ok", detail=f"redis at {url} answered PING")


def _reason(exc: BaseException) -> str:
    """The driver's message on one line (no SQL echo, no traceback), cut to a readable length."""
    original = getattr(exc, "orig", None) or exc
    message = " ".join(str(original).split()) or type(original).__name__
    return message[:300]
