"""Request ids and access logs, as a pure ASGI middleware (so contextvars reach the handlers).

Each request gets an id: the caller's ``X-Request-ID`` when it is a sane token, else a new one. The id, the
method and the path are bound to structlog's contextvars for the request, stored in ``request.state``, and
returned in the ``X-Request-ID`` header of every response, errors included. One access line is logged per
request. An exception no handler took becomes the generic 500 problem of :mod:`hireflow.apps.api.errors`, and
is logged with its traceback.
"""

from __future__ import annotations

import re
import time

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hireflow.apps.api.errors import internal_error
from hireflow.shared.ids import new_request_id
from hireflow.shared.logging import get_logger

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

_access_log = get_logger("hireflow.api.access")


def request_id_from(headers: Headers) -> str:
    """The caller's request id if it is a sane token (<= 64 of ``[A-Za-z0-9._-]``), else a new one."""
    incoming = headers.get(REQUEST_ID_HEADER)
    if incoming is not None and _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return new_request_id()


class RequestIdMiddleware:
    """Give every HTTP request an id, echo it in the response, log one access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope))
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        begin = time.perf_counter()
        with structlog.contextvars.bound_contextvars(
            request_id=request_id, method=scope["method"], path=scope["path"]
        ):
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                _access_log.exception("unhandled error")
                if started:
                    raise
                await internal_error(scope["path"], request_id)(scope, receive, send_with_id)
            finally:
                duration_ms = round((time.perf_counter() - begin) * 1000, 2)
                _access_log.info("request", status=status, duration_ms=duration_ms)
