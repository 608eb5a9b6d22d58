"""User administration: the platform's superadmins, and the members of one company group.

A user (an email, a name, a password) is global; a membership gives them a role in one company group. So the
admin of a company group manages memberships freely, but fields of the account itself (``full_name``,
``is_active``, the password) only for accounts that belong to their company group alone: changing an account that
another company group (or the platform) shares would reach beyond their tenant, so that takes a superadmin.
Every company group keeps at least one active admin. Deactivating a user, resetting or changing a password, and
removing a membership end the sessions (refresh-token families) they concern.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import AwareDatetime, ValidationError

from hireflow.domain.models.base import DomainModel
from hireflow.domain.models.identity import Membership, MembershipRole, Principal, User
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.ports.security import PasswordHasher
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services._support import build, revise
from hireflow.domain.services.passwords import check_password_policy
from hireflow.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

DEACTIVATED = "deactivated"
MEMBERSHIP_REMOVED = "membership_removed"
PASSWORD_RESET = "password_reset"  # noqa: S105 - a revocation reason, not a secret
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a revocation reason, not a secret

ACCOUNT_FIELDS = frozenset({"full_name", "is_active"})
"""Fields of the user's account (shared by every company group they belong to), as opposed to ``role``."""


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


class Member(DomainModel):
    """A user as a member of one company group: their account (never its password) and their role there."""

    id: int
    """The user's id."""
    membership_id: int
    email: str
    full_name: str
    role: MembershipRole
    is_active: bool
    is_superadmin: bool
    last_login_at: AwareDatetime | None
    joined_at: AwareDatetime | None
    created_at: AwareDatetime | None
    updated_at: AwareDatetime | None


class MembershipView(DomainModel):
    """One company group a user belongs to, and their role there."""

    company_group_id: int
    company_group_name: str
    company_group_slug: str
    role: MembershipRole


class Profile(DomainModel):
    """A signed-in user: their account, every company group they belong to, and the one they are in now."""

    user: User
    memberships: list[MembershipView]
    company_group: CompanyGroup | None


class Sessions(Protocol):
    """Ends users' sessions (``Authentication`` is one)."""

    def revoke_user(self, user_id: int, reason: str, company_group_id: int | None = None) -> int:
        """End the user's sign-ins (in one company group, when given) and their access tokens now."""
        ...

    def end_access(self, user_id: int) -> None:
        """Refuse the user's access tokens issued until now; their sign-ins refresh into new ones."""
        ...


