"""The HubSpot CRM v3 sandbox: ``create_hubspot_sandbox(config)``.

URL layout (``{base}`` is the server, e.g. ``http://127.0.0.1:8182``)::

    POST {base}/crm/v3/objects/{contacts|deals|companies}/search      (JSON body; 10,000-result window)
    GET  {base}/crm/v3/objects/{object}?limit=&after=&properties=&archived=
    GET  {base}/crm/v3/objects/{object}/{id}?properties=&archived=
    POST {base}/oauth/v1/token                                        (refresh_token grant)

Every data request needs ``Authorization: Bearer <private-app token or OAuth access token>``.
See docs/crm-sandboxes.md.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.responses import Response

from hireflow.infra.crm.sandbox import hubspot_properties as props
from hireflow.infra.crm.sandbox.app import sandbox_app
from hireflow.infra.crm.sandbox.config import EntityKind, SandboxConfig
from hireflow.infra.crm.sandbox.criteria import Criteria, SortKey
from hireflow.infra.crm.sandbox.faults import FaultKind, FaultRule
from hireflow.infra.crm.sandbox.hubspot_auth import authenticate, correlation_id, hubspot_error, oauth_router
from hireflow.infra.crm.sandbox.hubspot_search import parse_search_body
from hireflow.infra.crm.sandbox.profile import CrmProfile
from hireflow.infra.crm.sandbox.responses import json_response
from hireflow.infra.crm.sandbox.state import SandboxState

_DAILY_LIMIT = 250_000
_POLICIES = {  # policy: (interval ms, max requests per interval)
    "SECONDLY": (1000, 10),
    "TEN_SECONDLY_ROLLING": (10_000, 100),
}


def create_hubspot_sandbox(config: SandboxConfig) -> FastAPI:
    """A FastAPI app that speaks HubSpot's CRM v3 API over ``config``'s data, faults and credentials."""
    state = SandboxState(config)
    app = sandbox_app("HubSpot sandbox", state, hubspot_profile())
    app.include_router(oauth_router(state))
    app.include_router(_objects_router(state, config))
    return app


def hubspot_profile() -> CrmProfile:
    """HubSpot's objects, ids and error formats, for the control API and the fault middleware."""
    return CrmProfile(
        name="HubSpot",
        entities=props.OBJECTS,
        hard_delete=frozenset(),
        anonymizable=frozenset({EntityKind.CANDIDATE}),
        external_id=lambda _kind, record_id: str(record_id),
        parse_id=lambda _kind, text: int(text) if text.isdigit() else None,
        render=props.render,
        is_data_path=lambda path: path.startswith("/crm/"),
        fault_response=_fault_response,
    )


def _fault_response(rule: FaultRule, state: SandboxState) -> Response:
    if rule.kind is FaultKind.RATE_LIMIT:
        interval, maximum = _POLICIES[rule.policy]
        headers = {
            "Retry-After": str(rule.retry_after),
            "X-HubSpot-RateLimit-Daily": str(_DAILY_LIMIT),
            "X-HubSpot-RateLimit-Daily-Remaining": str(max(0, _DAILY_LIMIT - state.stats.data_requests)),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(interval),
            "X-HubSpot-RateLimit-Max": str(maximum),
            "X-HubSpot-RateLimit-Remaining": "0",
            "X-HubSpot-RateLimit-Secondly": str(_POLICIES["SECONDLY"][1]),
            "X-HubSpot-RateLimit-Secondly-Remaining": "0",
        }
        body = {
            "status": "error",
            "message": f"You have reached your {rule.policy.lower()} limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": correlation_id(state),
            "policyName": rule.policy,
            "groupName": "publicapi:private-app:sandbox",
        }
        return json_response(body, 429, headers)
    if rule.kind is FaultKind.UNAVAILABLE:
        return hubspot_error(state, 503, "Service Unavailable", "SERVICE_UNAVAILABLE")
    return hubspot_error(state, 500, "internal error", "INTERNAL_ERROR")


def _objects_router(state: SandboxState, config: SandboxConfig) -> APIRouter:
    router = APIRouter(prefix="/crm/v3/objects")
    caps = config.caps

    def object_kind(name: str) -> EntityKind | Response:
        kind = props.OBJECTS.get(props.OBJECT_TYPE_IDS.get(name, name))
        if kind is None:
            return hubspot_error(state, 400, f"Unable to infer object type from: {name}", "VALIDATION_ERROR")
        return kind

    @router.post("/{object_type}/search")
    async def search(object_type: str, request: Request) -> Response:
        denied = authenticate(state, request)
        if denied is not None:
            return denied
        kind = object_kind(object_type)
        if isinstance(kind, Response):
            return kind
        try:
            body = json.loads(await request.body() or b"{}")
            wanted = parse_search_body(kind, body, caps.hubspot_search_limit)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError too
            return hubspot_error(state, 400, str(exc), "VALIDATION_ERROR")
        window = caps.hubspot_search_window
        if wanted.after + wanted.limit > window:
            return hubspot_error(
                state,
                400,
                f"Search results are limited to {window} per query: after={wanted.after} with limit={wanted.limit} "
                f"goes past it. Narrow the query instead (e.g. restart from the last {props.MODIFIED_PROPERTY[kind]} seen).",
                "VALIDATION_ERROR",
            )
        view = state.store.view(kind, wanted.query, wanted.order.key)
        records = view.page(wanted.after, wanted.limit, descending=wanted.order.descending)
        document: dict[str, Any] = {
            "total": view.total,
            "results": [props.to_object(kind, record, wanted.properties) for record in records],
        }
        if wanted.after + len(records) < view.total:
            document["paging"] = {"next": {"after": str(wanted.after + len(records))}}
        return json_response(document)

    @router.get("/{object_type}")
    async def list_objects(object_type: str, request: Request) -> Response:
        denied = authenticate(state, request)
        if denied is not None:
            return denied
        kind = object_kind(object_type)
        if isinstance(kind, Response):
            return kind
        params = request.query_params
        limit_text, after_text = params.get("limit", "10"), params.get("after", "0")
        if (
            not (limit_text.isdigit() and after_text.isdigit())
            or not 1 <= int(limit_text) <= caps.hubspot_list_limit
        ):
            return hubspot_error(
                state,
                400,
                f"limit must be 1-{caps.hubspot_list_limit} and after a cursor",
                "VALIDATION_ERROR",
            )
        archived = params.get("archived", "false").lower() == "true"
        query = (Criteria(deleted=archived, id_min=int(after_text)),)
        view = state.store.view(kind, query, SortKey.ID)
        records = view.page(0, int(limit_text) + 1)
        results = [
            props.to_object(kind, record, _property_list(params.get("properties"))) for record in records
        ]
        document: dict[str, Any] = {"results": results[: int(limit_text)]}
        if len(records) > int(limit_text):
            document["paging"] = {"next": {"after": str(records[-1].id)}}
        return json_response(document)

    @router.get("/{object_type}/{object_id}")
    async def read(object_type: str, object_id: str, request: Request) -> Response:
        denied = authenticate(state, request)
        if denied is not None:
            return denied
        kind = object_kind(object_type)
        if isinstance(kind, Response):
            return kind
        archived = request.query_params.get("archived", "false").lower() == "true"
        record = state.store.get(kind, int(object_id)) if object_id.isdigit() else None
        if record is None or record.deleted != archived:
            return hubspot_error(
                state, 404, "Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND"
            )
        return json_response(
            props.to_object(kind, record, _property_list(request.query_params.get("properties")))
        )

    return router


def _property_list(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(name.strip() for name in text.split(",") if name.strip())
