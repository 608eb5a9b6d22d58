"""Identity context: users and their memberships in company groups."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field, field_validator

from hireflow.domain.models.base import DomainModel, Email, Entity, TenantEntity, lower_email


class MembershipRole(StrEnum):
    """A user's role within one company group; ``superadmin`` is a platform flag on the user, not a role."""

    ADMIN = "admin"
    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"
    VIEWER = "viewer"


class User(Entity):
    """A person who signs in to Hireflow. The password hash never leaves the identity adapters."""

    email: Email
    full_name: str = Field(default="", max_length=200)
    is_active: bool = True
    is_superadmin: bool = False
    last_login_at: AwareDatetime | None = None

    _lower_email = field_validator("email")(lower_email)


class Membership(TenantEntity):
    """Grants a user a role in a company group."""

    user_id: int
    role: MembershipRole


class LoginState(DomainModel):
    """A user's run of failed sign-ins and the lockout it earned; reset by a successful sign-in."""

    failed_count: int = Field(default=0, ge=0)
    locked_until: AwareDatetime | None = None


class Principal(DomainModel):
    """Who is calling: the user behind a valid access token, the tenant they signed in to, and their role.

    ``company_group_id`` is None for a superadmin signed in to the platform rather than to a company group.
    """

    user_id: int
    company_group_id: int | None = None
    role: MembershipRole | None = None
    is_superadmin: bool = False
    token_id: str
    token_expires_at: AwareDatetime


class AuditEntry(DomainModel):
    """One write through the API: who did what, in which company group, when, and to which ids."""

    id: int | None = None
    occurred_at: AwareDatetime | None = None
    company_group_id: int | None = None
    actor_user_id: int | None = None
    action: str = Field(max_length=10, description="The HTTP method")
    route: str = Field(
        max_length=200, description="The route template, e.g. /api/v1/candidates/{candidate_id}"
    )
    resource: str = Field(max_length=60)
    target_id: str | None = Field(default=None, max_length=64, description="The id the request named")
    result_id: str | None = Field(default=None, max_length=64, description="The id the response returned")
    status_code: int
    request_id: str | None = Field(default=None, max_length=64)
