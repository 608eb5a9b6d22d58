"""Candidates context: people in the funnel, their external CRM ids and their media."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    AwareDatetime,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    TypeAdapter,
    field_validator,
    model_validator,
)

from hireflow.domain.models.base import DomainModel, Email, TenantEntity, lower_email
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import EducationLevel, Latitude, Longitude, Shift
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.ids import normalize_phone

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
    email: Email | None = None
    birth_date: date | None = None
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    postal_code: str | None = Field(default=None, max_length=20)
    headline: str | None = Field(default=None, max_length=200, description="Occupation or current title")
    skills: list[str] = Field(default_factory=list)
    summary: str | None = Field(default=None, description="Profile or résumé text")
    available_from: date | None = None
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
    """The id a CRM or channel knows a candidate by; ``(source, external_id)`` is unique per company group.
    A CRM sync also keeps the digest of the record it loaded and when the CRM last changed it."""

    candidate_id: int
    source: str = Field(min_length=1, max_length=50)
    external_id: str = Field(min_length=1, max_length=200)
    content_hash: str | None = Field(default=None, max_length=64)
    source_modified_at: AwareDatetime | None = None


class CandidateMedia(TenantEntity):
    """A file that belongs to a candidate (résumé, photo, ID document), stored by the documents context."""

    candidate_id: int
    kind: MediaKind
    storage_key: str = Field(min_length=1, max_length=500)
    content_type: str = Field(max_length=200)
    size_bytes: int = Field(ge=0)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    original_filename: str | None = Field(default=None, max_length=300)


# -- search --------------------------------------------------------------------------------------------------
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]*\d[\d\s().\-/]*$")


class CandidateFilters(DomainModel):
    """What a candidate search narrows to; every filter given must hold. Deleted and merged-away candidates are
    left out unless ``include_deleted``.

    ``q`` is free text: when it looks like a phone number (digits and ``+ ( ) - . /`` only) it matches phone
    numbers containing its digits, otherwise each of its words must be part of the first name, the last name or
    the email address (any letter case). :meth:`with_phone_region` turns a complete phone number in ``q`` into
    an exact ``phone_e164`` match, which the unique phone index answers at once.
    """

    q: str | None = Field(default=None, max_length=200)
    phone_e164: str | None = Field(default=None, pattern=E164, description="exact phone number")
    funnel_state: tuple[FunnelState, ...] = Field(default=(), description="any of these states")
    business_unit_id: int | None = None
    location_id: int | None = None
    role_id: int | None = None
    source: CandidateSource | None = None
    entered_from: date | None = Field(default=None, description="entered on or after this UTC day")
    entered_to: date | None = Field(default=None, description="entered on or before this UTC day")
    include_deleted: bool = False

    @model_validator(mode="after")
    def _window_is_ordered(self) -> Self:
        if self.entered_from and self.entered_to and self.entered_to < self.entered_from:
            raise ValueError("entered_to must not be before entered_from")
        return self

    @property
    def looks_like_phone(self) -> bool:
        """True when ``q`` holds only what a phone number is written with, and at least one digit."""
        return bool(self.q and _PHONE_LIKE.match(self.q))

    @property
    def phone_digits(self) -> str:
        """The digits of ``q`` (what a phone-like ``q`` must be part of a phone number)."""
        return "".join(char for char in self.q or "" if char.isdigit())

    @property
    def terms(self) -> tuple[str, ...]:
        """The lower-cased words of a ``q`` that is not phone-like; each must match a name or the email."""
        if not self.q or self.looks_like_phone:
            return ()
        return tuple(dict.fromkeys(self.q.lower().split()))

    def with_phone_region(self, default_region: str) -> CandidateFilters:
        """These filters with a phone-like ``q`` that is a valid number (national numbers read in
        ``default_region``) turned into an exact ``phone_e164``; unchanged otherwise (a partial number keeps
        matching by its digits)."""
        if not self.looks_like_phone or self.q is None:
            return self
        try:
            phone = normalize_phone(self.q, default_region)
        except ValidationFailed:
            return self
        return self.model_copy(update={"q": None, "phone_e164": phone})


class CandidateSort(StrEnum):
    """The orders a candidate search can list in; ties are broken by id, in the same direction. Candidates that
    never changed state come last in both ``state_changed_at`` orders."""

    ID = "id"
    ID_DESC = "-id"
    ENTERED_AT = "entered_at"
    ENTERED_AT_DESC = "-entered_at"
    STATE_CHANGED_AT = "state_changed_at"
    STATE_CHANGED_AT_DESC = "-state_changed_at"
    LAST_NAME = "last_name"

    @property
    def descending(self) -> bool:
        return self.value.startswith("-")

    @property
    def fields(self) -> tuple[str, ...]:
        """The candidate fields compared before the id (a last-name sort goes on to the first name)."""
        name = self.value.removeprefix("-")
        return {"id": (), "last_name": ("last_name", "first_name")}.get(name, (name,))

    def position_of(self, candidate: Candidate) -> CandidatePosition:
        """Where ``candidate`` stands in this order: a page ending with it continues from here."""
        assert candidate.id is not None
        return CandidatePosition(
            values=tuple(getattr(candidate, field) for field in self.fields), id=candidate.id
        )

    def position(self, values: Sequence[object], candidate_id: object) -> CandidatePosition:
        """A position read back from outside (a page cursor); ValueError when it does not fit this order."""
        if len(values) != len(self.fields):
            raise ValueError(
                f"a '{self.value}' position holds {len(self.fields)} value(s), not {len(values)}"
            )
        checked = tuple(
            _POSITION_TYPES[field].validate_python(v) for field, v in zip(self.fields, values, strict=True)
        )
        return CandidatePosition(values=checked, id=_POSITION_ID.validate_python(candidate_id))


class CandidatePosition(DomainModel):
    """The last candidate of a page in a :class:`CandidateSort` order: its sort values and id. The next page
    holds the candidates that sort after it, so pages stay right when many candidates share a sort value."""

    model_config = ConfigDict(frozen=True)

    values: tuple[AwareDatetime | str | None, ...] = ()
    id: int = Field(ge=0)


_POSITION_TYPES: dict[str, TypeAdapter[Any]] = {
    "entered_at": TypeAdapter(AwareDatetime),
    "state_changed_at": TypeAdapter(AwareDatetime | None),
    "last_name": TypeAdapter(StrictStr),
    "first_name": TypeAdapter(StrictStr),
}
_POSITION_ID: TypeAdapter[int] = TypeAdapter(Annotated[StrictInt, Field(ge=0)])
