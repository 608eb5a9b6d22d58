"""Salesforce's OAuth 2 token endpoint and session checks.

``POST /services/oauth2/token`` (form or query parameters) with ``grant_type=client_credentials``,
``password`` (``username``, ``password``) or ``refresh_token`` (the configured long-lived refresh token; it does
not rotate, as in a default connected app), always with ``client_id`` and ``client_secret``. The response
carries ``access_token``, ``instance_url``, ``id``, ``token_type``, ``issued_at`` and ``signature``
(base64 HMAC-SHA256 of ``id + issued_at`` keyed by the client secret, as Salesforce signs it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from hireflow.infra.crm.sandbox.forms import bearer_token, request_params
from hireflow.infra.crm.sandbox.responses import json_response
from hireflow.infra.crm.sandbox.salesforce_ids import org_id, user_id
from hireflow.infra.crm.sandbox.state import SandboxState
from hireflow.infra.crm.sandbox.tokens import TokenCheck

SESSION = "salesforce_session"


def session_error() -> Response:
    """Salesforce's answer to a missing, unknown or expired session."""
    return json_response([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}], 401)


def authenticate(state: SandboxState, request: Request) -> Response | None:
    """None when the request carries a live session (``Authorization: Bearer`` or ``OAuth``), else a 401."""
    status, _ = state.use_token(SESSION, bearer_token(request, "OAuth"))
    return None if status is TokenCheck.VALID else session_error()


def oauth_router(state: SandboxState) -> APIRouter:
    """``POST /services/oauth2/token``."""
    router = APIRouter()
    credentials = state.config.credentials

    @router.post("/services/oauth2/token")
    async def token(request: Request) -> Response:
        params = await request_params(request)
        grant = params.get("grant_type")
        if grant not in ("client_credentials", "password", "refresh_token"):
            return _error("unsupported_grant_type", "grant type not supported")
        if params.get("client_id") != credentials.client_id:
            return _error("invalid_client_id", "client identifier invalid")
        if params.get("client_secret") != credentials.client_secret:
            return _error("invalid_client", "invalid client credentials")
        if grant == "password" and (
            params.get("username") != credentials.username
            or not params.get("password", "").startswith(credentials.password)  # a security token may follow
        ):
            return _error("invalid_grant", "authentication failure")
        if grant == "refresh_token" and params.get("refresh_token") != credentials.refresh_token:
            return _error("invalid_grant", "expired access/refresh token")
        session = state.tokens.issue(
            SESSION, state.config.token_lifetime_seconds, prefix=f"{org_id()[:15]}!AQ"
        )
        base = str(request.base_url).rstrip("/")
        identity = f"{base}/id/{org_id()}/{user_id()}"
        issued_at = str(int(time.time() * 1000))
        digest = hmac.new(
            credentials.client_secret.encode(), (identity + issued_at).encode(), hashlib.sha256
        ).digest()
        return json_response(
            {
                "access_token": session.value,
                "instance_url": base,
                "id": identity,
                "token_type": "Bearer",
                "issued_at": issued_at,
                "signature": base64.b64encode(digest).decode(),
                "scope": "api",
            }
        )

    return router


def _error(code: str, description: str) -> Response:
    return json_response({"error": code, "error_description": description}, 400)
