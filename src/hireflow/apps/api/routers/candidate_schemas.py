"""Request and response schemas of ``/api/v1/candidates``, and the search query parameters."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Self

from fastapi import Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, ValidationError, model_validator

from hireflow.apps.api.schemas import PublicRecord
from hireflow.domain.models.candidates import CandidateFilters, CandidateSource
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import EducationLevel, Shift
from hireflow.domain.services.candidates import CandidateProfile
from hireflow.domain.services.funnel_transitions import TransitionResult
from hireflow.shared.errors import ValidationFailed

Name = Annotated[str, Field(min_length=1, max_length=100)]
Phone = Annotated[str, Field(min_length=3, max_length=40, description="Any common format; stored in E.164")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code")]
ReferenceId = Annotated[int, Field(ge=1)]
Skill = Annotated[str, Field(min_length=1, max_length=100)]


class _CandidateFields(BaseModel):
    """The fields a recruiter sets; funnel state, merges, deletion and timestamps are Hireflow's."""

    model_config = ConfigDict(extra="forbid")

    last_name: str | None = Field(default=None, max_length=100)
    email: EmailStr | None = None
    birth_date: date | None = None
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100, description="State or province")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    postal_code: str | None = Field(default=None, max_length=20)
    headline: str | None = Field(default=None, max_length=200, description="Occupation or current title")
    summary: str | None = Field(default=None, max_length=20_000, description="Profile or résumé text")
    available_from: date | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    business_unit_id: ReferenceId | None = None
    location_id: ReferenceId | None = None
    role_id: ReferenceId | None = None
    source_detail: str | None = Field(default=None, max_length=200)
    education_level: EducationLevel | None = None
    experience_months: int | None = Field(default=None, ge=0, le=900)
    has_work_authorization: bool | None = None
    salary_expectation_minor: int | None = Field(default=None, ge=0, description="In minor units (cents)")


class CandidateCreate(_CandidateFields):
    """A new candidate; they enter the funnel as a lead."""

    first_name: Name
    last_name: str = Field(default="", max_length=100)
    phone: Phone
    source: CandidateSource = CandidateSource.OTHER
    languages: list[Language] = Field(default_factory=list, max_length=20)
    shifts_available: list[Shift] = Field(default_factory=list, max_length=10)
    skills: list[Skill] = Field(default_factory=list, max_length=100)
    consent_to_contact: bool = False


class CandidateUpdate(_CandidateFields):
    """The fields to change; those left out keep their value. The funnel state changes through transitions."""

    first_name: Name | None = None
    phone: Phone | None = None
    source: CandidateSource | None = None
    languages: list[Language] | None = Field(default=None, max_length=20)
    shifts_available: list[Shift] | None = Field(default=None, max_length=10)
    skills: list[Skill] | None = Field(default=None, max_length=100)
    consent_to_contact: bool | None = None


class ExternalIdPublic(BaseModel):
    """The id a CRM or channel knows the candidate by."""

    model_config = ConfigDict(from_attributes=True)

    source: str
    external_id: str


class CandidatePublic(PublicRecord):
    """A candidate. ``deleted_at`` and ``merged_into_id`` are set only on deleted or merged-away candidates."""

    first_name: str
    last_name: str
    phone_e164: str
    email: str | None
    birth_date: date | None
    city: str | None
    region: str | None
    country: str | None
    postal_code: str | None
    headline: str | None
    skills: list[str]
    summary: str | None
    available_from: date | None
    latitude: float | None
    longitude: float | None
    business_unit_id: int | None
    location_id: int | None
    role_id: int | None
    source: CandidateSource
    source_detail: str | None
    funnel_state: FunnelState
    state_changed_at: AwareDatetime | None
    entered_at: AwareDatetime | None
    education_level: EducationLevel | None
    experience_months: int | None
    languages: list[str]
    shifts_available: list[Shift]
    has_work_authorization: bool | None
    salary_expectation_minor: int | None
    consent_to_contact: bool
    merged_into_id: int | None
    deleted_at: AwareDatetime | None
    external_ids: list[ExternalIdPublic]


def candidate_public(profile: CandidateProfile) -> CandidatePublic:
    """The public view of a candidate and their external ids."""
    return CandidatePublic.model_validate(
        {
            **dict(profile.candidate),
            "external_ids": [ExternalIdPublic.model_validate(e) for e in profile.external_ids],
        }
    )


