"""Jobs tables: client companies, job openings, applications and placements, each possibly owned by a CRM.

``(company_group_id, source, external_id)`` is unique in each; records created in Hireflow have source
``hireflow`` and no external id (NULLs never collide in a unique constraint).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.jobs import ApplicationStatus, JobEmploymentType, JobStatus, PlacementStatus
from hireflow.domain.models.org import PayPeriod
from hireflow.infra.db.base import (
    EMPTY_JSON_ARRAY,
    Base,
    BigIntId,
    IdMixin,
    JSONType,
    TenantMixin,
    TimestampMixin,
    enum_check,
)


class SyncedMixin:
    """Where a record came from, and what the sync needs to tell a changed record from an unchanged one."""

    source: Mapped[str] = mapped_column(String(50), server_default=text("'hireflow'"))
    external_id: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    source_modified_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]


class ClientCompany(IdMixin, TenantMixin, TimestampMixin, SyncedMixin, Base):
    __tablename__ = "client_companies"
    __table_args__ = (UniqueConstraint("company_group_id", "source", "external_id"),)

    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    industry: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str | None] = mapped_column(String(50))


class Job(IdMixin, TenantMixin, TimestampMixin, SyncedMixin, Base):
    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("company_group_id", "source", "external_id"),
        Index(None, "company_group_id", "status"),
        enum_check("status", JobStatus),
        enum_check("employment_type", JobEmploymentType, nullable=True),
        enum_check("salary_unit", PayPeriod, nullable=True),
    )

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    client_company_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("client_companies.id", ondelete="SET NULL"), index=True
    )
    role_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("roles.id", ondelete="SET NULL"))
    location_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("locations.id", ondelete="SET NULL"))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    salary_min_minor: Mapped[int | None]
    salary_max_minor: Mapped[int | None]
    salary_currency: Mapped[str] = mapped_column(String(3), server_default=text("'USD'"))
    salary_unit: Mapped[str | None] = mapped_column(String(10))
    employment_type: Mapped[str | None] = mapped_column(String(20))
    skills: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default=EMPTY_JSON_ARRAY)
    status: Mapped[str] = mapped_column(String(20), server_default=text("'open'"))
    openings: Mapped[int] = mapped_column(server_default="1")
    opened_at: Mapped[datetime | None]


class Application(IdMixin, TenantMixin, TimestampMixin, SyncedMixin, Base):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("company_group_id", "source", "external_id"),
        Index(None, "company_group_id", "job_id"),
        Index(None, "company_group_id", "candidate_id"),
        enum_check("status", ApplicationStatus),
    )

    candidate_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("candidates.id", ondelete="CASCADE"))
    job_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("jobs.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), server_default=text("'submitted'"))
    applied_at: Mapped[datetime | None]


class Placement(IdMixin, TenantMixin, TimestampMixin, SyncedMixin, Base):
    __tablename__ = "placements"
    __table_args__ = (
        UniqueConstraint("company_group_id", "source", "external_id"),
        Index(None, "company_group_id", "job_id"),
        Index(None, "company_group_id", "candidate_id"),
        enum_check("status", PlacementStatus),
        enum_check("salary_unit", PayPeriod, nullable=True),
    )

    candidate_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("candidates.id", ondelete="CASCADE"))
    job_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("jobs.id", ondelete="CASCADE"))
    application_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("applications.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20), server_default=text("'active'"))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    salary_minor: Mapped[int | None]
    salary_unit: Mapped[str | None] = mapped_column(String(10))
    salary_currency: Mapped[str] = mapped_column(String(3), server_default=text("'USD'"))
