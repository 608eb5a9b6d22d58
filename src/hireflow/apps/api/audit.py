"""The audit trail of writes, recorded once for every route instead of in each handler.

After a POST, PUT, PATCH or DELETE by a signed-in caller succeeds (2xx), one entry is appended: the caller and
their company group, the method and route template, the resource (the route's first tag), the id the path named
(``target_id``: its last path parameter) and the id the response returned (``result_id``). The entry is written
in its own transaction right after the handler's; a failure to write it is logged, never turned into an error
for a write that already happened.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from hireflow.domain.models.identity import AuditEntry, Principal
from hireflow.shared.logging import get_logger

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_log = get_logger(__name__)


async def record_write(request: Request, response: Response, route_path: str, resource: str) -> None:
    """Append the audit entry of a successful write by a signed-in caller (anonymous writes are sign-ins,
    which the security log records)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None or not 200 <= response.status_code < 300:
        return
    entry = AuditEntry(
        company_group_id=principal.company_group_id,
        actor_user_id=principal.user_id,
        action=request.method,
        route=route_path[:200],
        resource=resource[:60],
        target_id=_last_path_parameter(request),
        result_id=_returned_id(response),
        status_code=response.status_code,
        request_id=getattr(request.state, "request_id", None),
    )
    try:
        await run_in_threadpool(request.app.state.services.audit_log.record, entry)
    except Exception:
        _log.exception("audit entry not recorded", route=route_path, method=request.method)


def _last_path_parameter(request: Request) -> str | None:
    values = list(request.path_params.values())
    return str(values[-1])[:64] if values else None


def _returned_id(response: Response) -> str | None:
    body: Any = getattr(response, "body", b"")
    if not body:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None
    value = document.get("id") if isinstance(document, dict) else None
    return None if value is None else str(value)[:64]
