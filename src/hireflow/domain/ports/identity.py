"""Repository ports of the identity context: users (global) and memberships (per company group)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hireflow.domain.models.identity import AuditEntry, LoginState, Membership, MembershipRole, User
from hireflow.domain.ports.repository import Repository


class UserRepository(Repository[User], Protocol):
    """Users. Global, not tenant-scoped: one person may belong to several company groups.

    Emails are stored lower-case and compared case-insensitively. Password hashes never travel in ``User``;
    only the identity adapters read and write them, through :meth:`password_hash` and
    :meth:`set_password_hash`.
    """

    def get_by_email(self, email: str) -> User:
        """The user with this email, in any letter case; raises NotFound."""
        ...

    def find_by_email(self, email: str) -> User | None:
        """The user with this email, in any letter case, or None."""
        ...

    def set_password_hash(self, user_id: int, password_hash: str | None) -> None:
        """Store (or, with None, clear) the user's password hash; raises NotFound."""
        ...

    def password_hash(self, user_id: int) -> str | None:
        """The user's stored password hash, or None when they have none; raises NotFound."""
        ...

    def memberships(self, user_id: int) -> Sequence[Membership]:
        """The user's memberships in every company group, by company group id (to pick one at sign-in)."""
        ...

    def login_state(self, user_id: int) -> LoginState:
        """The user's failed sign-ins in a row and lockout; raises NotFound."""
        ...

    def set_login_state(self, user_id: int, state: LoginState) -> None:
        """Store the user's failed sign-ins and lockout; raises NotFound."""
        ...


class MembershipRepository(Repository[Membership], Protocol):
    """Memberships in one company group; a user has at most one there."""

    def find_for(self, user_id: int) -> Membership | None:
        """The user's membership in this company group, or None."""
        ...

    def get_for(self, user_id: int) -> Membership:
        """The user's membership in this company group; raises NotFound."""
        ...

    def with_role(self, role: MembershipRole) -> Sequence[Membership]:
        """The memberships with this role, by user id."""
        ...


class AuditLog(Protocol):
    """The append-only trail of writes; each call runs in a transaction of its own."""

    def record(self, entry: AuditEntry) -> AuditEntry:
        """Append ``entry``; returns it with its id and time."""
        ...

    def entries(
        self, company_group_id: int | None, *, limit: int = 100, after_id: int | None = None
    ) -> Sequence[AuditEntry]:
        """The entries of one company group (None: the platform's own), newest first, ``limit`` at a time,
        continuing below ``after_id``."""
        ...
