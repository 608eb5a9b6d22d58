"""One router per context; :func:`new_router` makes each route's one-line docstring its OpenAPI summary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute


class DocstringSummaryRoute(APIRoute):
    """A route whose OpenAPI summary defaults to the first line of its endpoint's docstring."""

    def __init__(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        if kwargs.get("summary") is None:
            doc = (getattr(endpoint, "__doc__", None) or "").strip()
            kwargs["summary"] = doc.splitlines()[0] if doc else None
        super().__init__(path, endpoint, **kwargs)


def new_router(**kwargs: Any) -> APIRouter:
    """An APIRouter whose routes take their summary from their docstring."""
    return APIRouter(route_class=DocstringSummaryRoute, **kwargs)
