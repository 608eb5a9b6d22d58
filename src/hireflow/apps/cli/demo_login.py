"""A way into the demo: the first company group's admin gets a fresh random password, printed once.

Only in the development and test environments, where the demo runs: a staging or production database never has
a password set by this command (use ``hireflow users create-superadmin`` there).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.ports.security import PasswordHasher
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class DemoLogin:
    """Who to sign in as, where."""

    email: str
    password: str
    company_group: str


def reset_demo_login(uow_factory: UnitOfWorkFactory, hasher: PasswordHasher) -> DemoLogin | None:
    """Give the first company group's first admin a new random password; None when there is no such admin."""
    with uow_factory() as uow:
        groups = uow.company_groups.list(limit=1)
    if not groups or groups[0].id is None:
        return None
    group = groups[0]
    with uow_factory(group.id) as uow:
        admins = uow.memberships.with_role(MembershipRole.ADMIN)
        if not admins:
            return None
        user = uow.users.get(admins[0].user_id)
        assert user.id is not None
        password = secrets.token_urlsafe(12)
        uow.users.set_password_hash(user.id, hasher.hash(password))
        uow.commit()
    return DemoLogin(email=user.email, password=password, company_group=group.name)
