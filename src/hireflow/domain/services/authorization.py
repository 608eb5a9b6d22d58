"""Who may do what: the permission matrix, defined once.

A superadmin may do everything, on the platform and in any company group they sign in to. Inside a company
group, a member's role grants the permissions below. The API enforces them with one dependency per route
(``Authorized(Permission.X)``); nothing else decides access. ``docs/api.md`` prints this matrix, and a test keeps
the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from hireflow.domain.models.identity import MembershipRole, Principal
from hireflow.shared.errors import PermissionDenied


class Permission(StrEnum):
    """One kind of action on one kind of resource."""

    PLATFORM_MANAGE = "platform:manage"
    """Create, rename and delete company groups (tenants); superadmins only."""
    USERS_READ = "users:read"
    USERS_MANAGE = "users:manage"
    ORG_READ = "org:read"
    """Business units, locations, roles, hiring objectives and question sets."""
    ORG_MANAGE = "org:manage"
    CANDIDATES_READ = "candidates:read"
    CANDIDATES_WRITE = "candidates:write"
    """Create and edit candidates, record answers, references and phone interviews, evaluate eligibility."""
    CANDIDATES_TRANSITION = "candidates:transition"
    CANDIDATES_DELETE = "candidates:delete"
    """Delete candidates and merge duplicates (both remove a record)."""
    ANALYTICS_READ = "analytics:read"
    JOBS_READ = "jobs:read"
    JOBS_RUN = "jobs:run"
    AUDIT_READ = "audit:read"
    SIMULATIONS_READ = "simulations:read"
    """Workforce simulations: their scenarios (salaries included), progress and results."""
    SIMULATIONS_RUN = "simulations:run"
    """Start and cancel workforce simulations."""
    SYNC_READ = "sync:read"
    """CRM sync runs and the records they could not load (dead letters hold raw CRM payloads)."""
    SYNC_RUN = "sync:run"
    """Start a CRM sync."""


_VIEWER = frozenset(
    {
        Permission.ORG_READ,
        Permission.CANDIDATES_READ,
        Permission.ANALYTICS_READ,
        Permission.JOBS_READ,
    }
)
_HIRING_MANAGER = _VIEWER | {
    Permission.USERS_READ,
    Permission.CANDIDATES_TRANSITION,
    Permission.SIMULATIONS_READ,
}
_RECRUITER = _HIRING_MANAGER | {
    Permission.CANDIDATES_WRITE,
    Permission.CANDIDATES_DELETE,
    Permission.JOBS_RUN,
    Permission.SYNC_READ,
}
_ADMIN = _RECRUITER | {
    Permission.USERS_MANAGE,
    Permission.ORG_MANAGE,
    Permission.AUDIT_READ,
    Permission.SIMULATIONS_RUN,
    Permission.SYNC_RUN,
}

ROLE_PERMISSIONS: Mapping[MembershipRole, frozenset[Permission]] = {
    MembershipRole.VIEWER: _VIEWER,
    MembershipRole.HIRING_MANAGER: _HIRING_MANAGER,
    MembershipRole.RECRUITER: _RECRUITER,
    MembershipRole.ADMIN: _ADMIN,
}
"""The permissions of each company-group role; a superadmin has every permission."""


def permissions_of(principal: Principal) -> frozenset[Permission]:
    """Everything ``principal`` may do where they are signed in."""
    if principal.is_superadmin:
        return frozenset(Permission)
    if principal.role is None or principal.company_group_id is None:
        return frozenset()
    return ROLE_PERMISSIONS[principal.role]


def authorize(principal: Principal, permission: Permission, *, needs_tenant: bool = True) -> int | None:
    """Refuse with PermissionDenied unless ``principal`` holds ``permission``; return their company group.

    With ``needs_tenant`` the action happens inside a company group, so a superadmin signed in to the platform
    (no company group) is told to sign in to one.
    """
    if permission not in permissions_of(principal):
        role = "superadmin" if principal.is_superadmin else (principal.role or "no role")
        raise PermissionDenied(f"the '{role}' role may not do this (it needs the '{permission}' permission)")
    if needs_tenant and principal.company_group_id is None:
        raise PermissionDenied(
            "this action happens inside a company group; sign in with company_group_id set to one"
        )
    return principal.company_group_id
