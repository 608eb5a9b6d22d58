"""Sign-in, token refresh and sign-out under ``/api/v1/auth``, each rate-limited per client address.

``POST /token`` takes the OAuth 2.0 password form, so the "Authorize" button of ``/docs`` works as it is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Response, status
from pydantic import BaseModel, Field

from hireflow.apps.api.deps import CurrentPrincipal, RateLimited, Services
from hireflow.apps.api.routers import new_router
from hireflow.domain.services.authentication import TokenPair

router = new_router(prefix="/api/v1/auth", tags=["auth"])

_AUTH_ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "The credentials or token are not valid (deliberately generic)"},
    429: {"description": "Too many requests from this client; see Retry-After"},
}


class TokenResponse(BaseModel):
    """A new access token (a JWT to send as ``Authorization: Bearer``) and the refresh token that renews it."""

    access_token: str
    refresh_token: str
    token_type: str = Field(default="bearer", description="Always 'bearer'")
    expires_in: int = Field(description="Seconds until the access token expires")

    @classmethod
    def of(cls, pair: TokenPair) -> TokenResponse:
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            token_type=pair.token_type,
            expires_in=pair.expires_in,
        )


class RefreshRequest(BaseModel):
    """The refresh token to exchange; it stops working once used."""

    refresh_token: str = Field(min_length=1, max_length=200)


class LogoutRequest(BaseModel):
    """Optionally, the refresh token whose family (every token of this sign-in) is revoked too."""

    refresh_token: str | None = Field(default=None, max_length=200)


@router.post("/token", response_model=TokenResponse, responses=_AUTH_ERRORS)
def sign_in(
    services: Services,
    _: RateLimited,
    username: Annotated[str, Form(min_length=1, max_length=320, description="The account's email")],
    password: Annotated[str, Form(min_length=1, max_length=1024)],
    company_group_id: Annotated[
        int | None,
        Form(ge=1, description="The company group to sign in to (default: your first; superadmins: none)"),
    ] = None,
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> TokenResponse:
    """Sign in with email and password (OAuth 2.0 password form); returns an access and a refresh token."""
    return TokenResponse.of(services.authentication.sign_in(username, password, company_group_id))


@router.post("/refresh", response_model=TokenResponse, responses=_AUTH_ERRORS)
def refresh(body: RefreshRequest, services: Services, _: RateLimited) -> TokenResponse:
    """Exchange a refresh token for a new pair; reusing a spent one revokes every token of its sign-in."""
    return TokenResponse.of(services.authentication.refresh(body.refresh_token))


@router.post(
    "/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=_AUTH_ERRORS
)
def logout(
    principal: CurrentPrincipal,
    services: Services,
    _: RateLimited,
    body: LogoutRequest | None = None,
) -> Response:
    """Sign out: the access token stops working now, and the given refresh token's family is revoked."""
    services.authentication.sign_out(principal, body.refresh_token if body else None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
