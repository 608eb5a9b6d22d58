"""SQLAlchemy repositories of the identity context. Password hashes stay in here and the identity adapters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from hireflow.domain.models import identity as m
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.base import SqlAlchemyRepository, TenantRepository
from hireflow.shared.errors import NotFound


class SqlAlchemyUserRepository(SqlAlchemyRepository[t.User, m.User]):
    """Users; global. Emails are stored lower-case, so the unique index is case-insensitive in effect."""

    row_type = t.User
    model_type = m.User
    entity_name = "user"

    def get_by_email(self, email: str) -> m.User:
        found = self.find_by_email(email)
        if found is None:
            raise NotFound(self.entity_name, email)
        return found

    def find_by_email(self, email: str) -> m.User | None:
        # lower() on both sides also finds rows written before emails were normalised, or by raw SQL.
        return self._one(self._select().where(func.lower(t.User.email) == email.strip().lower()))

    def set_password_hash(self, user_id: int, password_hash: str | None) -> None:
        row = self._required_row(user_id)
        with self._write():
            row.password_hash = password_hash

    def password_hash(self, user_id: int) -> str | None:
        hashed: str | None = self._required_row(user_id).password_hash
        return hashed

    def memberships(self, user_id: int) -> Sequence[m.Membership]:
        self._required_row(user_id)
        query = select(t.Membership).where(t.Membership.user_id == user_id)
        rows = self.session.scalars(query.order_by(t.Membership.company_group_id))
        return [m.Membership.model_validate(row) for row in rows]

    def login_state(self, user_id: int) -> m.LoginState:
        row = self._required_row(user_id)
        return m.LoginState(failed_count=row.failed_login_count, locked_until=row.locked_until)

    def set_login_state(self, user_id: int, state: m.LoginState) -> None:
        row = self._required_row(user_id)
        with self._write():
            row.failed_login_count = state.failed_count
            row.locked_until = state.locked_until

    def _values(self, entity: m.User) -> dict[str, Any]:
        values = super()._values(entity)
        values["email"] = values["email"].lower()
        return values

    def _required_row(self, user_id: int) -> Any:
        row = self._row(user_id)
        if row is None:
            raise NotFound(self.entity_name, user_id)
        return row


class SqlAlchemyMembershipRepository(TenantRepository[t.Membership, m.Membership]):
    """Memberships in one company group."""

    row_type = t.Membership
    model_type = m.Membership
    entity_name = "membership"

    def find_for(self, user_id: int) -> m.Membership | None:
        return self._one(self._select().where(t.Membership.user_id == user_id))

    def get_for(self, user_id: int) -> m.Membership:
        found = self.find_for(user_id)
        if found is None:
            raise NotFound(self.entity_name, user_id)
        return found

    def with_role(self, role: m.MembershipRole) -> Sequence[m.Membership]:
        query = self._select().where(t.Membership.role == role.value)
        return self._many(query.order_by(t.Membership.user_id))
