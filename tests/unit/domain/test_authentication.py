"""Signing in, lockout, refresh and sign-out, with in-memory fakes of every port."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hireflow.domain.models.identity import LoginState, Membership, MembershipRole, User
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.services.authentication import SIGN_IN_FAILED, Authentication, LockoutPolicy
from hireflow.domain.services.refresh_tokens import RefreshTokenService
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import AuthenticationFailed, PermissionDenied
from tests.builders import T0
from tests.unit.fakes import FakeUnitOfWorkFactory
from tests.unit.security_fakes import FakeHasher, FakeRefreshTokenStore, FakeTokenCodec

PASSWORD = "correct horse battery staple"


class World:
    def __init__(self, factory: FakeUnitOfWorkFactory, clock: FixedClock) -> None:
        self.factory = factory
        self.clock = clock
        self.hasher = FakeHasher()
        self.store = FakeRefreshTokenStore()
        self.codec = FakeTokenCodec(clock)
        with factory() as uow:
            self.groups = [
                uow.company_groups.add(CompanyGroup(name=s, slug=s)).id for s in ("acme", "globex")
            ]
            self.member = self._user(uow, "ana@example.com")
            self.root = self._user(uow, "root@example.com", is_superadmin=True)
            self.loner = self._user(uow, "lone@example.com")
            uow.commit()
        for group, role in zip(self.groups, (MembershipRole.RECRUITER, MembershipRole.VIEWER), strict=True):
            assert group is not None
            with factory(group) as uow:
                uow.memberships.add(Membership(company_group_id=group, user_id=self.member, role=role))
                uow.commit()
        self.auth = self.service()

    def service(self, lockout: LockoutPolicy | None = None) -> Authentication:
        refresh = RefreshTokenService(self.store, self.clock, timedelta(days=30))
        return Authentication(
            self.factory,
            hasher=self.hasher,
            codec=self.codec,
            refresh_tokens=refresh,
            denylist=self.store,
            clock=self.clock,
            lockout=lockout,
        )

    def _user(self, uow, email: str, **fields: object) -> int:  # type: ignore[no-untyped-def]
        user = uow.users.add(User(email=email, **fields))
        uow.users.set_password_hash(user.id, self.hasher.hash(PASSWORD))
        return int(user.id)

    def login_state(self, user_id: int) -> LoginState:
        with self.factory() as uow:
            return uow.users.login_state(user_id)


@pytest.fixture
def world(factory: FakeUnitOfWorkFactory, clock: FixedClock) -> World:
    return World(factory, clock)


def test_sign_in_opens_a_session_in_the_first_company_group(world: World) -> None:
    pair = world.auth.sign_in("ANA@example.com", PASSWORD)

    principal = world.auth.authenticate(pair.access_token)
    assert (principal.user_id, principal.company_group_id, principal.role) == (
        world.member,
        world.groups[0],
        MembershipRole.RECRUITER,
    )
    assert pair.expires_in == 15 * 60
    with world.factory() as uow:
        assert uow.users.get(world.member).last_login_at == T0


def test_sign_in_to_a_chosen_company_group(world: World) -> None:
    pair = world.auth.sign_in("ana@example.com", PASSWORD, world.groups[1])

    assert world.auth.authenticate(pair.access_token).role == MembershipRole.VIEWER
    with pytest.raises(PermissionDenied, match="not a member"):
        world.auth.sign_in("lone@example.com", PASSWORD, world.groups[0])


def test_a_superadmin_signs_in_to_the_platform_or_to_any_company_group(world: World) -> None:
    platform = world.auth.authenticate(world.auth.sign_in("root@example.com", PASSWORD).access_token)
    inside = world.auth.authenticate(
        world.auth.sign_in("root@example.com", PASSWORD, world.groups[1]).access_token
    )

    assert (platform.company_group_id, platform.is_superadmin) == (None, True)
    assert (inside.company_group_id, inside.role) == (world.groups[1], None)
    with pytest.raises(PermissionDenied, match="no company group 999"):
        world.auth.sign_in("root@example.com", PASSWORD, 999)


def test_a_user_without_a_company_group_is_told_so(world: World) -> None:
    with pytest.raises(PermissionDenied, match="belongs to no company group"):
        world.auth.sign_in("lone@example.com", PASSWORD)


@pytest.mark.parametrize(
    ("email", "password"),
    [("ana@example.com", "wrong password"), ("nobody@example.com", PASSWORD), ("", PASSWORD)],
)
def test_every_failure_has_the_same_message(world: World, email: str, password: str) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        world.auth.sign_in(email, password)
    assert caught.value.detail == SIGN_IN_FAILED


def test_an_inactive_user_cannot_sign_in(world: World) -> None:
    with world.factory() as uow:
        uow.users.update(uow.users.get(world.member).model_copy(update={"is_active": False}))
        uow.commit()
    with pytest.raises(AuthenticationFailed):
        world.auth.sign_in("ana@example.com", PASSWORD)


def test_the_lockout_policy_doubles_up_to_its_ceiling() -> None:
    policy = LockoutPolicy(threshold=3, base_seconds=10, max_seconds=60)

    locks = [policy.lock_for(n) for n in range(1, 8)]

    assert locks == [None, None, *(timedelta(seconds=s) for s in (10, 20, 40, 60, 60))]
    assert policy.lock_for(10_000) == timedelta(seconds=60)


def test_failures_lock_the_account_until_the_lock_runs_out(world: World) -> None:
    auth = world.service(LockoutPolicy(threshold=2, base_seconds=30, max_seconds=300))
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in("ana@example.com", "wrong password")
    assert world.login_state(world.member) == LoginState(
        failed_count=2, locked_until=T0 + timedelta(seconds=30)
    )

    with pytest.raises(AuthenticationFailed):
        auth.sign_in("ana@example.com", PASSWORD)  # the right password, but locked

    world.clock.advance(timedelta(seconds=30))
    auth.sign_in("ana@example.com", PASSWORD)
    assert world.login_state(world.member) == LoginState()


def test_a_password_hashed_with_old_parameters_is_rehashed_at_sign_in(world: World) -> None:
    world.hasher.version = 2

    world.auth.sign_in("ana@example.com", PASSWORD)

    with world.factory() as uow:
        assert uow.users.password_hash(world.member) == "v2$" + PASSWORD[::-1]


def test_refresh_rotates_and_reflects_the_current_role(world: World) -> None:
    first = world.auth.sign_in("ana@example.com", PASSWORD)
    with world.factory(world.groups[0]) as uow:
        membership = uow.memberships.get_for(world.member)
        uow.memberships.update(membership.model_copy(update={"role": MembershipRole.ADMIN}))
        uow.commit()

    second = world.auth.refresh(first.refresh_token)

    assert second.refresh_token != first.refresh_token
    assert world.auth.authenticate(second.access_token).role == MembershipRole.ADMIN
    with pytest.raises(AuthenticationFailed):
        world.auth.refresh(first.refresh_token)  # reuse: the family is revoked...
    with pytest.raises(AuthenticationFailed):
        world.auth.refresh(second.refresh_token)  # ...so the honest successor is dead too


def test_refresh_of_a_deactivated_user_fails_and_revokes_the_family(world: World) -> None:
    pair = world.auth.sign_in("ana@example.com", PASSWORD)
    with world.factory() as uow:
        uow.users.update(uow.users.get(world.member).model_copy(update={"is_active": False}))
        uow.commit()

    with pytest.raises(AuthenticationFailed, match="no longer active"):
        world.auth.refresh(pair.refresh_token)
    assert all(family.revoked_at is not None for family in world.store.families.values())


def test_sign_out_denies_the_access_token_and_revokes_the_refresh_family(world: World) -> None:
    pair = world.auth.sign_in("ana@example.com", PASSWORD)
    principal = world.auth.authenticate(pair.access_token)

    world.auth.sign_out(principal, pair.refresh_token)

    with pytest.raises(AuthenticationFailed):
        world.auth.authenticate(pair.access_token)
    with pytest.raises(AuthenticationFailed):
        world.auth.refresh(pair.refresh_token)
    world.auth.sign_out(principal, "an unknown refresh token")  # harmless


def test_a_token_with_an_unknown_role_is_refused(world: World) -> None:
    claims = world.codec.claims_for(world.member, world.groups[0], "overlord")

    with pytest.raises(AuthenticationFailed):
        world.auth.authenticate(world.codec.encode(claims))
