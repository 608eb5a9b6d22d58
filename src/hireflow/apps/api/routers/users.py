"""Users of the caller's company group, and the caller themself: ``/api/v1/users``.

A user account is platform-wide; a member is a user with a role in one company group. Adding an email that
already has an account gives it a membership here and leaves its name and password alone. Removing a member
removes the membership only. The ``id`` of a member is the user's id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field

from hireflow.apps.api.deps import CanManageUsers, CanReadUsers, CurrentPrincipal, RateLimited, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.services.authorization import Permission, permissions_of
from hireflow.domain.services.users import Member, MemberAdministration

router = new_router(prefix="/api/v1/users", tags=["users"])

UserId = Annotated[int, Path(ge=1, description="The user's id")]
Password = Annotated[str, Field(min_length=1, max_length=1024)]
_POLICY_HELP = "At least 12 characters; very common passwords and your email name are refused"


class CompanyGroupBrief(BaseModel):
    """The company group the caller is signed in to."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str


class MembershipPublic(BaseModel):
    """A company group the caller belongs to, and their role there."""

    model_config = ConfigDict(from_attributes=True)

    company_group_id: int
    company_group_name: str
    company_group_slug: str
    role: MembershipRole


class MePublic(BaseModel):
    """The signed-in caller: their account, their company groups, and what they may do where they are now."""

    id: int
    email: str
    full_name: str
    is_active: bool
    is_superadmin: bool
    last_login_at: AwareDatetime | None
    memberships: list[MembershipPublic]
    company_group: CompanyGroupBrief | None = Field(description="Where this session is; null: the platform")
    role: MembershipRole | None = Field(description="The caller's role in that company group")
    permissions: list[Permission] = Field(description="Everything the caller may do in this session")


class MemberCreate(BaseModel):
    """A new member; an email that already has an account keeps its name and password."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    full_name: str = Field(default="", max_length=200)
    role: MembershipRole
    password: Password = Field(description=_POLICY_HELP + "; ignored when the email already has an account")


class MemberUpdate(BaseModel):
    """The fields to change; ``full_name`` and ``is_active`` belong to the account, ``role`` to the membership."""

    model_config = ConfigDict(extra="forbid")

    role: MembershipRole | None = None
    full_name: str | None = Field(default=None, max_length=200)
    is_active: bool | None = Field(default=None, description="false ends the user's sessions everywhere")


class PasswordReset(BaseModel):
    """The member's new password (an admin's reset)."""

    model_config = ConfigDict(extra="forbid")

    password: Password = Field(description=_POLICY_HELP)


class PasswordChange(BaseModel):
    """The caller's current password and the new one."""

    model_config = ConfigDict(extra="forbid")

    current_password: Password
    new_password: Password = Field(description=_POLICY_HELP)


class MemberPublic(PublicRecord):
    """A member of the company group (``id`` is the user's id; ``created_at`` is the account's)."""

    email: str
    full_name: str
    role: MembershipRole
    is_active: bool
    is_superadmin: bool
    last_login_at: AwareDatetime | None
    joined_at: AwareDatetime | None = Field(description="When the user joined this company group")


def _members(services: Services) -> MemberAdministration:
    return MemberAdministration(services.uow_factory, services.password_hasher, services.authentication)


def _public(member: Member) -> MemberPublic:
    return MemberPublic.model_validate(member)


@router.get("/me", response_model=MePublic, responses=NOT_FOUND)
def get_me(principal: CurrentPrincipal, services: Services) -> MePublic:
    """Get the signed-in user, their company groups, and their role and permissions in this session."""
    profile = _members(services).profile(principal.user_id, principal.company_group_id)
    user, group = profile.user, profile.company_group
    assert user.id is not None
    return MePublic(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        is_active=user.is_active,
        is_superadmin=user.is_superadmin,
        last_login_at=user.last_login_at,
        memberships=[MembershipPublic.model_validate(view) for view in profile.memberships],
        company_group=CompanyGroupBrief.model_validate(group) if group is not None else None,
        role=principal.role,
        permissions=sorted(permissions_of(principal)),
    )


@router.put("/me/password", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def change_my_password(
    body: PasswordChange, principal: CurrentPrincipal, services: Services, _: RateLimited
) -> Response:
    """Change your own password (give the current one); all your sessions end, so sign in again."""
    _members(services).change_own_password(principal.user_id, body.current_password, body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("", response_model=Page[MemberPublic])
def list_members(
    caller: CanReadUsers, services: Services, limit: Limit = 50, cursor: Cursor = None
) -> Page[MemberPublic]:
    """List the members of your company group, in the order they joined."""
    members = _members(services)
    return paginate(
        lambda n, after: members.list(caller.company_group_id, limit=n, after_membership_id=after),
        limit,
        cursor,
        _public,
        key=lambda member: member.membership_id,
    )


@router.post("", response_model=MemberPublic, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS)
def add_member(body: MemberCreate, caller: CanManageUsers, services: Services) -> MemberPublic:
    """Add a member: a new account, or a membership for an email that already has one (409 if a member)."""
    member = _members(services).add(
        caller.company_group_id,
        email=body.email,
        full_name=body.full_name,
        role=body.role,
        password=body.password,
    )
    return _public(member)


@router.get("/{user_id}", response_model=MemberPublic, responses=NOT_FOUND)
def get_member(user_id: UserId, caller: CanReadUsers, services: Services) -> MemberPublic:
    """Get one member of your company group."""
    return _public(_members(services).get(caller.company_group_id, user_id))


@router.patch("/{user_id}", response_model=MemberPublic, responses=WRITE_ERRORS)
def update_member(
    user_id: UserId, body: MemberUpdate, caller: CanManageUsers, services: Services
) -> MemberPublic:
    """Change a member's role, name or activation (409 for the last active admin)."""
    changes = body.model_dump(exclude_unset=True)
    member = _members(services).update(caller.company_group_id, user_id, changes, caller.principal)
    return _public(member)


@router.put(
    "/{user_id}/password",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=WRITE_ERRORS,
)
def reset_password(
    user_id: UserId, body: PasswordReset, caller: CanManageUsers, services: Services
) -> Response:
    """Reset a member's password; all their sessions end."""
    _members(services).reset_password(caller.company_group_id, user_id, body.password, caller.principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/{user_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=WRITE_ERRORS
)
def remove_member(user_id: UserId, caller: CanManageUsers, services: Services) -> Response:
    """Remove a member from your company group (their account stays); 409 for the last active admin."""
    _members(services).remove(caller.company_group_id, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
