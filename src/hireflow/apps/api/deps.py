"""Shorthand dependencies, so handlers read like sentences: ``def get(caller: CanReadOrg, ...)``.

Access is decided here and nowhere else: each ``Can*`` type authenticates the bearer token, checks the one
permission of :mod:`hireflow.domain.services.authorization` the route needs, and yields a :class:`Caller` whose
``company_group_id`` scopes everything the handler touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from hireflow.apps.api.container import ApiServices
from hireflow.domain.models.identity import Principal
from hireflow.domain.services.authorization import Permission, authorize
from hireflow.shared.errors import AuthenticationFailed

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret

_bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


async def get_services(request: Request) -> ApiServices:
    """The application's wired services."""
    services: ApiServices = request.app.state.services
    return services


Services = Annotated[ApiServices, Depends(get_services)]


async def current_principal(request: Request, token: Annotated[str | None, Depends(_bearer)]) -> Principal:
    """The caller behind the bearer access token; 401 (with ``WWW-Authenticate: Bearer``) without a valid one.

    With the in-process denylist snapshot the check is pure computation, done on the event loop; with Redis it
    waits on the network, so it runs in the thread pool. (The services are read from the app directly rather
    than through a dependency: this runs on every request, and each dependency costs a little.)
    """
    services: ApiServices = request.app.state.services
    if not token:
        raise AuthenticationFailed("this route needs a bearer access token; get one from " + TOKEN_URL)
    if services.denylist_is_in_process:
        principal = services.authentication.authenticate(token)
    else:
        principal = await run_in_threadpool(services.authentication.authenticate, token)
    request.state.principal = principal
    structlog.contextvars.bind_contextvars(
        user_id=principal.user_id, company_group_id=principal.company_group_id
    )
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def rate_limited(request: Request, services: Services) -> None:
    """Count this request against the client's allowance for password-guessing routes (sign-in, refresh,
    password change): 429 with ``Retry-After`` over ``HIREFLOW_AUTH_RATE_LIMIT``."""
    client = request.client.host if request.client else "unknown"
    services.auth_rate_limiter.hit("auth", client)


RateLimited = Annotated[None, Depends(rate_limited)]


@dataclass(frozen=True)
class Caller:
    """An authorised caller acting inside one company group."""

    principal: Principal
    company_group_id: int

    @property
    def user_id(self) -> int:
        return self.principal.user_id


class Authorized:
    """Dependency: the caller holds ``permission`` inside a company group (403 otherwise)."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    # async: it does no I/O of its own, and a sync dependency would cost a thread-pool hop on every request.
    async def __call__(self, request: Request, token: Annotated[str | None, Depends(_bearer)]) -> Caller:
        principal = await current_principal(request, token)
        company_group_id = authorize(principal, self.permission)
        assert company_group_id is not None  # authorize() refuses a caller without a company group
        return Caller(principal, company_group_id)


class PlatformAuthorized:
    """Dependency: the caller holds a platform-wide ``permission`` (no company group needed)."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, principal: CurrentPrincipal) -> Principal:
        authorize(principal, self.permission, needs_tenant=False)
        return principal


CanManagePlatform = Annotated[Principal, Depends(PlatformAuthorized(Permission.PLATFORM_MANAGE))]
CanReadUsers = Annotated[Caller, Depends(Authorized(Permission.USERS_READ))]
CanManageUsers = Annotated[Caller, Depends(Authorized(Permission.USERS_MANAGE))]
CanReadOrg = Annotated[Caller, Depends(Authorized(Permission.ORG_READ))]
CanManageOrg = Annotated[Caller, Depends(Authorized(Permission.ORG_MANAGE))]
CanReadCandidates = Annotated[Caller, Depends(Authorized(Permission.CANDIDATES_READ))]
CanWriteCandidates = Annotated[Caller, Depends(Authorized(Permission.CANDIDATES_WRITE))]
CanTransitionCandidates = Annotated[Caller, Depends(Authorized(Permission.CANDIDATES_TRANSITION))]
CanDeleteCandidates = Annotated[Caller, Depends(Authorized(Permission.CANDIDATES_DELETE))]
CanReadAnalytics = Annotated[Caller, Depends(Authorized(Permission.ANALYTICS_READ))]
CanReadJobs = Annotated[Caller, Depends(Authorized(Permission.JOBS_READ))]
CanRunJobs = Annotated[Caller, Depends(Authorized(Permission.JOBS_RUN))]
CanReadAudit = Annotated[Caller, Depends(Authorized(Permission.AUDIT_READ))]
CanReadSimulations = Annotated[Caller, Depends(Authorized(Permission.SIMULATIONS_READ))]
CanRunSimulations = Annotated[Caller, Depends(Authorized(Permission.SIMULATIONS_RUN))]
CanReadSync = Annotated[Caller, Depends(Authorized(Permission.SYNC_READ))]
CanRunSync = Annotated[Caller, Depends(Authorized(Permission.SYNC_RUN))]
