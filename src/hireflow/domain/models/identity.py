"""Identity context: users and their memberships in company groups."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, EmailStr, Field, field_validator

from hireflow.domain.models.base import Entity, TenantEntity, lower_email


class MembershipRole(StrEnum):
    """A user's role within one company group; ``superadmin`` is a platform flag on the user, not a role."""

    ADMIN = "admin"
    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"
    VIEWER = "viewer"


class User(Entity):
    """A person who signs in to Hireflow. The password hash never leaves the identity adapters."""

    email: EmailStr
    full_name: str = Field(default="", max_length=200)
    is_active: bool = True
    is_superadmin: bool = False
    last_login_at: AwareDatetime | None = None

    _lower_email = field_validator("email")(lower_email)


class Membership(TenantEntity):
    """Grants a user a role in a company group."""

    user_id: int
    role: MembershipRole
