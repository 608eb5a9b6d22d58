"""Funnel tables: the append-only log of every funnel event of every candidate, and the funnel-count summary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.funnel import FunnelState
from hireflow.infra.db.base import (
    EMPTY_JSON_OBJECT,
    Base,
    BigIntId,
    IdMixin,
    JSONType,
    TenantMixin,
    TimestampMixin,
    enum_check,
)


class CandidateFunnelLog(IdMixin, TenantMixin, TimestampMixin, Base):
    """One funnel event; ``applied`` is false for late events kept for the record without moving the state."""

    __tablename__ = "candidate_funnel_log"
    __table_args__ = (
        enum_check("to_state", FunnelState),
        enum_check("from_state", FunnelState, nullable=True),
        Index(None, "candidate_id", "occurred_at"),
        Index(None, "company_group_id", "to_state", "occurred_at"),
    )

    candidate_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("candidates.id", ondelete="CASCADE"))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100), default="system", server_default="system")
    actor_user_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str | None] = mapped_column(Text)
    applied: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, server_default=EMPTY_JSON_OBJECT)


class FunnelStateCount(Base):
    """How many live candidates entered on one day, per unit/location/role and funnel state: a summary kept
    true by database triggers on ``candidates`` (migration 0002), so funnel counts never scan candidates.

    Missing unit, location or role is stored as key 0. Deleted and merged candidates are not counted.
    """

    __tablename__ = "funnel_state_counts"
    __table_args__ = (
        enum_check("funnel_state", FunnelState),
        CheckConstraint("candidate_count >= 0", name="count_not_negative"),
    )

    company_group_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("company_groups.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    business_unit_key: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    location_key: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    role_key: Mapped[int] = mapped_column(BigIntId, primary_key=True)
    entered_on: Mapped[date] = mapped_column(Date, primary_key=True)
    funnel_state: Mapped[str] = mapped_column(String(30), primary_key=True)
    candidate_count: Mapped[int] = mapped_column(BigIntId, default=0, server_default="0")
