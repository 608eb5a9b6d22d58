"""A small world for API tests: two company groups, a member of each role, a superadmin, and their tokens.

Tokens are minted with the app's own codec (a sign-in per user would spend an argon2 hash each); the auth-flow
tests sign in for real.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from hireflow.apps.api.container import ApiServices
from hireflow.domain.models.identity import Membership, MembershipRole, User
from hireflow.domain.models.org import CompanyGroup
from hireflow.infra.security import Argon2PasswordHasher

PASSWORD = "correct horse battery staple"
ROLES = tuple(MembershipRole)


@dataclass
class Tenant:
    """One company group and a user of each role in it."""

    id: int
    slug: str
    users: dict[MembershipRole, int] = field(default_factory=dict)


@dataclass
class ApiWorld:
    """Company groups ``a`` and ``b``, their members, and a superadmin, on one app."""

    app: FastAPI
    client: TestClient
    a: Tenant
    b: Tenant
    superadmin_id: int

    @property
    def services(self) -> ApiServices:
        services: ApiServices = self.app.state.services
        return services

    def token(self, user_id: int, tenant: Tenant | None, role: MembershipRole | None) -> str:
        codec = self.services.token_codec
        superadmin = user_id == self.superadmin_id
        claims = codec.claims_for(
            user_id, tenant.id if tenant else None, role.value if role else None, superadmin
        )
        return codec.encode(claims)

    def headers(
        self, role: MembershipRole = MembershipRole.ADMIN, tenant: Tenant | None = None
    ) -> dict[str, str]:
        """Bearer headers of the ``role`` member of ``tenant`` (default: company group a)."""
        tenant = tenant or self.a
        return {"Authorization": f"Bearer {self.token(tenant.users[role], tenant, role)}"}

    def superadmin_headers(self, tenant: Tenant | None = None) -> dict[str, str]:
        """Bearer headers of the superadmin, signed in to ``tenant`` or to the platform."""
        return {"Authorization": f"Bearer {self.token(self.superadmin_id, tenant, None)}"}

    def request(
        self, method: str, path: str, role: MembershipRole = MembershipRole.ADMIN, **kwargs: Any
    ) -> Any:
        return self.client.request(method, path, headers=self.headers(role), **kwargs)


def build_world(app: FastAPI, client: TestClient) -> ApiWorld:
    """Create both tenants, one user per role in each, and a superadmin, all with :data:`PASSWORD`."""
    services: ApiServices = app.state.services
    # OWASP parameters cost ~50 ms a hash; the tests check behaviour, not hashing strength.
    services.password_hasher = Argon2PasswordHasher(memory_cost=1024, time_cost=1)
    password_hash = services.password_hasher.hash(PASSWORD)
    tenants = []
    with services.uow_factory() as uow:
        for slug in ("acme", "globex"):
            group = uow.company_groups.add(CompanyGroup(name=slug.title(), slug=slug))
            assert group.id is not None
            tenants.append(Tenant(group.id, slug))
        admin = uow.users.add(User(email="root@hireflow.example.com", full_name="Root", is_superadmin=True))
        assert admin.id is not None
        uow.users.set_password_hash(admin.id, password_hash)
        uow.commit()
    for tenant in tenants:
        with services.uow_factory(tenant.id) as uow:
            for role in ROLES:
                user = uow.users.add(
                    User(email=f"{role.value}@{tenant.slug}.example.com", full_name=role.value)
                )
                assert user.id is not None
                uow.users.set_password_hash(user.id, password_hash)
                uow.memberships.add(Membership(company_group_id=tenant.id, user_id=user.id, role=role))
                tenant.users[role] = user.id
            uow.commit()
    return ApiWorld(app=app, client=client, a=tenants[0], b=tenants[1], superadmin_id=admin.id)