class FunnelLogEntryPublic(PublicRecord):
    """One funnel event of a candidate. ``applied`` is false for events that moved nothing (a late event, a
    merge, whose report is in ``details``)."""

    candidate_id: int
    from_state: FunnelState | None
    to_state: FunnelState
    occurred_at: AwareDatetime
    actor: str
    actor_user_id: int | None
    reason: str | None
    applied: bool
    details: dict[str, Any]


class TransitionRequest(BaseModel):
    """Move the candidate to ``to_state``; the funnel decides whether it may."""

    model_config = ConfigDict(extra="forbid")

    to_state: FunnelState
    reason: str | None = Field(default=None, max_length=500)


class TransitionPublic(BaseModel):
    """What a transition did: ``applied`` (moved), ``unchanged`` (already there: nothing written)."""

    result: TransitionResult
    candidate: CandidatePublic
    entry: FunnelLogEntryPublic | None = Field(description="The funnel-log entry written, if any")


class MergeRequest(BaseModel):
    """Give ``duplicate_id`` to merge that candidate into this one, or ``into`` to merge this one into that."""

    model_config = ConfigDict(extra="forbid")

    duplicate_id: ReferenceId | None = None
    into: ReferenceId | None = None

    @model_validator(mode="after")
    def _one_direction(self) -> Self:
        if (self.duplicate_id is None) == (self.into is None):
            raise ValueError("give exactly one of duplicate_id and into")
        return self


class MergePublic(BaseModel):
    """What a merge did, and the candidate kept."""

    kept_id: int
    merged_ids: list[int]
    moved: dict[str, int] = Field(description="Rows moved to the kept candidate, per table")
    superseded: list[dict[str, Any]] = Field(
        description="Rows dropped for a newer one of the same key, as they were"
    )
    filled: dict[str, int] = Field(
        description="Empty fields of the kept candidate filled, and from which candidate"
    )
    repointed: list[int] = Field(
        description="Candidates merged earlier into a duplicate, now pointing at the kept one"
    )
    log_entry_id: int | None
    candidate: CandidatePublic


class DuplicatePairPublic(BaseModel):
    """Two candidates that look like the same person, why, and how sure (0-1)."""

    model_config = ConfigDict(from_attributes=True)

    first_id: int
    second_id: int
    score: float
    reasons: list[str]


class DuplicateGroupPublic(BaseModel):
    """Candidates linked by likely-duplicate pairs; ``score`` is the strongest pair's."""

    model_config = ConfigDict(from_attributes=True)

    candidate_ids: list[int]
    score: float
    reasons: list[str]
    pairs: list[DuplicatePairPublic]


def candidate_filters(
    *,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Part of a first or last name or email (each word must match), or a phone number "
            "(a complete one matches exactly, national numbers in the company group's region; digits alone "
            "match anywhere in the number)",
        ),
    ] = None,
    funnel_state: Annotated[
        list[FunnelState] | None, Query(description="Any of these states; repeat the parameter for several")
    ] = None,
    business_unit_id: Annotated[int | None, Query(ge=1)] = None,
    location_id: Annotated[int | None, Query(ge=1)] = None,
    role_id: Annotated[int | None, Query(ge=1)] = None,
    source: CandidateSource | None = None,
    entered_from: Annotated[date | None, Query(description="Entered on or after this day (UTC)")] = None,
    entered_to: Annotated[date | None, Query(description="Entered on or before this day (UTC)")] = None,
    include_deleted: Annotated[bool, Query(description="Include deleted and merged-away candidates")] = False,
) -> CandidateFilters:
    """The search filters, from the query string; 422 naming ``entered_to`` when it is before ``entered_from``."""
    try:
        return CandidateFilters(
            q=q,
            funnel_state=tuple(dict.fromkeys(funnel_state or ())),
            business_unit_id=business_unit_id,
            location_id=location_id,
            role_id=role_id,
            source=source,
            entered_from=entered_from,
            entered_to=entered_to,
            include_deleted=include_deleted,
        )
    except ValidationError as error:
        problems = [
            {"field": ".".join(str(part) for part in e["loc"]) or "entered_to", "message": e["msg"]}
            for e in error.errors()
        ]
        raise ValidationFailed("the search filters are not valid", problems) from None
