"""The Salesforce REST API sandbox: ``create_salesforce_sandbox(config)``.

URL layout (``{base}`` is the server and the ``instance_url``, e.g. ``http://127.0.0.1:8183``)::

    POST {base}/services/oauth2/token
    GET  {base}/services/data/                                        (versions; no session needed)
    GET  {base}/services/data/v60.0/query?q=<SOQL>                    (live rows)
    GET  {base}/services/data/v60.0/queryAll?q=<SOQL>                 (deleted rows too, IsDeleted = true)
    GET  {base}/services/data/v60.0/query/<locator>-<offset>          (nextRecordsUrl; queryAll/ works too)
    GET  {base}/services/data/v60.0/sobjects/{Contact|Account|Opportunity}/{id}

Data requests need ``Authorization: Bearer <access_token>``. Batches hold 2,000 records unless
``Sforce-Query-Options: batchSize=N`` asks for fewer. See docs/crm-sandboxes.md.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.responses import Response

from hireflow.infra.crm.sandbox import salesforce_fields as sf
from hireflow.infra.crm.sandbox.app import sandbox_app
from hireflow.infra.crm.sandbox.config import EntityKind, SandboxConfig
from hireflow.infra.crm.sandbox.criteria import Key, Query, restrict_all, sort_key
from hireflow.infra.crm.sandbox.faults import FaultKind, FaultRule
from hireflow.infra.crm.sandbox.profile import CrmProfile
from hireflow.infra.crm.sandbox.records import Record
from hireflow.infra.crm.sandbox.responses import json_response
from hireflow.infra.crm.sandbox.salesforce_auth import authenticate, oauth_router
from hireflow.infra.crm.sandbox.salesforce_ids import (
    LOCATOR_PREFIX,
    parse_record_id,
    record_id,
    salesforce_id,
)
from hireflow.infra.crm.sandbox.soql import SoqlError, SoqlQuery, parse_soql
from hireflow.infra.crm.sandbox.state import SandboxState

API_VERSION = "v60.0"
_VERSION = re.compile(r"^v\d{2,3}\.0$")
_BATCH_OPTION = re.compile(r"batchSize\s*=\s*(\d+)", re.IGNORECASE)
_MIN_BATCH = 200
_MAX_CURSORS = 64


def create_salesforce_sandbox(config: SandboxConfig) -> FastAPI:
    """A FastAPI app that speaks Salesforce's REST API over ``config``'s data, faults and credentials."""
    state = SandboxState(config)
    app = sandbox_app("Salesforce sandbox", state, salesforce_profile())
    app.include_router(oauth_router(state))
    app.include_router(_data_router(state, config))
    return app


def salesforce_profile() -> CrmProfile:
    """Salesforce's objects, ids and error formats, for the control API and the fault middleware."""
    return CrmProfile(
        name="Salesforce",
        entities=sf.OBJECTS,
        hard_delete=frozenset(),
        anonymizable=frozenset({EntityKind.CANDIDATE}),
        external_id=record_id,
        parse_id=parse_record_id,
        render=sf.render,
        is_data_path=lambda path: path.startswith("/services/data/v"),
        fault_response=_fault_response,
    )


def _fault_response(rule: FaultRule, state: SandboxState) -> Response:
    if rule.kind is FaultKind.RATE_LIMIT:
        return _errors(429, "TotalRequests Limit exceeded.", "REQUEST_LIMIT_EXCEEDED", rule.retry_after)
    if rule.kind is FaultKind.UNAVAILABLE:
        return _errors(
            503, "ConcurrentPerOrgLongTxn Limit exceeded.", "REQUEST_LIMIT_EXCEEDED", rule.retry_after
        )
    error_id = f"{state.stats.data_requests * 7919 % 10**9:09d}-{state.stats.data_requests:05d}"
    message = f"An unexpected error occurred. Please include this ErrorId if you contact support: {error_id}"
    return _errors(500, message, "UNKNOWN_EXCEPTION")


def _errors(status: int, message: str, code: str, retry_after: int | None = None) -> Response:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return json_response([{"message": message, "errorCode": code}], status, headers)


@dataclass
class _Cursor:
    """A query locator: what the query was, and where each batch it handed out ended."""

    soql: SoqlQuery
    query: Query
    total_size: int
    batch: int
    expires_at: float
    ends: dict[int, Key] = field(default_factory=dict)


def _data_router(state: SandboxState, config: SandboxConfig) -> APIRouter:
    queries = _Queries(state, config)
    router = APIRouter(prefix="/services/data")
    router.add_api_route("", _versions, methods=["GET"])
    router.add_api_route("/", _versions, methods=["GET"])
    router.add_api_route("/{version}/query", queries.query, methods=["GET"])
    router.add_api_route("/{version}/queryAll", queries.query_all, methods=["GET"])
    router.add_api_route("/{version}/query/{locator_offset}", queries.next_records, methods=["GET"])
    router.add_api_route("/{version}/queryAll/{locator_offset}", queries.next_records, methods=["GET"])
    router.add_api_route("/{version}/sobjects/{object_name}/{object_id}", queries.sobject, methods=["GET"])
    return router


