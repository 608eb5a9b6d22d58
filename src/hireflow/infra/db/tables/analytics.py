"""Analytics tables: product usage events and dashboard configurations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.infra.db.base import (
    EMPTY_JSON_OBJECT,
    Base,
    BigIntId,
    IdMixin,
    JSONType,
    TenantMixin,
    TimestampMixin,
)


class ProductUsage(IdMixin, TenantMixin, TimestampMixin, Base):
    """An event of product use (``dashboard.viewed``) with its properties."""

    __tablename__ = "product_usage"
    __table_args__ = (Index(None, "company_group_id", "event_name", "occurred_at"),)

    user_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    event_name: Mapped[str] = mapped_column(String(100))
    occurred_at: Mapped[datetime]
    properties: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, server_default=EMPTY_JSON_OBJECT
    )


class DashboardConfiguration(IdMixin, TenantMixin, TimestampMixin, Base):
    """A saved dashboard (layout and filters) of a company group, or of one of its users."""

    __tablename__ = "dashboard_configurations"
    __table_args__ = (
        UniqueConstraint("company_group_id", "user_id", "name"),
        # NULLs never clash in a unique constraint: company-wide dashboards need their own.
        Index(
            "uq_dashboard_configurations_company_group_id_name_company_wide",
            "company_group_id",
            "name",
            unique=True,
            sqlite_where=text("user_id IS NULL"),
            postgresql_where=text("user_id IS NULL"),
        ),
    )

    user_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    layout: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, server_default=EMPTY_JSON_OBJECT)
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, server_default=EMPTY_JSON_OBJECT)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
