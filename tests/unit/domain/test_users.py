"""Creating superadmins: policy-checked, hashed, unique by email."""

from __future__ import annotations

import pytest

from hireflow.domain.services.users import UserAdministration
from hireflow.shared.errors import Conflict, ValidationFailed
from tests.unit.fakes import FakeUnitOfWorkFactory

STRONG = "correct horse battery staple 42"


class ReversingHasher:
    """A stand-in hasher whose output is recognisable, so the test can see what was stored."""

    def hash(self, password: str) -> str:
        return "rev$" + password[::-1]

    def verify(self, password: str, password_hash: str) -> bool:
        return password_hash == self.hash(password)

    def needs_rehash(self, password_hash: str) -> bool:
        return False


def test_a_superadmin_is_created_with_a_hashed_password(factory: FakeUnitOfWorkFactory) -> None:
    user = UserAdministration(factory, ReversingHasher()).create_superadmin(
        "Root@Example.com", STRONG, "Root"
    )
    assert (user.email, user.is_superadmin, user.full_name) == ("root@example.com", True, "Root")
    with factory() as uow:
        assert user.id is not None
        assert uow.users.password_hash(user.id) == "rev$" + STRONG[::-1]


def test_an_email_can_only_be_taken_once(factory: FakeUnitOfWorkFactory) -> None:
    admin = UserAdministration(factory, ReversingHasher())
    admin.create_superadmin("root@example.com", STRONG)
    with pytest.raises(Conflict, match="already exists"):
        admin.create_superadmin("ROOT@example.com", STRONG)
    with factory() as uow:
        assert uow.users.count() == 1


def test_bad_input_lists_every_problem_and_writes_nothing(factory: FakeUnitOfWorkFactory) -> None:
    admin = UserAdministration(factory, ReversingHasher())
    with pytest.raises(ValidationFailed) as caught:
        admin.create_superadmin("not-an-email", STRONG)
    assert caught.value.errors[0]["field"] == "email"
    with pytest.raises(ValidationFailed) as weak:
        admin.create_superadmin("root@example.com", "password")
    assert {error["rule"] for error in weak.value.errors} >= {"min_length", "one_class"}
    with factory() as uow:
        assert uow.users.count() == 0
