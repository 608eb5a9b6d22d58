"""User administration use cases that need no HTTP request: creating the platform's superadmins."""

from __future__ import annotations

from pydantic import ValidationError

from hireflow.domain.models.identity import User
from hireflow.domain.ports.security import PasswordHasher
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.domain.services.passwords import check_password_policy
from hireflow.shared.errors import Conflict, ValidationFailed


class UserAdministration:
    """Creates users outside any tenant, with a policy-checked, hashed password."""

    def __init__(self, uow_factory: UnitOfWorkFactory, hasher: PasswordHasher) -> None:
        self._uow_factory = uow_factory
        self._hasher = hasher

    def create_superadmin(self, email: str, password: str, full_name: str = "") -> User:
        """Create a platform superadmin; Conflict if the email is taken, ValidationFailed for bad input."""
        try:
            user = User(email=email, full_name=full_name, is_superadmin=True)
        except ValidationError as exc:
            raise ValidationFailed(
                "the user is not valid",
                [{"field": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()],
            ) from None
        check_password_policy(password, user.email)
        password_hash = self._hasher.hash(password)
        with self._uow_factory() as uow:
            if uow.users.find_by_email(user.email) is not None:
                raise Conflict(f"a user with the email {user.email} already exists")
            stored = uow.users.add(user)
            assert stored.id is not None
            uow.users.set_password_hash(stored.id, password_hash)
            uow.commit()
        return stored
