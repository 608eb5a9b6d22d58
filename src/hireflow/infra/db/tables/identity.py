"""Identity tables: users and memberships (user x company group x role)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.identity import MembershipRole
from hireflow.infra.db.base import (
    Base,
    BigIntId,
    IdMixin,
    TenantMixin,
    TimestampMixin,
    UtcDateTime,
    enum_check,
    utc_now,
    utc_now_default,
)


class User(IdMixin, TimestampMixin, Base):
    """A person who signs in; the email is unique platform-wide and stored lower-case."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    is_superadmin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_login_at: Mapped[datetime | None]
    failed_login_count: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]


class Membership(IdMixin, TenantMixin, TimestampMixin, Base):
    """Gives a user one role in one company group."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "company_group_id"), enum_check("role", MembershipRole))

    user_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class RefreshTokenFamily(IdMixin, TimestampMixin, Base):
    """Every refresh token descended from one sign-in; revoked as a whole on sign-out or token reuse."""

    __tablename__ = "refresh_token_families"

    user_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company_group_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("company_groups.id", ondelete="CASCADE"), index=True
    )
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(30))


class RefreshToken(IdMixin, Base):
    """One refresh token, stored only as the SHA-256 hex digest of its opaque value."""

    __tablename__ = "refresh_tokens"

    family_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("refresh_token_families.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(BigIntId)


class RevokedAccessToken(Base):
    """The denylist: an access token's ``jti``, kept until the token would have expired anyway."""

    __tablename__ = "revoked_access_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class AuditEntry(IdMixin, Base):
    """One write through the API: who, what, in which tenant, when, and the ids before and after.

    No foreign keys on purpose: the trail outlives the users, tenants and records it mentions.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_company_group_id_id", "company_group_id", "id"),)

    occurred_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utc_now, server_default=utc_now_default()
    )
    company_group_id: Mapped[int | None] = mapped_column(BigIntId)
    actor_user_id: Mapped[int | None] = mapped_column(BigIntId)
    action: Mapped[str] = mapped_column(String(10))
    route: Mapped[str] = mapped_column(String(200))
    resource: Mapped[str] = mapped_column(String(60))
    target_id: Mapped[str | None] = mapped_column(String(64))
    result_id: Mapped[str | None] = mapped_column(String(64))
    status_code: Mapped[int]
    request_id: Mapped[str | None] = mapped_column(String(64))
