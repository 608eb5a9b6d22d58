"""Candidates context: people in the funnel, their external CRM ids and their media."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import AwareDatetime, EmailStr, Field, field_validator, model_validator

from hireflow.domain.models.base import TenantEntity, lower_email
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import EducationLevel, Latitude, Longitude, Shift

E164 = r"^\+[1-9]\d{6,14}$"


class CandidateSource(StrEnum):
    WHATSAPP = "whatsapp"
    META_ADS = "meta_ads"
    JOB_BOARD = "job_board"
    REFERRAL = "referral"
    CAREERS_SITE = "careers_site"
    WALK_IN = "walk_in"
    CRM = "crm"
    AGENCY = "agency"
    OTHER = "other"


class MediaKind(StrEnum):
    PHOTO = "photo"
    RESUME = "resume"
    ID_DOCUMENT = "id_document"
    CERTIFICATE = "certificate"
    WORK_PERMIT = "work_permit"
    AUDIO = "audio"
    VIDEO = "video"
    OTHER = "other"


class Candidate(TenantEntity):
    """A person applying to a company group, unique within it by E.164 phone number."""

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(default="", max_length=100)
    phone_e164: str = Field(pattern=E164)
    email: EmailStr | None = None
    birth_date: date | None = None
    city: str | None = Field(default=None, max_length=100)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    business_unit_id: int | None = None
    location_id: int | None = None
    role_id: int | None = None
    source: CandidateSource = CandidateSource.OTHER
    source_detail: str | None = Field(default=None, max_length=200)
    funnel_state: FunnelState = FunnelState.LEAD
    state_changed_at: AwareDatetime | None = None
    entered_at: AwareDatetime | None = None
    education_level: EducationLevel | None = None
    experience_months: int | None = Field(default=None, ge=0, le=900)
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes")
    shifts_available: list[Shift] = Field(default_factory=list)
    has_work_authorization: bool | None = None
    salary_expectation_minor: int | None = Field(default=None, ge=0)
    consent_to_contact: bool = False
    merged_into_id: int | None = None
    deleted_at: AwareDatetime | None = None

    _lower_email = field_validator("email")(lower_email)

    @model_validator(mode="after")
    def _not_merged_into_itself(self) -> Self:
        if self.id is not None and self.merged_into_id == self.id:
            raise ValueError("a candidate cannot be merged into itself")
        return self

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CandidateExternalId(TenantEntity):
    """The id a CRM or channel knows a candidate by; ``(source, external_id)`` is unique per company group."""

    candidate_id: int
    source: str = Field(min_length=1, max_length=50)
    external_id: str = Field(min_length=1, max_length=200)


class CandidateMedia(TenantEntity):
    """A file that belongs to a candidate (résumé, photo, ID document), stored by the documents context."""

    candidate_id: int
    kind: MediaKind
    storage_key: str = Field(min_length=1, max_length=500)
    content_type: str = Field(max_length=200)
    size_bytes: int = Field(ge=0)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    original_filename: str | None = Field(default=None, max_length=300)
