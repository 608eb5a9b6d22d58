"""CRM sync context: what a CRM hands over, what Hireflow makes of it, and the bookkeeping of a sync.

A connector reads :class:`SourceRecord`\\ s (the CRM's own JSON, untouched) page by page in ``(modified, id)``
order, and parses each into an import record (:class:`CandidateImport`, :class:`JobImport`, ...): Hireflow's
fields, validated, with references to other records by their id in the same CRM. A record that does not parse
becomes a :class:`DeadLetter` holding the raw payload and every error. A :class:`SyncCursor` per source and
entity remembers how far a sync has come; it moves in the same transaction as the batch it covers.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, ConfigDict, Field, field_validator

from hireflow.domain.models.base import DomainModel, Email, lower_email
from hireflow.domain.models.jobs import ApplicationStatus, JobEmploymentType, JobStatus, PlacementStatus
from hireflow.domain.models.org import CurrencyCode, PayPeriod


class CrmEntity(StrEnum):
    """What a sync lands, in the order it lands it: referenced records before the records referring to them."""

    CLIENT_COMPANIES = "client_companies"
    JOBS = "jobs"
    CANDIDATES = "candidates"
    APPLICATIONS = "applications"
    PLACEMENTS = "placements"


ENTITY_ORDER: tuple[CrmEntity, ...] = tuple(CrmEntity)


class SourceRecord(DomainModel):
    """One record as the CRM gave it: its id there, when it last changed, whether it is deleted there (or
    anonymised), and its raw JSON."""

    model_config = ConfigDict(frozen=True)

    external_id: str = Field(min_length=1, max_length=200)
    modified_at: AwareDatetime
    deleted: bool = False
    payload: dict[str, Any]


_BOOKKEEPING = {"external_id", "modified_at"}


class ImportRecord(DomainModel):
    """A CRM record in Hireflow's terms; ``content_hash`` covers every field but the bookkeeping ones."""

    model_config = ConfigDict(frozen=True)

    external_id: str = Field(min_length=1, max_length=200)
    modified_at: AwareDatetime

    def content_hash(self) -> str:
        """A stable digest of the content (the same fields and values give the same digest, run after run)."""
        # pydantic's own serialiser: fields in declaration order, so the same content always gives the same bytes.
        # Called directly, it gives the bytes model_dump_json() would decode to text, at half the cost per record.
        encoded = self.__pydantic_serializer__.to_json(self, exclude=_BOOKKEEPING)
        return hashlib.blake2b(encoded, digest_size=16).hexdigest()


class ClientCompanyImport(ImportRecord):
    name: str = Field(min_length=1, max_length=200)
    website: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=50)
    industry: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    status: str | None = Field(default=None, max_length=50)


class JobImport(ImportRecord):
    title: str = Field(min_length=1, max_length=200)
    description: str | None = None
    client_company_ref: str | None = Field(default=None, description="The client company's id in the CRM")
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


class CandidateImport(ImportRecord):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    phone_e164: str = Field(pattern=r"^\+[1-9]\d{6,14}$")
    email: Email | None = None
    headline: str | None = Field(default=None, max_length=200)
    skills: list[str] = Field(default_factory=list)
    summary: str | None = None
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    postal_code: str | None = Field(default=None, max_length=20)
    salary_expectation_minor: int | None = Field(default=None, ge=0)
    available_from: date | None = None
    source_detail: str | None = Field(default=None, max_length=200)

    # Stored lower-cased like every candidate's, so the loader's e-mail match (and Hireflow's) finds it.
    _lower_email = field_validator("email")(lower_email)


class ApplicationImport(ImportRecord):
    candidate_ref: str = Field(min_length=1, max_length=200)
    job_ref: str = Field(min_length=1, max_length=200)
    status: ApplicationStatus = ApplicationStatus.SUBMITTED
    applied_at: AwareDatetime | None = None


class PlacementImport(ImportRecord):
    candidate_ref: str = Field(min_length=1, max_length=200)
    job_ref: str = Field(min_length=1, max_length=200)
    status: PlacementStatus = PlacementStatus.ACTIVE
    start_date: date | None = None
    end_date: date | None = None
    salary_minor: int | None = Field(default=None, ge=0)
    salary_unit: PayPeriod | None = None
    salary_currency: CurrencyCode = "USD"


IMPORT_TYPES: dict[CrmEntity, type[ImportRecord]] = {
    CrmEntity.CLIENT_COMPANIES: ClientCompanyImport,
    CrmEntity.JOBS: JobImport,
    CrmEntity.CANDIDATES: CandidateImport,
    CrmEntity.APPLICATIONS: ApplicationImport,
    CrmEntity.PLACEMENTS: PlacementImport,
}


class SyncCursor(DomainModel):
    """How far a sync of one source's entity has come: the last record loaded, by modification time and then
    id. The next sync asks the CRM for records modified at or after ``modified_at`` and skips those at or before
    the cursor."""

    model_config = ConfigDict(frozen=True)

    modified_at: AwareDatetime
    external_id: str

    def covers(self, record: SourceRecord) -> bool:
        """True when ``record`` is at or before the cursor, so an earlier batch already loaded it."""
        if record.modified_at != self.modified_at:
            return record.modified_at < self.modified_at
        return id_order(record.external_id) <= id_order(self.external_id)


def id_order(external_id: str) -> tuple[int, int | str]:
    """The tie-breaking order of CRM ids: numeric ids by number (``9`` before ``10``), others as text."""
    return (0, int(external_id)) if external_id.isdigit() else (1, external_id)


class SyncStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    """Finished, with some records in the dead-letter table."""
    FAILED = "failed"


class SyncCounts(DomainModel):
    """What a sync did with the records of one entity (or of all)."""

    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    invalid: int = 0

    def plus(self, other: SyncCounts) -> SyncCounts:
        return SyncCounts(
            **{name: getattr(self, name) + getattr(other, name) for name in type(self).model_fields}
        )


class SyncRun(DomainModel):
    """One sync of one source for one company group."""

    id: int | None = None
    company_group_id: int
    source: str
    entities: list[CrmEntity]
    full: bool = False
    status: SyncStatus = SyncStatus.RUNNING
    counts: SyncCounts = Field(default_factory=SyncCounts)
    entity_counts: dict[str, SyncCounts] = Field(default_factory=dict)
    error: str | None = None
    started_at: AwareDatetime
    finished_at: AwareDatetime | None = None

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class DeadLetter(DomainModel):
    """A CRM record Hireflow could not take, with every reason; retried on every later run until it loads."""

    id: int | None = None
    company_group_id: int
    source: str
    entity: CrmEntity
    external_id: str
    payload: dict[str, Any]
    modified_at: AwareDatetime | None = None
    deleted: bool = False
    errors: list[dict[str, Any]]
    attempts: int = 1
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    resolved_at: datetime | None = None
