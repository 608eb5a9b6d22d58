"""One router per context; :func:`new_router` gives every route an OpenAPI summary and the audit trail.

A route's summary defaults to the first line of its endpoint's docstring. Every write (POST, PUT, PATCH,
DELETE) that succeeds is recorded in the audit log (:mod:`hireflow.apps.api.audit`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from hireflow.apps.api.audit import WRITE_METHODS, record_write


class HireflowRoute(APIRoute):
    """A route whose summary is its docstring's first line, and whose successful writes are audited."""

    def __init__(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        if kwargs.get("summary") is None:
            doc = (getattr(endpoint, "__doc__", None) or "").strip()
            kwargs["summary"] = doc.splitlines()[0] if doc else None
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not (self.methods or set()) & WRITE_METHODS:
            return handler
        route_path = self.path_format
        resource = str(self.tags[0]) if self.tags else route_path.strip("/").split("/")[-1]

        async def audited(request: Request) -> Response:
            response = await handler(request)
            await record_write(request, response, route_path, resource)
            return response

        return audited


def new_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose routes are :class:`HireflowRoute` s."""
    return APIRouter(route_class=HireflowRoute, **kwargs)
