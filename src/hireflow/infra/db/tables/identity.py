"""Identity tables: users and memberships (user x company group x role)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.identity import MembershipRole
from hireflow.infra.db.base import Base, BigIntId, IdMixin, TenantMixin, TimestampMixin, enum_check


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
