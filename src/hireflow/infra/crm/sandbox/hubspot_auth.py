"""HubSpot's authentication: a private-app token, or OAuth access tokens refreshed with a refresh token.

``Authorization: Bearer <private-app token>`` never expires (so ``token-expiry`` does not apply to it).
``POST /oauth/v1/token`` with ``grant_type=refresh_token&client_id=&client_secret=&refresh_token=`` issues an
access token that expires after the configured lifetime, or after ``token-expiry:after=N`` data requests;
HubSpot's refresh tokens do not rotate, so the configured one keeps working.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from hireflow.infra.crm.sandbox.draws import hash_ints
from hireflow.infra.crm.sandbox.forms import bearer_token, request_params
from hireflow.infra.crm.sandbox.responses import json_response
from hireflow.infra.crm.sandbox.state import SandboxState
from hireflow.infra.crm.sandbox.tokens import TokenCheck

OAUTH_ACCESS = "oauth_access_token"
_NOT_FOUND = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more "
    "details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)


def correlation_id(state: SandboxState) -> str:
    """A HubSpot-style correlation id, derived from the request count so responses stay reproducible."""
    return str(uuid.UUID(int=hash_ints(state.config.seed, state.stats.requests) << 64 | state.stats.requests))


def hubspot_error(state: SandboxState, status: int, message: str, category: str, **extra: object) -> Response:
    """HubSpot's error body."""
    body = {
        "status": "error",
        "message": message,
        "correlationId": correlation_id(state),
        "category": category,
    }
    return json_response({**body, **extra}, status)


def authenticate(state: SandboxState, request: Request) -> Response | None:
    """None when the request carries a valid token, else HubSpot's 401."""
    token = bearer_token(request)
    if token is not None and token == state.config.credentials.private_app_token:
        return None
    status, found = state.use_token(OAUTH_ACCESS, token)
    if status is TokenCheck.VALID:
        return None
    if found is not None and status in (TokenCheck.EXPIRED, TokenCheck.EXHAUSTED):
        ago = max(0, int(state.clock() - found.expires_at))
        return hubspot_error(
            state,
            401,
            f"The OAuth token used to make this call expired {ago} second(s) ago.",
            "EXPIRED_AUTHENTICATION",
        )
    return hubspot_error(state, 401, _NOT_FOUND, "INVALID_AUTHENTICATION")


def oauth_router(state: SandboxState) -> APIRouter:
    """``POST /oauth/v1/token``."""
    router = APIRouter()
    credentials = state.config.credentials

    @router.post("/oauth/v1/token")
    async def token(request: Request) -> Response:
        params = await request_params(request)
        if params.get("grant_type") != "refresh_token":
            return _oauth_error(state, "BAD_GRANT_TYPE", "grant_type must be refresh_token in the sandbox")
        if params.get("client_id") != credentials.client_id:
            return _oauth_error(state, "BAD_CLIENT_ID", "missing or unknown client id")
        if params.get("client_secret") != credentials.client_secret:
            return _oauth_error(state, "BAD_CLIENT_SECRET", "missing or invalid client secret")
        if params.get("refresh_token") != credentials.refresh_token:
            return _oauth_error(state, "BAD_REFRESH_TOKEN", "missing or unknown refresh token")
        lifetime = state.config.token_lifetime_seconds
        access = state.tokens.issue(OAUTH_ACCESS, lifetime, prefix="CO")
        return json_response(
            {
                "token_type": "bearer",
                "refresh_token": credentials.refresh_token,
                "access_token": access.value,
                "expires_in": int(lifetime),
            }
        )

    return router


def _oauth_error(state: SandboxState, status: str, message: str) -> Response:
    return json_response({"status": status, "message": message, "correlationId": correlation_id(state)}, 400)
