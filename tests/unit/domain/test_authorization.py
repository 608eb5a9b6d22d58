"""The permission matrix: what each role may do, and what a caller without a company group may do."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from hireflow.domain.models.identity import MembershipRole, Principal
from hireflow.domain.services.authorization import ROLE_PERMISSIONS, Permission, authorize, permissions_of
from hireflow.shared.errors import PermissionDenied
from tests.builders import T0


def principal(role: MembershipRole | None, tenant: int | None = 1, superadmin: bool = False) -> Principal:
    return Principal(
        user_id=7,
        company_group_id=tenant,
        role=role,
        is_superadmin=superadmin,
        token_id="jti",
        token_expires_at=T0 + timedelta(minutes=15),
    )


def test_each_role_holds_everything_the_role_below_holds() -> None:
    ladder = [
        MembershipRole.VIEWER,
        MembershipRole.HIRING_MANAGER,
        MembershipRole.RECRUITER,
        MembershipRole.ADMIN,
    ]
    for lower, higher in itertools.pairwise(ladder):
        assert ROLE_PERMISSIONS[lower] < ROLE_PERMISSIONS[higher]


def test_only_a_superadmin_manages_the_platform() -> None:
    assert all(Permission.PLATFORM_MANAGE not in held for held in ROLE_PERMISSIONS.values())
    assert permissions_of(principal(None, None, superadmin=True)) == frozenset(Permission)


def test_authorize_returns_the_company_group_or_names_the_missing_permission() -> None:
    assert authorize(principal(MembershipRole.RECRUITER), Permission.CANDIDATES_WRITE) == 1
    with pytest.raises(PermissionDenied, match=r"'viewer' role .* 'candidates:write'"):
        authorize(principal(MembershipRole.VIEWER), Permission.CANDIDATES_WRITE)


def test_a_superadmin_needs_a_company_group_for_tenant_actions_but_not_for_platform_ones() -> None:
    root = principal(None, None, superadmin=True)

    assert authorize(root, Permission.PLATFORM_MANAGE, needs_tenant=False) is None
    with pytest.raises(PermissionDenied, match="company_group_id"):
        authorize(root, Permission.CANDIDATES_READ)


def test_a_caller_without_a_role_may_do_nothing() -> None:
    assert permissions_of(principal(None)) == frozenset()
    assert permissions_of(principal(MembershipRole.ADMIN, tenant=None)) == frozenset()
