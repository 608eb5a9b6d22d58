"""The Bullhorn REST API sandbox: ``create_bullhorn_sandbox(config)``.

URL layout (``{base}`` is the server, e.g. ``http://127.0.0.1:8181``)::

    GET  {base}/oauth/authorize                 POST {base}/oauth/token
    POST {base}/rest-services/login             -> restUrl = {base}/rest-services/hf7sbx/
    GET  {restUrl}search/{Candidate|ClientCorporation|JobOrder}?query=&fields=&count=&start=&sort=
    GET  {restUrl}query/{JobSubmission|Placement|ClientCorporation}?where=&fields=&count=&start=&sort=
    GET  {restUrl}entity/{Entity}/{id[,id...]}?fields=        GET {restUrl}ping
    the same data routes under {base}/dc2/rest-services/hf7sbx/ (where ``redirect`` faults send clients)

Data requests carry ``BhRestToken`` as a query parameter or a header. See docs/crm-sandboxes.md.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.responses import Response

from hireflow.infra.crm.sandbox import bullhorn_fields as fields
from hireflow.infra.crm.sandbox.app import sandbox_app
from hireflow.infra.crm.sandbox.bullhorn_auth import CORPORATION, REST_SESSION, auth_router, bad_rest_token
from hireflow.infra.crm.sandbox.bullhorn_query import parse_search, parse_sort, parse_where
from hireflow.infra.crm.sandbox.config import EntityKind, SandboxConfig
from hireflow.infra.crm.sandbox.criteria import Query
from hireflow.infra.crm.sandbox.faults import FaultKind, FaultRule
from hireflow.infra.crm.sandbox.profile import CrmProfile
from hireflow.infra.crm.sandbox.responses import json_response
from hireflow.infra.crm.sandbox.state import SandboxState
from hireflow.infra.crm.sandbox.tokens import TokenCheck

DATA_CENTER_PREFIX = "/dc2"
DEFAULT_COUNT = 20
_WITH_DELETED_FLAG = frozenset({EntityKind.CANDIDATE, EntityKind.JOB, EntityKind.SUBMISSION})


def create_bullhorn_sandbox(config: SandboxConfig) -> FastAPI:
    """A FastAPI app that speaks Bullhorn's REST API over ``config``'s data, faults and credentials."""
    state = SandboxState(config)
    app = sandbox_app("Bullhorn sandbox", state, bullhorn_profile(config))
    app.include_router(auth_router(state))
    data = _data_router(state, config)
    app.include_router(data, prefix="/rest-services/{corp_token}")
    app.include_router(data, prefix=f"{DATA_CENTER_PREFIX}/rest-services/{{corp_token}}")
    return app


def bullhorn_profile(config: SandboxConfig) -> CrmProfile:
    """Bullhorn's entities, ids and error formats, for the control API and the fault middleware."""
    return CrmProfile(
        name="Bullhorn",
        entities=fields.ENTITIES,
        hard_delete=fields.HARD_DELETED,
        anonymizable=frozenset({EntityKind.CANDIDATE}),
        external_id=lambda _kind, record_id: record_id,
        parse_id=lambda _kind, text: int(text) if text.isdigit() else None,
        render=fields.render,
        is_data_path=_is_data_path,
        fault_response=_fault_response,
        redirect_prefix=DATA_CENTER_PREFIX,
    )


def _is_data_path(path: str) -> bool:
    if path.startswith(DATA_CENTER_PREFIX + "/"):
        path = path[len(DATA_CENTER_PREFIX) :]
    return path.startswith("/rest-services/") and path != "/rest-services/login"


def _fault_response(rule: FaultRule, _state: SandboxState) -> Response:
    if rule.kind is FaultKind.RATE_LIMIT:
        return _error(
            429,
            f"Too many requests. Retry after {rule.retry_after} seconds.",
            "errors.tooManyRequests",
            {"Retry-After": str(rule.retry_after)},
        )
    if rule.kind is FaultKind.UNAVAILABLE:
        return _error(
            503,
            "Service temporarily unavailable.",
            "errors.serviceUnavailable",
            {"Retry-After": str(rule.retry_after)},
        )
    return _error(500, "An unexpected error has occurred.", "errors.internalError")


def _error(status: int, message: str, key: str, headers: dict[str, str] | None = None) -> Response:
    return json_response(
        {"errorMessage": message, "errorMessageKey": key, "errorCode": status}, status, headers
    )


