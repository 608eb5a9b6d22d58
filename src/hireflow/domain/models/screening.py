"""Screening context: question sets and answers, response timing, eligibility evaluations, phone interviews,
references and onboarding responses."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from pydantic import AwareDatetime, Field, field_validator, model_validator

from hireflow.domain.models.base import Email, TenantEntity, lower_email
from hireflow.shared.types import JSONObject


class QuestionKind(StrEnum):
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    DATE = "date"
    FREE_TEXT = "free_text"
    LOCATION = "location"
    DOCUMENT = "document"


class QuestionSet(TenantEntity):
    """An ordered list of screening questions for a role, in one language and version."""

    role_id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    version: int = Field(default=1, ge=1)
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    is_active: bool = True


class ScreeningQuestion(TenantEntity):
    """One question of a set; ``options`` lists the choices of choice kinds, ``validation`` their bounds."""

    question_set_id: int
    position: int = Field(ge=0)
    key: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9_]+$")
    kind: QuestionKind
    prompt: str = Field(min_length=1)
    help_text: str | None = None
    options: list[str] = Field(default_factory=list)
    validation: JSONObject = Field(default_factory=dict)
    is_required: bool = True


class ScreeningAnswer(TenantEntity):
    """A candidate's answer to a question; ``value`` holds the typed value, ``raw_text`` what they sent."""

    candidate_id: int
    question_id: int
    value: Any = None
    raw_text: str | None = None
    answered_at: AwareDatetime


class ResponseTiming(TenantEntity):
    """When a question was sent to a candidate and when (if ever) they answered it."""

    candidate_id: int
    question_id: int
    sent_at: AwareDatetime
    answered_at: AwareDatetime | None = None
    response_ms: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _answered_after_sent(self) -> Self:
        if self.answered_at is not None and self.answered_at < self.sent_at:
            raise ValueError("answered_at must not be before sent_at")
        return self


class EligibilityEvaluation(TenantEntity):
    """The result of checking a candidate against a role's criteria; ``results`` holds one entry per criterion
    (``{"criterion", "passed", "reason"}``) and ``criteria`` the criteria as they were evaluated."""

    candidate_id: int
    role_id: int
    evaluated_at: AwareDatetime
    is_eligible: bool
    results: list[JSONObject] = Field(default_factory=list)
    criteria: JSONObject = Field(default_factory=dict)
    actor: str = Field(default="system", max_length=100)


class PhoneInterviewStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NO_ANSWER = "no_answer"
    FAILED = "failed"
    CANCELLED = "cancelled"


class InterviewOutcome(StrEnum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"
    REVIEW = "review"


class PhoneInterview(TenantEntity):
    """A (usually AI-voice) phone interview with a candidate and its outcome."""

    candidate_id: int
    role_id: int | None = None
    question_set_id: int | None = None
    status: PhoneInterviewStatus = PhoneInterviewStatus.SCHEDULED
    provider: str = Field(default="elevenlabs", max_length=50)
    provider_call_id: str | None = Field(default=None, max_length=200)
    scheduled_at: AwareDatetime | None = None
    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    outcome: InterviewOutcome | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    summary: str | None = None
    transcript: str | None = None
    recording_url: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValueError("ended_at must not be before started_at")
        return self


class PhoneInterviewQuestion(TenantEntity):
    """A question asked during a phone interview, with the answer heard and its score."""

    phone_interview_id: int
    screening_question_id: int | None = None
    position: int = Field(ge=0)
    question_text: str = Field(min_length=1)
    answer_text: str | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    notes: str | None = None


class ReferenceStatus(StrEnum):
    REQUESTED = "requested"
    CONTACTED = "contacted"
    RESPONDED = "responded"
    VERIFIED = "verified"
    DECLINED = "declined"
    UNREACHABLE = "unreachable"


class CandidateReference(TenantEntity):
    """A referee named by a candidate, moving through request -> responded -> verified."""

    candidate_id: int
    name: str = Field(min_length=1, max_length=200)
    relationship: str | None = Field(default=None, max_length=100)
    company_name: str | None = Field(default=None, max_length=200)
    phone_e164: str | None = Field(default=None, pattern=r"^\+[1-9]\d{6,14}$")
    email: Email | None = None
    status: ReferenceStatus = ReferenceStatus.REQUESTED
    requested_at: AwareDatetime | None = None
    responded_at: AwareDatetime | None = None
    verified_at: AwareDatetime | None = None
    verified_by_user_id: int | None = None
    rating: int | None = Field(default=None, ge=1, le=5)
    notes: str | None = None

    _lower_email = field_validator("email")(lower_email)

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        if self.phone_e164 is None and self.email is None:
            raise ValueError("a reference needs a phone number or an email address")
        return self


class MessageDirection(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class Channel(StrEnum):
    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"
    PHONE = "phone"


class ReferenceMessage(TenantEntity):
    """A message exchanged with a referee."""

    reference_id: int
    direction: MessageDirection
    channel: Channel
    body: str
    sent_at: AwareDatetime
    external_message_id: str | None = Field(default=None, max_length=200)


class OnboardingResponse(TenantEntity):
    """A hired candidate's answer to one onboarding step (bank details form, uniform size, start date...)."""

    candidate_id: int
    step_key: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9_]+$")
    value: Any = None
    submitted_at: AwareDatetime
