"""Reading OAuth-style parameters, which clients send in the query string, a form body, or both."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request


async def request_params(request: Request) -> dict[str, str]:
    """The query parameters, overlaid with an ``application/x-www-form-urlencoded`` body's (first values win)."""
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, value)
    content_type = request.headers.get("content-type", "")
    if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
        body = (await request.body()).decode("utf-8", "replace")
        for key, value in parse_qsl(body, keep_blank_values=True):
            params.setdefault(key, value)
    return params


def bearer_token(request: Request, *schemes: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (or another of ``schemes``), if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() in {"bearer", *(s.lower() for s in schemes)} and token.strip():
        return token.strip()
    return None
