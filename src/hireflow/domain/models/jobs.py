"""Jobs context: job openings (from a CRM or created in Hireflow), the client companies they are for, the
applications (CRM submissions) candidates make to them, and the placements that follow.

A record that came from a CRM carries ``source`` (``bullhorn``, ``hubspot``, ``salesforce``) and its
``external_id`` there, unique per company group and source; ``content_hash`` is a digest of the fields Hireflow
keeps, so a sync can tell an unchanged record from a changed one without comparing every column. A record the
CRM deleted or anonymised is soft-deleted (``deleted_at``), never kept as live. Money is integer minor units.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import AwareDatetime, Field, model_validator

from hireflow.domain.models.base import TenantEntity
from hireflow.domain.models.org import CurrencyCode, PayPeriod

NATIVE_SOURCE = "hireflow"
"""The ``source`` of records created in Hireflow itself (they have no external id)."""


class JobEmploymentType(StrEnum):
    """How a job opening employs: staffing-industry terms (Bullhorn's Direct Hire, Contract, ...)."""

    PERMANENT = "permanent"
    CONTRACT = "contract"
    CONTRACT_TO_HIRE = "contract_to_hire"
    TEMPORARY = "temporary"
    PART_TIME = "part_time"


class JobStatus(StrEnum):
    """Where a job opening is: open and taking candidates, paused, or done."""

    OPEN = "open"
    ON_HOLD = "on_hold"
    FILLED = "filled"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ApplicationStatus(StrEnum):
    """How far a candidate's application to a job opening has gone."""

    SUBMITTED = "submitted"
    SCREENING = "screening"
    INTERVIEWING = "interviewing"
    OFFERED = "offered"
    PLACED = "placed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class PlacementStatus(StrEnum):
    """A placement before it starts, while it runs, and after."""

    PENDING = "pending"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class Synced(TenantEntity):
    """Fields of every record a CRM may own."""

    source: str = Field(default=NATIVE_SOURCE, min_length=1, max_length=50)
    external_id: str | None = Field(default=None, min_length=1, max_length=200)
    content_hash: str | None = Field(default=None, max_length=64)
    source_modified_at: AwareDatetime | None = None
    deleted_at: AwareDatetime | None = None


class ClientCompany(Synced):
    """A company a staffing firm fills job openings for."""

    name: str = Field(min_length=1, max_length=200)
    website: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=50)
    industry: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    status: str | None = Field(default=None, max_length=50)


class JobOpening(Synced):
    """A job to fill: what, for whom, where, for how much, and how many people."""

    title: str = Field(min_length=1, max_length=200)
    description: str | None = None
    client_company_id: int | None = None
    role_id: int | None = None
    location_id: int | None = None
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    postal_code: str | None = Field(default=None, max_length=20)
    salary_min_minor: int | None = Field(default=None, ge=0)
    salary_max_minor: int | None = Field(default=None, ge=0)
    salary_currency: CurrencyCode = "USD"
    salary_unit: PayPeriod | None = None
    employment_type: JobEmploymentType | None = None
    skills: list[str] = Field(default_factory=list)
    status: JobStatus = JobStatus.OPEN
    openings: int = Field(default=1, ge=0, le=100_000)
    opened_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _salary_range_is_ordered(self) -> Self:
        low, high = self.salary_min_minor, self.salary_max_minor
        if low is not None and high is not None and low > high:
            raise ValueError("salary_min_minor must not exceed salary_max_minor")
        return self


class Application(Synced):
    """A candidate put forward for a job opening (a Bullhorn JobSubmission)."""

    candidate_id: int
    job_id: int
    status: ApplicationStatus = ApplicationStatus.SUBMITTED
    applied_at: AwareDatetime | None = None


class Placement(Synced):
    """A candidate placed in a job opening: dates and pay."""

    candidate_id: int
    job_id: int
    application_id: int | None = None
    status: PlacementStatus = PlacementStatus.ACTIVE
    start_date: date | None = None
    end_date: date | None = None
    salary_minor: int | None = Field(default=None, ge=0)
    salary_unit: PayPeriod | None = None
    salary_currency: CurrencyCode = "USD"