async def _versions() -> Response:
    return json_response([{"label": "Spring '24", "url": f"/services/data/{API_VERSION}", "version": "60.0"}])


class _Queries:
    """SOQL queries, their locators, and single-record reads."""

    def __init__(self, state: SandboxState, config: SandboxConfig) -> None:
        self.state = state
        self.config = config
        self.cursors: OrderedDict[str, _Cursor] = OrderedDict()
        self.cursors_opened = 0

    async def query(self, version: str, request: Request) -> Response:
        return self._run(version, request, all_rows=False)

    async def query_all(self, version: str, request: Request) -> Response:
        return self._run(version, request, all_rows=True)

    def _run(self, version: str, request: Request, *, all_rows: bool) -> Response:
        denied = _check(self.state, request, version)
        if denied is not None:
            return denied
        try:
            soql = parse_soql(request.query_params.get("q", ""))
        except SoqlError as exc:
            return _errors(400, str(exc), exc.code)
        query = soql.query if all_rows else restrict_all(soql.query, "deleted", "=", False)
        # A locator is a snapshot: records changed after the query ran belong to the next incremental run.
        query = restrict_all(query, "modified", "<=", self.state.store.clock_ms)
        view = self.state.store.view(soql.kind, query, soql.order.key)
        total = view.total if soql.limit is None else min(view.total, soql.limit)
        expires_at = self.state.clock() + self.config.locator_lifetime_seconds
        cursor = _Cursor(soql, query, total, self._batch_size(request), expires_at)
        if soql.fields is None:
            return json_response({"totalSize": total, "done": True, "records": []})
        records = view.page(0, min(cursor.batch, total), descending=soql.order.descending)
        return self._respond(version, cursor, 0, records, None)

    async def next_records(self, version: str, locator_offset: str, request: Request) -> Response:
        denied = _check(self.state, request, version)
        if denied is not None:
            return denied
        locator, _, offset_text = locator_offset.rpartition("-")
        cursor = self.cursors.get(locator)
        offset = int(offset_text) if offset_text.isdigit() else -1
        if cursor is None or cursor.expires_at <= self.state.clock() or offset not in cursor.ends:
            return _errors(400, "invalid query locator", "INVALID_QUERY_LOCATOR")
        view = self.state.store.view(cursor.soql.kind, cursor.query, cursor.soql.order.key)
        count = min(cursor.batch, cursor.total_size - offset)
        records = view.after(cursor.ends[offset], count, descending=cursor.soql.order.descending)
        return self._respond(version, cursor, offset, records, locator)

    def _batch_size(self, request: Request) -> int:
        cap = self.config.caps.salesforce_batch
        match = _BATCH_OPTION.search(request.headers.get("sforce-query-options", ""))
        asked = int(match.group(1)) if match else cap
        return max(min(_MIN_BATCH, cap), min(asked, cap))

    def _respond(
        self, version: str, cursor: _Cursor, offset: int, records: list[Record], locator: str | None
    ) -> Response:
        end = offset + len(records)
        done = not records or end >= cursor.total_size
        body: dict[str, Any] = {"totalSize": cursor.total_size, "done": done}
        if not done:
            locator = locator or self._open(cursor)
            cursor.ends[end] = sort_key(records[-1], cursor.soql.order.key)
            body["nextRecordsUrl"] = f"/services/data/{version}/query/{locator}-{end}"
        names, kind = cursor.soql.fields or (), cursor.soql.kind
        rows = []
        for record in records:
            every = sf.fields(kind, record)
            rows.append(
                {
                    "attributes": sf.attributes(kind, every["Id"], version),
                    **{name: every[name] for name in names},
                }
            )
        body["records"] = rows
        return json_response(body)

    def _open(self, cursor: _Cursor) -> str:
        self.cursors_opened += 1
        locator = salesforce_id(LOCATOR_PREFIX, self.cursors_opened)
        self.cursors[locator] = cursor
        while (
            len(self.cursors) > _MAX_CURSORS
        ):  # like Salesforce, the oldest cursors go when too many are open
            self.cursors.popitem(last=False)
        return locator

    async def sobject(self, version: str, object_name: str, object_id: str, request: Request) -> Response:
        denied = _check(self.state, request, version)
        if denied is not None:
            return denied
        kind = sf.OBJECTS.get(object_name)
        if kind is None:
            return _errors(
                404, f"The requested resource does not exist: sObject type '{object_name}'", "NOT_FOUND"
            )
        number = parse_record_id(kind, object_id)
        record = self.state.store.get(kind, number) if number is not None else None
        if record is None:
            return _errors(404, "The requested resource does not exist", "NOT_FOUND")
        if record.deleted:
            return _errors(404, "entity is deleted", "ENTITY_IS_DELETED")
        return json_response(sf.render(kind, record, version))


def _check(state: SandboxState, request: Request, version: str) -> Response | None:
    if not _VERSION.match(version):
        return _errors(404, "The requested resource does not exist", "NOT_FOUND")
    return authenticate(state, request)