def _data_router(state: SandboxState, config: SandboxConfig) -> APIRouter:
    data = _Data(state, config)
    router = APIRouter()
    router.add_api_route("/search/{entity}", data.search, methods=["GET"])
    router.add_api_route("/query/{entity}", data.query, methods=["GET"])
    router.add_api_route("/entity/{entity}/{ids}", data.entity, methods=["GET"])
    router.add_api_route("/ping", data.ping, methods=["GET"])
    return router


class _Data:
    """The data routes under ``restUrl``; each checks the BhRestToken first."""

    def __init__(self, state: SandboxState, config: SandboxConfig) -> None:
        self.state = state
        self.caps = config.caps

    def _authenticate(self, corp_token: str, request: Request) -> Response | None:
        value = request.query_params.get(REST_SESSION) or request.headers.get(REST_SESSION)
        status, _ = self.state.use_token(REST_SESSION, value if corp_token == CORPORATION else None)
        return None if status is TokenCheck.VALID else bad_rest_token()

    def _kind(self, corp_token: str, entity: str, request: Request) -> EntityKind | Response:
        denied = self._authenticate(corp_token, request)
        if denied is not None:
            return denied
        kind = fields.ENTITIES.get(entity)
        if kind is None:
            return _error(400, f"Invalid entity type '{entity}'", "errors.invalidEntity")
        return kind

    def _page(self, kind: EntityKind, query: Query, request: Request, *, search: bool) -> Response:
        params = request.query_params
        try:
            selection = fields.parse_fields(kind, params.get("fields"))
            order = parse_sort(params.get("sort"))
            count = min(_whole(params.get("count"), DEFAULT_COUNT, "count"), self.caps.bullhorn_count)
            start = _whole(params.get("start"), 0, "start")
        except ValueError as exc:
            return _error(400, str(exc), "errors.badRequest")
        view = self.state.store.view(kind, query, order.key)
        records = view.page(start, count, descending=order.descending)
        data: list[dict[str, Any]] = []
        for record in records:
            row = fields.select(fields.render(kind, record), selection)
            data.append({"_score": 1.0, **row} if search else row)
        return json_response({"total": view.total, "start": start, "count": len(data), "data": data})

    async def search(self, corp_token: str, entity: str, request: Request) -> Response:
        kind = self._kind(corp_token, entity, request)
        if isinstance(kind, Response):
            return kind
        if kind not in fields.SEARCHABLE:
            return _error(
                400, f"Search is not supported for entity {entity}; use query", "errors.searchNotSupported"
            )
        try:
            query = parse_search(
                request.query_params.get("query"), has_deleted_flag=kind in _WITH_DELETED_FLAG
            )
        except ValueError as exc:
            return _error(400, str(exc), "errors.badRequest")
        return self._page(kind, query, request, search=True)

    async def query(self, corp_token: str, entity: str, request: Request) -> Response:
        kind = self._kind(corp_token, entity, request)
        if isinstance(kind, Response):
            return kind
        if kind not in fields.QUERYABLE:
            return _error(
                400, f"Query is not supported for entity {entity}; use search", "errors.queryNotSupported"
            )
        try:
            where = parse_where(
                request.query_params.get("where"), has_deleted_flag=kind in _WITH_DELETED_FLAG
            )
        except ValueError as exc:
            return _error(400, str(exc), "errors.badRequest")
        return self._page(kind, where, request, search=False)

    async def entity(self, corp_token: str, entity: str, ids: str, request: Request) -> Response:
        kind = self._kind(corp_token, entity, request)
        if isinstance(kind, Response):
            return kind
        try:
            selection = fields.parse_fields(kind, request.query_params.get("fields"))
            numbers = [int(part) for part in ids.split(",")]
        except ValueError as exc:
            return _error(400, str(exc), "errors.badRequest")
        found = [record for number in numbers if (record := self.state.store.get(kind, number)) is not None]
        if not found:
            return _error(
                404, f"Cannot find entity of type {entity} with id {ids}", "errors.cannotFindEntity"
            )
        rows = [fields.select(fields.render(kind, record), selection) for record in found]
        return json_response({"data": rows[0] if len(numbers) == 1 else rows})

    async def ping(self, corp_token: str, request: Request) -> Response:
        value = request.query_params.get(REST_SESSION) or request.headers.get(REST_SESSION) or ""
        status, token = self.state.tokens.check(REST_SESSION, value)
        if corp_token != CORPORATION or status is not TokenCheck.VALID or token is None:
            return bad_rest_token()
        expires = int((time.time() + self.state.tokens.seconds_left(token)) * 1000)
        return json_response({"sessionExpires": expires})


def _whole(text: str | None, default: int, name: str) -> int:
    if text is None or text == "":
        return default
    if not text.isdigit():
        raise ValueError(f"{name} must be a whole number, not '{text}'")
    return int(text)
