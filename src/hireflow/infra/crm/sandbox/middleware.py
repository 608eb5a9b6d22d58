"""The ASGI middleware that counts requests and injects the planned faults into data requests.

Error faults answer in the CRM's own format (via its profile); ``slow`` and ``timeout`` hold the request on
the event loop (other requests keep being served); ``malformed-json`` cuts the finished body in half;
``redirect`` answers 307 towards the CRM's other data center.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.datastructures import URL
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hireflow.infra.crm.sandbox.faults import FaultKind
from hireflow.infra.crm.sandbox.profile import CrmProfile
from hireflow.infra.crm.sandbox.state import SandboxState

_ERRORS = frozenset({FaultKind.RATE_LIMIT, FaultKind.SERVER_ERROR, FaultKind.UNAVAILABLE})
_DELAYS = frozenset({FaultKind.SLOW, FaultKind.TIMEOUT})


class FaultMiddleware:
    """Counts every request; decides and injects the fault, if any, of every data request."""

    def __init__(self, app: ASGIApp, *, state: SandboxState, profile: CrmProfile) -> None:
        self.app = app
        self.state = state
        self.profile = profile

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.state.stats.requests += 1
        if not self.profile.is_data_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        rule = self.state.next_data_request()
        if rule is None:
            await self.app(scope, receive, send)
            return
        if rule.kind in _ERRORS:
            self.state.count_fault(rule.kind)
            await self.profile.fault_response(rule, self.state)(scope, receive, send)
        elif rule.kind is FaultKind.REDIRECT and (location := self._redirect(scope)) is not None:
            self.state.count_fault(rule.kind)
            await Response(status_code=307, headers={"Location": location})(scope, receive, send)
        elif rule.kind in _DELAYS:
            self.state.count_fault(rule.kind)
            await asyncio.sleep(rule.delay)
            await self.app(scope, receive, send)
        elif rule.kind is FaultKind.MALFORMED_JSON:
            self.state.count_fault(rule.kind)
            await self.app(scope, receive, _truncating(send))
        else:
            await self.app(scope, receive, send)

    def _redirect(self, scope: Scope) -> str | None:
        prefix = self.profile.redirect_prefix
        path: str = scope["path"]
        if prefix is None or path.startswith(prefix + "/"):
            return None  # already in the other data center: never redirect twice
        return str(URL(scope=scope).replace(path=prefix + path))


def _truncating(send: Send) -> Send:
    """A ``send`` that delivers the response with its body cut in half (and a matching Content-Length)."""
    start: dict[str, Any] = {}
    body = bytearray()

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body.extend(message.get("body", b""))
        if message.get("more_body", False):
            return
        cut = bytes(body[: len(body) // 2])
        headers = [
            (name, value) for name, value in start.get("headers", []) if name.lower() != b"content-length"
        ]
        headers.append((b"content-length", str(len(cut)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": cut, "more_body": False})

    return wrapped
