"""Bullhorn's authentication: OAuth 2 authorization code (with the ``action=Login`` shortcut), then REST login.

1. ``GET /oauth/authorize?client_id=&response_type=code&action=Login&username=&password=[&redirect_uri=][&state=]``
   answers 302 to ``redirect_uri`` (default ``{base}/oauth/callback``) with ``?code=...&client_id=...``.
   Wrong credentials answer 200 with an HTML page naming the error, as Bullhorn does; an unknown client 400.
2. ``POST /oauth/token`` with ``grant_type=authorization_code`` (codes are single use and expire) or
   ``grant_type=refresh_token`` (refresh tokens rotate: each is single use). Parameters in the query or form.
3. ``POST|GET /rest-services/login?version=2.0&access_token=...`` answers ``BhRestToken`` and ``restUrl``.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from hireflow.infra.crm.sandbox.forms import request_params
from hireflow.infra.crm.sandbox.responses import json_response
from hireflow.infra.crm.sandbox.state import SandboxState
from hireflow.infra.crm.sandbox.tokens import TokenCheck

CORPORATION = "hf7sbx"
"""Bullhorn's corpToken: the path segment after /rest-services/ that names the customer."""
ACCESS_KIND = "access_token"
REFRESH_KIND = "refresh_token"
CODE_KIND = "authorization_code"
REST_SESSION = "BhRestToken"
_REFRESH_LIFETIME = 30 * 86_400.0


def auth_router(state: SandboxState) -> APIRouter:
    """The ``/oauth`` and ``/rest-services/login`` routes."""
    router = APIRouter()
    config = state.config
    credentials = config.credentials

    @router.get("/oauth/authorize")
    async def authorize(request: Request) -> Response:
        params = request.query_params
        if params.get("client_id") != credentials.client_id:
            return json_response({"error": "invalid_client", "error_description": "Invalid Client Id"}, 400)
        if params.get("response_type") != "code":
            return json_response(
                {"error": "unsupported_response_type", "error_description": "Use response_type=code"}, 400
            )
        if params.get("action") != "Login" or "username" not in params:
            return _login_page("Please sign in.")
        if params.get("username") != credentials.username or params.get("password") != credentials.password:
            return _login_page("Invalid username or password.")
        redirect_uri = params.get("redirect_uri") or f"{str(request.base_url).rstrip('/')}/oauth/callback"
        code = state.tokens.issue(
            CODE_KIND, config.code_lifetime_seconds, prefix="22:", redirect_uri=params.get("redirect_uri", "")
        )
        query = {"code": code.value, "client_id": credentials.client_id}
        if "state" in params:
            query["state"] = params["state"]
        separator = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{separator}{urlencode(query)}", status_code=302)

    @router.get("/oauth/callback")
    async def callback(request: Request) -> Response:
        code = html.escape(request.query_params.get("code", ""))
        return HTMLResponse(f"<html><body><p>Authorization code: <code>{code}</code></p></body></html>")

    @router.post("/oauth/token")
    async def token(request: Request) -> Response:
        params = await request_params(request)
        if (
            params.get("client_id") != credentials.client_id
            or params.get("client_secret") != credentials.client_secret
        ):
            return json_response(
                {"error": "invalid_client", "error_description": "Invalid client credentials"}, 401
            )
        grant = params.get("grant_type")
        if grant == "authorization_code":
            code = state.tokens.take(CODE_KIND, params.get("code", ""))
            if code is None:
                return _invalid_grant("Invalid, expired, or already used authorization code")
            if code.data["redirect_uri"] and params.get("redirect_uri") != code.data["redirect_uri"]:
                return _invalid_grant("redirect_uri does not match the one used to authorize")
        elif grant == "refresh_token":
            if state.tokens.take(REFRESH_KIND, params.get("refresh_token", "")) is None:
                return _invalid_grant("Invalid, expired, or revoked refresh token")
        else:
            return json_response(
                {"error": "unsupported_grant_type", "error_description": f"Unsupported grant type: {grant}"},
                400,
            )
        access = state.tokens.issue(ACCESS_KIND, config.token_lifetime_seconds, prefix="22:")
        refresh = state.tokens.issue(REFRESH_KIND, _REFRESH_LIFETIME, prefix="22:")
        return json_response(
            {
                "access_token": access.value,
                "token_type": "Bearer",
                "expires_in": int(config.token_lifetime_seconds),
                "refresh_token": refresh.value,
            }
        )

    @router.api_route("/rest-services/login", methods=["GET", "POST"])
    async def login(request: Request) -> Response:
        params = request.query_params
        if params.get("version", "*") not in ("*", "2.0"):
            return _rest_error(400, f"Unsupported version '{params.get('version')}'; use version=2.0")
        status, _ = state.tokens.check(ACCESS_KIND, params.get("access_token", ""))
        if status is not TokenCheck.VALID:
            state.stats.auth_failures += 1
            return _rest_error(401, "Invalid or expired OAuth access token.")
        session = state.tokens.issue(REST_SESSION, config.token_lifetime_seconds)
        rest_url = f"{str(request.base_url).rstrip('/')}/rest-services/{CORPORATION}/"
        return json_response({"BhRestToken": session.value, "restUrl": rest_url})

    return router


def bad_rest_token() -> Response:
    """Bullhorn's answer to a missing, unknown or timed-out BhRestToken."""
    return json_response({"errorMessage": "Bad 'BhRestToken' or timed-out.", "errorCode": 401}, 401)


def _rest_error(status: int, message: str) -> Response:
    return json_response({"errorMessage": message, "errorCode": status}, status)


def _invalid_grant(description: str) -> Response:
    return json_response({"error": "invalid_grant", "error_description": description}, 400)


def _login_page(message: str) -> Response:
    return HTMLResponse(
        "<html><head><title>Bullhorn Login</title></head><body>"
        f'<form method="post"><p class="error">{html.escape(message)}</p>'
        '<input name="username"><input name="password" type="password"></form></body></html>'
    )
