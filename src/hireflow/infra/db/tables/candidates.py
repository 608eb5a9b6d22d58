"""Candidate tables: candidates, their external CRM ids and their media."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.candidates import CandidateSource, MediaKind
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import EducationLevel
from hireflow.infra.db.base import (
    EMPTY_JSON_ARRAY,
    EMPTY_JSON_OBJECT,
    Base,
    BigIntId,
    IdMixin,
    JSONType,
    TenantMixin,
    TimestampMixin,
    enum_check,
    utc_now,
    utc_now_default,
)


class Candidate(IdMixin, TenantMixin, TimestampMixin, Base):
    """A person in a company group's funnel, unique there by E.164 phone number."""

    __tablename__ = "candidates"
    __table_args__ = (
        UniqueConstraint("company_group_id", "phone_e164"),
        # Trivially unique (id is the key): it lets rows that name a candidate also name its tenant in one foreign
        # key, so the database refuses a link from one company group to another's candidate. An index rather than
        # a constraint, which SQLite could only add by rebuilding the table (and dropping its triggers).
        Index(None, "id", "company_group_id", unique=True),
        CheckConstraint("phone_e164 LIKE '+%'", name="phone_is_e164"),
        CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"),
        CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="longitude_range"
        ),
        CheckConstraint(
            "experience_months IS NULL OR experience_months >= 0", name="experience_not_negative"
        ),
        CheckConstraint(
            "salary_expectation_minor IS NULL OR salary_expectation_minor >= 0", name="salary_not_negative"
        ),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
        enum_check("funnel_state", FunnelState),
        enum_check("source", CandidateSource),
        enum_check("education_level", EducationLevel, nullable=True),
        # The funnel's hot paths: counts by state, cohorts by entry date, filters by unit/location/role.
        Index(None, "company_group_id", "funnel_state"),
        Index(None, "company_group_id", "entered_at"),
        Index(None, "company_group_id", "email"),
        Index(None, "company_group_id", "last_name", "first_name"),
        # Lists sorted by the last funnel move, a page at a time (the id breaks ties).
        Index(None, "company_group_id", "state_changed_at", "id"),
    )

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), default="")
    phone_e164: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(320))
    birth_date: Mapped[date | None] = mapped_column(Date)
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    headline: Mapped[str | None] = mapped_column(String(200))
    skills: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default=EMPTY_JSON_ARRAY)
    summary: Mapped[str | None] = mapped_column(Text)
    available_from: Mapped[date | None] = mapped_column(Date)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    business_unit_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("business_units.id", ondelete="SET NULL"), index=True
    )
    location_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("locations.id", ondelete="SET NULL"), index=True
    )
    role_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("roles.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(
        String(20), default=CandidateSource.OTHER.value, server_default=CandidateSource.OTHER.value
    )
    source_detail: Mapped[str | None] = mapped_column(String(200))
    funnel_state: Mapped[str] = mapped_column(
        String(30), default=FunnelState.LEAD.value, server_default=FunnelState.LEAD.value
    )
    state_changed_at: Mapped[datetime | None]
    # When the candidate entered the funnel; defaults to the time of insertion.
    entered_at: Mapped[datetime] = mapped_column(default=utc_now, server_default=utc_now_default())
    education_level: Mapped[str | None] = mapped_column(String(20))
    experience_months: Mapped[int | None]
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default=EMPTY_JSON_ARRAY)
    shifts_available: Mapped[list[str]] = mapped_column(
        JSONType, default=list, server_default=EMPTY_JSON_ARRAY
    )
    has_work_authorization: Mapped[bool | None] = mapped_column(Boolean)
    salary_expectation_minor: Mapped[int | None]
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    merged_into_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("candidates.id", ondelete="SET NULL"), index=True
    )
    deleted_at: Mapped[datetime | None]


class CandidateExternalId(IdMixin, TimestampMixin, Base):
    """The id a CRM or channel knows a candidate by; ``(company_group, source, external_id)`` is unique.

    The candidate and the company group are one foreign key, ``(candidate_id, company_group_id)``, onto the
    candidate's own pair: a link cannot cross tenants, and the CRM sync's bulk load pays one check per link where
    two separate keys cost it two (a third of the time it spends writing links). The company group is reached
    through the candidate, so deleting either removes the link. No index of its own on ``company_group_id``:
    the unique key leads with it.
    """

    __tablename__ = "candidate_external_ids"
    __table_args__ = (
        UniqueConstraint("company_group_id", "source", "external_id"),
        ForeignKeyConstraint(
            ["candidate_id", "company_group_id"],
            ["candidates.id", "candidates.company_group_id"],
            ondelete="CASCADE",
        ),
    )

    company_group_id: Mapped[int] = mapped_column(BigIntId)
    candidate_id: Mapped[int] = mapped_column(BigIntId, index=True)
    source: Mapped[str] = mapped_column(String(50))
    external_id: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    source_modified_at: Mapped[datetime | None]


class CandidateMedia(IdMixin, TenantMixin, TimestampMixin, Base):
    """A stored file of a candidate's (résumé, photo, ID document) and where the storage backend keeps it."""

    __tablename__ = "candidate_media"
    __table_args__ = (
        UniqueConstraint("company_group_id", "storage_key"),
        CheckConstraint("size_bytes >= 0", name="size_not_negative"),
        enum_check("kind", MediaKind),
    )

    candidate_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    storage_key: Mapped[str] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int]
    sha256: Mapped[str | None] = mapped_column(String(64))
    original_filename: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, server_default=EMPTY_JSON_OBJECT)
