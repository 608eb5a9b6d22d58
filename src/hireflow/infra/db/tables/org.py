"""Organisation tables: company groups, business units, locations, roles and hiring objectives."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.org import EmploymentType, ObjectiveStatus, PayPeriod
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


class CompanyGroup(IdMixin, TimestampMixin, Base):
    """A tenant: a company or group of companies hiring through Hireflow."""

    __tablename__ = "company_groups"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    default_phone_region: Mapped[str] = mapped_column(String(2), default="US", server_default="US")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class BusinessUnit(IdMixin, TenantMixin, TimestampMixin, Base):
    """A division of a company group (brand, region, department) that owns roles and locations."""

    __tablename__ = "business_units"
    __table_args__ = (
        UniqueConstraint("company_group_id", "name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Location(IdMixin, TenantMixin, TimestampMixin, Base):
    """A workplace with coordinates, used for commute-distance eligibility and matching."""

    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("company_group_id", "name"),
        CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"),
        CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude_range"
        ),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_paired"),
    )

    business_unit_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("business_units.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    address_line: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country_code: Mapped[str] = mapped_column(String(2), default="US", server_default="US")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    timezone: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Role(IdMixin, TenantMixin, TimestampMixin, Base):
    """A job the company group hires for, with its pay band and structured eligibility criteria (JSON)."""

    __tablename__ = "roles"
    __table_args__ = (
        UniqueConstraint("company_group_id", "business_unit_id", "title"),
        # NULLs never clash in a unique constraint: titles of roles outside any business unit need their own.
        Index(
            "uq_roles_company_group_id_title_without_unit",
            "company_group_id",
            "title",
            unique=True,
            sqlite_where=text("business_unit_id IS NULL"),
            postgresql_where=text("business_unit_id IS NULL"),
        ),
        enum_check("employment_type", EmploymentType),
        enum_check("pay_period", PayPeriod),
        CheckConstraint("pay_min_minor IS NULL OR pay_min_minor >= 0", name="pay_min_not_negative"),
        CheckConstraint(
            "pay_min_minor IS NULL OR pay_max_minor IS NULL OR pay_min_minor <= pay_max_minor",
            name="pay_band_ordered",
        ),
    )

    business_unit_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("business_units.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    employment_type: Mapped[str] = mapped_column(
        String(20), default=EmploymentType.FULL_TIME.value, server_default=EmploymentType.FULL_TIME.value
    )
    pay_min_minor: Mapped[int | None]
    pay_max_minor: Mapped[int | None]
    pay_currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    pay_period: Mapped[str] = mapped_column(
        String(10), default=PayPeriod.HOUR.value, server_default=PayPeriod.HOUR.value
    )
    eligibility_criteria: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, server_default=EMPTY_JSON_OBJECT
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class HiringObjective(IdMixin, TenantMixin, TimestampMixin, Base):
    """A hiring target: ``objective_amount`` hires for a role (at a location) between two dates."""

    __tablename__ = "hiring_objectives"
    __table_args__ = (
        CheckConstraint("objective_amount > 0", name="objective_amount_positive"),
        CheckConstraint("deadline IS NULL OR deadline >= start_date", name="deadline_after_start"),
        enum_check("status", ObjectiveStatus),
        Index(None, "company_group_id", "status"),
    )

    role_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    business_unit_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("business_units.id", ondelete="SET NULL"), index=True
    )
    objective_amount: Mapped[int]
    start_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(
        String(20), default=ObjectiveStatus.OPEN.value, server_default=ObjectiveStatus.OPEN.value
    )
    notes: Mapped[str | None] = mapped_column(Text)