class MemberAdministration:
    """The members of a company group: add, change, remove, reset passwords; and a user's own profile."""

    def __init__(self, uow_factory: UnitOfWorkFactory, hasher: PasswordHasher, sessions: Sessions) -> None:
        self._uow_factory = uow_factory
        self._hasher = hasher
        self._sessions = sessions

    # -- reading ------------------------------------------------------------------------------------------
    def profile(self, user_id: int, company_group_id: int | None) -> Profile:
        """The user, their memberships, and the company group they are signed in to (None: the platform)."""
        with self._uow_factory() as uow:
            user = uow.users.get(user_id)
            views = [_view(uow, membership) for membership in uow.users.memberships(user_id)]
            group = uow.company_groups.find(company_group_id) if company_group_id is not None else None
        return Profile(
            user=user, memberships=[view for view in views if view is not None], company_group=group
        )

    def list(
        self, company_group_id: int, *, limit: int = 100, after_membership_id: int | None = None
    ) -> list[Member]:
        """Members in the order they joined (membership id), ``limit`` at a time."""
        with self._uow_factory(company_group_id) as uow:
            memberships = uow.memberships.list(limit=limit, after_id=after_membership_id)
            return [_member(uow.users.get(m.user_id), m) for m in memberships]

    def get(self, company_group_id: int, user_id: int) -> Member:
        """One member; NotFound when the user is not a member of this company group."""
        with self._uow_factory(company_group_id) as uow:
            return _member(uow.users.get(user_id), _membership(uow, user_id))

    # -- writing ------------------------------------------------------------------------------------------
    def add(
        self, company_group_id: int, *, email: str, full_name: str, role: MembershipRole, password: str
    ) -> Member:
        """Add a member. A new email gets a new account with this (policy-checked) password; an email that
        already has an account platform-wide gets only a membership: its name and password stay untouched.
        Conflict when the user is already a member here."""
        candidate = build(User, "user", email=email, full_name=full_name)
        check_password_policy(password, candidate.email)
        password_hash = self._hasher.hash(password)  # also for existing users: the same time either way
        with self._uow_factory(company_group_id) as uow:
            user = uow.users.find_by_email(candidate.email)
            if user is None:
                user = uow.users.add(candidate)
                assert user.id is not None
                uow.users.set_password_hash(user.id, password_hash)
            assert user.id is not None
            if uow.memberships.find_for(user.id) is not None:
                raise Conflict(f"{user.email} is already a member of this company group; change their role")
            membership = uow.memberships.add(
                Membership(company_group_id=company_group_id, user_id=user.id, role=role)
            )
            uow.commit()
        return _member(user, membership)

    def update(
        self, company_group_id: int, user_id: int, changes: Mapping[str, Any], actor: Principal
    ) -> Member:
        """Change a member's ``role`` and their account's ``full_name`` / ``is_active``. Deactivating ends
        every session of the user, a new role their current access tokens (they refresh into the new role); the
        company group's last active admin cannot be demoted or deactivated."""
        changeable = ACCOUNT_FIELDS | {"role"}
        refused = [
            {"field": name, "message": "must not be null" if name in changeable else "cannot be changed here"}
            for name, value in sorted(changes.items())
            if name not in changeable or value is None
        ]
        if refused:
            raise ValidationFailed("only role, full_name and is_active can be changed, to a value", refused)
        account = {name: value for name, value in changes.items() if name in ACCOUNT_FIELDS}
        with self._uow_factory(company_group_id) as uow:
            user = uow.users.get(user_id)
            membership = _membership(uow, user_id)
            account = {name: value for name, value in account.items() if getattr(user, name) != value}
            if account:
                _may_change_account(uow, user, actor)
            role = changes.get("role", membership.role)
            loses_admin = role != MembershipRole.ADMIN or account.get("is_active") is False
            if membership.role == MembershipRole.ADMIN and user.is_active and loses_admin:
                _keep_an_admin(uow, user_id)
            if account:
                user = uow.users.update(revise(user, "user", **account))
            role_changed = role != membership.role
            if role_changed:
                membership = uow.memberships.update(revise(membership, "membership", role=role))
            uow.commit()
        if account.get("is_active") is False:
            self._sessions.revoke_user(user_id, DEACTIVATED)
        elif role_changed:
            self._sessions.end_access(
                user_id
            )  # tokens carry the role: the old one must not outlive the change
        return _member(user, membership)

    def remove(self, company_group_id: int, user_id: int) -> None:
        """Remove a member from this company group (their account stays, for the other company groups) and end
        their sessions in it; the last active admin cannot be removed."""
        with self._uow_factory(company_group_id) as uow:
            user = uow.users.get(user_id)
            membership = _membership(uow, user_id)
            if membership.role == MembershipRole.ADMIN and user.is_active:
                _keep_an_admin(uow, user_id)
            assert membership.id is not None
            uow.memberships.delete(membership.id)
            uow.commit()
        self._sessions.revoke_user(user_id, MEMBERSHIP_REMOVED, company_group_id)

    def reset_password(self, company_group_id: int, user_id: int, password: str, actor: Principal) -> None:
        """Set a member's password (an admin's reset) and end all their sessions."""
        with self._uow_factory(company_group_id) as uow:
            user = uow.users.get(user_id)
            _membership(uow, user_id)
            _may_change_account(uow, user, actor)
        check_password_policy(password, user.email)
        self._store_password(user_id, password)
        self._sessions.revoke_user(user_id, PASSWORD_RESET)

    def change_own_password(self, user_id: int, current_password: str, new_password: str) -> None:
        """Change one's own password, proving the current one; ends all one's sessions (sign in again)."""
        with self._uow_factory() as uow:
            user = uow.users.get(user_id)
            stored = uow.users.password_hash(user_id)
        errors: list[dict[str, Any]] = []
        if stored is None or not self._hasher.verify(current_password, stored):
            errors.append({"field": "current_password", "message": "this is not your current password"})
        try:
            check_password_policy(new_password, user.email)
        except ValidationFailed as broken:
            errors += [{**error, "field": "new_password"} for error in broken.errors]
        if errors:
            raise ValidationFailed("the password was not changed: " + errors[0]["message"], errors)
        self._store_password(user_id, new_password)
        self._sessions.revoke_user(user_id, PASSWORD_CHANGED)

    def _store_password(self, user_id: int, password: str) -> None:
        password_hash = self._hasher.hash(password)
        with self._uow_factory() as uow:
            uow.users.set_password_hash(user_id, password_hash)
            uow.commit()


def _membership(uow: UnitOfWork, user_id: int) -> Membership:
    """The user's membership in the unit of work's company group; NotFound as a user when there is none."""
    found = uow.memberships.find_for(user_id)
    if found is None:
        raise NotFound("user", user_id)
    return found


def _may_change_account(uow: UnitOfWork, user: User, actor: Principal) -> None:
    """Refuse a change to an account another company group (or the platform) shares, unless by a superadmin."""
    assert user.id is not None
    if actor.is_superadmin:
        return
    elsewhere = [m for m in uow.users.memberships(user.id) if m.company_group_id != uow.company_group_id]
    if user.is_superadmin or elsewhere:
        raise PermissionDenied(
            "this account also belongs to other company groups, so only a superadmin can change its name, "
            "activation or password; you can change its role here or remove it from your company group"
        )


def _keep_an_admin(uow: UnitOfWork, leaving_user_id: int) -> None:
    """Conflict unless another active admin remains once ``leaving_user_id`` stops being one."""
    others = [m for m in uow.memberships.with_role(MembershipRole.ADMIN) if m.user_id != leaving_user_id]
    if not any(uow.users.get(m.user_id).is_active for m in others):
        raise Conflict(
            "this is the company group's last active admin; make another member admin first, so someone "
            "can still manage the company group"
        )


def _member(user: User, membership: Membership) -> Member:
    assert user.id is not None
    assert membership.id is not None
    return Member(
        id=user.id,
        membership_id=membership.id,
        email=user.email,
        full_name=user.full_name,
        role=membership.role,
        is_active=user.is_active,
        is_superadmin=user.is_superadmin,
        last_login_at=user.last_login_at,
        joined_at=membership.created_at,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


def _view(uow: UnitOfWork, membership: Membership) -> MembershipView | None:
    group = uow.company_groups.find(membership.company_group_id)
    if group is None:  # deleted while we read: its memberships are going too
        return None
    return MembershipView(
        company_group_id=membership.company_group_id,
        company_group_name=group.name,
        company_group_slug=group.slug,
        role=membership.role,
    )
