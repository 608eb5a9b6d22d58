"""User administration: superadmins, and the members of a company group with their sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from hireflow.domain.models.identity import MembershipRole, Principal
from hireflow.domain.services.users import MemberAdministration, UserAdministration
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.builders import T0, new_tenant
from tests.unit.fakes import FakeUnitOfWorkFactory
from tests.unit.security_fakes import FakeRefreshTokenStore, fake_authentication

STRONG = "correct horse battery staple 42"
OTHER = "another fine passphrase 17"


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


# -- members of a company group ---------------------------------------------------------------------------------
@dataclass
class Org:
    """Two company groups: ``a`` with an admin and a viewer, ``b`` with an admin; and the admin service."""

    factory: FakeUnitOfWorkFactory
    store: FakeRefreshTokenStore
    members: MemberAdministration
    a: int
    b: int
    admin: int
    viewer: int
    b_admin: int

    def actor(self, user_id: int | None = None, *, superadmin: bool = False) -> Principal:
        return Principal(
            user_id=user_id or self.admin,
            company_group_id=self.a,
            role=None if superadmin else MembershipRole.ADMIN,
            is_superadmin=superadmin,
            token_id="jti",
            token_expires_at=T0 + timedelta(minutes=15),
        )


@pytest.fixture
def org(factory: FakeUnitOfWorkFactory, clock: FixedClock) -> Org:
    store = FakeRefreshTokenStore()
    members = MemberAdministration(factory, ReversingHasher(), fake_authentication(factory, clock, store))
    a, b = new_tenant(factory, "acme"), new_tenant(factory, "globex")
    admin = members.add(
        a, email="admin@acme.example.com", full_name="Ada", role=MembershipRole.ADMIN, password=STRONG
    )
    viewer = members.add(
        a, email="viewer@acme.example.com", full_name="Vic", role=MembershipRole.VIEWER, password=STRONG
    )
    b_admin = members.add(
        b, email="admin@globex.example.com", full_name="Bo", role=MembershipRole.ADMIN, password=STRONG
    )
    return Org(factory, store, members, a, b, admin.id, viewer.id, b_admin.id)


def test_a_new_member_gets_an_account_with_a_hashed_password(org: Org) -> None:
    member = org.members.get(org.a, org.viewer)

    assert (member.email, member.full_name, member.role, member.is_active) == (
        "viewer@acme.example.com",
        "Vic",
        MembershipRole.VIEWER,
        True,
    )
    with org.factory() as uow:
        assert uow.users.password_hash(org.viewer) == "rev$" + STRONG[::-1]
    assert [m.id for m in org.members.list(org.a)] == [org.admin, org.viewer]
    assert [m.id for m in org.members.list(org.a, limit=1, after_membership_id=member.membership_id - 1)] == [
        org.viewer
    ]


def test_an_existing_account_gets_only_a_membership(org: Org) -> None:
    with org.factory() as uow:
        before = uow.users.password_hash(org.b_admin)

    member = org.members.add(
        org.a,
        email="ADMIN@globex.example.com",
        full_name="Someone else",
        role=MembershipRole.RECRUITER,
        password=OTHER,
    )

    assert (member.id, member.full_name, member.role) == (org.b_admin, "Bo", MembershipRole.RECRUITER)
    with org.factory() as uow:
        assert uow.users.password_hash(org.b_admin) == before
        assert uow.users.count() == 3
        assert [m.company_group_id for m in uow.users.memberships(org.b_admin)] == [org.a, org.b]


def test_adding_a_member_twice_or_with_a_weak_password_writes_nothing(org: Org) -> None:
    stored = org.factory.db.stored_rows()
    with pytest.raises(Conflict, match="already a member"):
        org.members.add(
            org.a, email="viewer@acme.example.com", full_name="", role=MembershipRole.ADMIN, password=OTHER
        )
    with pytest.raises(ValidationFailed) as weak:
        org.members.add(
            org.a, email="new@acme.example.com", full_name="", role=MembershipRole.VIEWER, password="short"
        )
    assert {error["field"] for error in weak.value.errors} == {"password"}
    with pytest.raises(ValidationFailed) as bad_email:
        org.members.add(
            org.a, email="not-an-email", full_name="", role=MembershipRole.VIEWER, password=STRONG
        )
    assert bad_email.value.errors[0]["field"] == "email"
    assert org.factory.db.stored_rows() == stored


def test_role_name_and_activation_change(org: Org) -> None:
    member = org.members.update(
        org.a, org.viewer, {"role": MembershipRole.RECRUITER, "full_name": "Victor"}, org.actor()
    )

    assert (member.role, member.full_name) == (MembershipRole.RECRUITER, "Victor")
    assert org.members.get(org.a, org.viewer) == member
    with pytest.raises(ValidationFailed) as refused:
        org.members.update(org.a, org.viewer, {"email": "x@y.z", "role": None}, org.actor())
    assert refused.value.errors == [
        {"field": "email", "message": "cannot be changed here"},
        {"field": "role", "message": "must not be null"},
    ]


def test_deactivating_revokes_every_session_of_the_user(org: Org, clock: FixedClock) -> None:
    org.store.create_family(org.viewer, org.a, clock.now())
    org.store.create_family(org.viewer, None, clock.now())
    org.store.create_family(org.admin, org.a, clock.now())

    assert org.members.update(org.a, org.viewer, {"is_active": False}, org.actor()).is_active is False

    assert org.store.live(org.viewer) == []
    assert {f.revoked_reason for f in org.store.families.values() if f.user_id == org.viewer} == {
        "deactivated"
    }
    assert org.store.live(org.admin) == [org.a]


def test_the_last_active_admin_stays(org: Org) -> None:
    for change in ({"role": MembershipRole.VIEWER}, {"is_active": False}):
        with pytest.raises(Conflict, match="last active admin"):
            org.members.update(org.a, org.admin, change, org.actor())
    with pytest.raises(Conflict, match="last active admin"):
        org.members.remove(org.a, org.admin)

    # An inactive admin does not count; an active one does.
    org.members.update(org.a, org.viewer, {"role": MembershipRole.ADMIN, "is_active": False}, org.actor())
    with pytest.raises(Conflict):
        org.members.remove(org.a, org.admin)
    org.members.update(org.a, org.viewer, {"is_active": True}, org.actor())
    org.members.remove(org.a, org.admin)
    assert [m.id for m in org.members.list(org.a)] == [org.viewer]


def test_accounts_shared_with_other_tenants_need_a_superadmin(org: Org) -> None:
    org.members.add(
        org.a, email="admin@globex.example.com", full_name="", role=MembershipRole.VIEWER, password=STRONG
    )
    stored = org.factory.db.stored_rows()

    with pytest.raises(PermissionDenied, match="other company groups"):
        org.members.update(org.a, org.b_admin, {"is_active": False}, org.actor())
    with pytest.raises(PermissionDenied):
        org.members.reset_password(org.a, org.b_admin, OTHER, org.actor())
    assert org.factory.db.stored_rows() == stored

    same_name = org.members.update(
        org.a, org.b_admin, {"full_name": "Bo", "role": MembershipRole.RECRUITER}, org.actor()
    )
    assert same_name.role == MembershipRole.RECRUITER  # an unchanged name is no account change
    renamed = org.members.update(org.a, org.b_admin, {"full_name": "Bob"}, org.actor(superadmin=True))
    assert renamed.full_name == "Bob"


def test_superadmin_accounts_are_out_of_a_tenant_admins_reach(org: Org) -> None:
    root = UserAdministration(org.factory, ReversingHasher()).create_superadmin(
        "root@hireflow.example.com", STRONG
    )
    assert root.id is not None
    org.members.add(
        org.a, email="root@hireflow.example.com", full_name="", role=MembershipRole.VIEWER, password=STRONG
    )

    with pytest.raises(PermissionDenied):
        org.members.reset_password(org.a, root.id, OTHER, org.actor())
    with pytest.raises(PermissionDenied):
        org.members.update(org.a, root.id, {"is_active": False}, org.actor())


def test_removing_a_member_keeps_the_account_and_their_other_sessions(org: Org, clock: FixedClock) -> None:
    org.members.add(
        org.a, email="admin@globex.example.com", full_name="", role=MembershipRole.VIEWER, password=STRONG
    )
    org.store.create_family(org.b_admin, org.a, clock.now())
    org.store.create_family(org.b_admin, org.b, clock.now())

    org.members.remove(org.a, org.b_admin)

    with pytest.raises(NotFound):
        org.members.get(org.a, org.b_admin)
    assert org.members.get(org.b, org.b_admin).role == MembershipRole.ADMIN
    assert org.store.live(org.b_admin) == [org.b]


def test_another_tenants_users_are_not_found(org: Org) -> None:
    for call in (
        lambda: org.members.get(org.a, org.b_admin),
        lambda: org.members.update(org.a, org.b_admin, {"role": MembershipRole.VIEWER}, org.actor()),
        lambda: org.members.remove(org.a, org.b_admin),
        lambda: org.members.reset_password(org.a, org.b_admin, OTHER, org.actor()),
        lambda: org.members.get(org.a, 999),
    ):
        with pytest.raises(NotFound, match="user"):
            call()
    assert org.members.get(org.b, org.b_admin).role == MembershipRole.ADMIN


def test_password_reset_and_change_end_every_session(org: Org, clock: FixedClock) -> None:
    org.store.create_family(org.viewer, org.a, clock.now())
    org.members.reset_password(org.a, org.viewer, OTHER, org.actor())
    with org.factory() as uow:
        assert uow.users.password_hash(org.viewer) == "rev$" + OTHER[::-1]
    assert org.store.live(org.viewer) == []

    org.store.create_family(org.viewer, org.a, clock.now())
    with pytest.raises(ValidationFailed) as wrong:
        org.members.change_own_password(org.viewer, STRONG, "viewer viewer")
    assert [error["field"] for error in wrong.value.errors] == ["current_password", "new_password"]
    assert org.store.live(org.viewer) == [org.a]

    org.members.change_own_password(org.viewer, OTHER, STRONG)
    with org.factory() as uow:
        assert uow.users.password_hash(org.viewer) == "rev$" + STRONG[::-1]
    assert org.store.live(org.viewer) == []


def test_the_profile_lists_memberships_and_the_current_company_group(org: Org) -> None:
    org.members.add(
        org.a, email="admin@globex.example.com", full_name="", role=MembershipRole.VIEWER, password=STRONG
    )

    profile = org.members.profile(org.b_admin, org.b)

    assert profile.user.email == "admin@globex.example.com"
    assert [(m.company_group_slug, m.role) for m in profile.memberships] == [
        ("acme", MembershipRole.VIEWER),
        ("globex", MembershipRole.ADMIN),
    ]
    assert profile.company_group is not None
    assert profile.company_group.slug == "globex"
    assert org.members.profile(org.b_admin, None).company_group is None


def test_a_new_role_ends_the_access_tokens_of_the_old_one(org: Org, clock: FixedClock) -> None:
    before = clock.now()
    clock.advance(timedelta(seconds=1))

    org.members.update(org.a, org.viewer, {"role": MembershipRole.RECRUITER}, org.actor())

    assert org.store.is_refused("any", org.viewer, issued_at=before)
    assert not org.store.is_refused("any", org.viewer, issued_at=clock.now())  # signed after: fine
    assert not org.store.is_refused("any", org.admin, issued_at=before)
    assert org.store.live(org.viewer) == []  # nothing to revoke: refresh picks up the new role


def test_removing_a_member_ends_their_access_tokens_too(org: Org, clock: FixedClock) -> None:
    before = clock.now()
    clock.advance(timedelta(seconds=1))

    org.members.remove(org.a, org.viewer)

    assert org.store.is_refused("any", org.viewer, issued_at=before)
