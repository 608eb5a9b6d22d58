"""Screening tables: question sets and questions, answers, response timing, eligibility evaluations, phone
interviews and their questions, references and their messages, onboarding responses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.screening import (
    Channel,
    InterviewOutcome,
    MessageDirection,
    PhoneInterviewStatus,
    QuestionKind,
    ReferenceStatus,
)
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
)


def _candidate_fk() -> Mapped[int]:
    return mapped_column(BigIntId, ForeignKey("candidates.id", ondelete="CASCADE"), index=True)


class QuestionSet(IdMixin, TenantMixin, TimestampMixin, Base):
    """An ordered, versioned list of screening questions for a role in one language."""

    __tablename__ = "question_sets"
    __table_args__ = (
        UniqueConstraint("company_group_id", "role_id", "name", "language", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    role_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("roles.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class ScreeningQuestion(IdMixin, TenantMixin, TimestampMixin, Base):
    """One typed question at a position in its set; choices in ``options``, bounds in ``validation``."""

    __tablename__ = "screening_questions"
    __table_args__ = (
        UniqueConstraint("question_set_id", "position"),
        UniqueConstraint("question_set_id", "key"),
        CheckConstraint("position >= 0", name="position_not_negative"),
        enum_check("kind", QuestionKind),
    )

    question_set_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("question_sets.id", ondelete="CASCADE"))
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    help_text: Mapped[str | None] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default=EMPTY_JSON_ARRAY)
    validation: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, server_default=EMPTY_JSON_OBJECT
    )
    is_required: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class ScreeningAnswer(IdMixin, TenantMixin, TimestampMixin, Base):
    """A candidate's validated answer to one question (the latest one wins)."""

    __tablename__ = "screening_answers"
    __table_args__ = (UniqueConstraint("candidate_id", "question_id"),)

    candidate_id: Mapped[int] = _candidate_fk()
    question_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("screening_questions.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    raw_text: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime]


class ResponseTiming(IdMixin, TenantMixin, TimestampMixin, Base):
    """When a question was sent to a candidate and when they answered, for response-time analytics."""

    __tablename__ = "response_timing"
    __table_args__ = (
        UniqueConstraint("candidate_id", "question_id"),
        CheckConstraint("answered_at IS NULL OR answered_at >= sent_at", name="answered_after_sent"),
        CheckConstraint("response_ms IS NULL OR response_ms >= 0", name="response_ms_not_negative"),
    )

    candidate_id: Mapped[int] = _candidate_fk()
    question_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("screening_questions.id", ondelete="CASCADE"), index=True
    )
    sent_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    response_ms: Mapped[int | None] = mapped_column(BigIntId)


class EligibilityEvaluationLog(IdMixin, TenantMixin, TimestampMixin, Base):
    """One evaluation of a candidate against a role's criteria, with the per-criterion results."""

    __tablename__ = "eligibility_evaluation_log"
    __table_args__ = (Index(None, "candidate_id", "evaluated_at"),)

    candidate_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("candidates.id", ondelete="CASCADE"))
    role_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    evaluated_at: Mapped[datetime]
    is_eligible: Mapped[bool] = mapped_column(Boolean)
    results: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONType, default=list, server_default=EMPTY_JSON_ARRAY
    )
    criteria: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, server_default=EMPTY_JSON_OBJECT)
    actor: Mapped[str] = mapped_column(String(100), default="system", server_default="system")


class PhoneInterview(IdMixin, TenantMixin, TimestampMixin, Base):
    """A phone interview (often by an AI voice agent) with its status, outcome and score."""

    __tablename__ = "phone_interviews"
    __table_args__ = (
        UniqueConstraint("company_group_id", "provider", "provider_call_id"),
        enum_check("status", PhoneInterviewStatus),
        enum_check("outcome", InterviewOutcome, nullable=True),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        CheckConstraint(
            "ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at", name="ends_after_start"
        ),
    )

    candidate_id: Mapped[int] = _candidate_fk()
    role_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("roles.id", ondelete="SET NULL"), index=True
    )
    question_set_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("question_sets.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(
        String(20),
        default=PhoneInterviewStatus.SCHEDULED.value,
        server_default=PhoneInterviewStatus.SCHEDULED.value,
    )
    provider: Mapped[str] = mapped_column(String(50), default="elevenlabs", server_default="elevenlabs")
    provider_call_id: Mapped[str | None] = mapped_column(String(200))
    scheduled_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float)
    summary: Mapped[str | None] = mapped_column(Text)
    transcript: Mapped[str | None] = mapped_column(Text)
    recording_url: Mapped[str | None] = mapped_column(String(1000))


class PhoneInterviewQuestion(IdMixin, TenantMixin, TimestampMixin, Base):
    """A question asked in a phone interview, the answer heard and its score."""

    __tablename__ = "phone_interview_questions"
    __table_args__ = (
        UniqueConstraint("phone_interview_id", "position"),
        CheckConstraint("position >= 0", name="position_not_negative"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )

    phone_interview_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("phone_interviews.id", ondelete="CASCADE")
    )
    screening_question_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("screening_questions.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int]
    question_text: Mapped[str] = mapped_column(Text)
    answer_text: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)


class CandidateReference(IdMixin, TenantMixin, TimestampMixin, Base):
    """A referee named by a candidate and where the check stands (requested -> responded -> verified)."""

    __tablename__ = "candidate_references"
    __table_args__ = (
        enum_check("status", ReferenceStatus),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        CheckConstraint("phone_e164 IS NOT NULL OR email IS NOT NULL", name="reachable"),
    )

    candidate_id: Mapped[int] = _candidate_fk()
    name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str | None] = mapped_column(String(100))
    company_name: Mapped[str | None] = mapped_column(String(200))
    phone_e164: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(
        String(20), default=ReferenceStatus.REQUESTED.value, server_default=ReferenceStatus.REQUESTED.value
    )
    requested_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    verified_by_user_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("users.id", ondelete="SET NULL")
    )
    rating: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)


class ReferenceMessage(IdMixin, TenantMixin, TimestampMixin, Base):
    """A message sent to or received from a referee."""

    __tablename__ = "reference_messages"
    __table_args__ = (enum_check("direction", MessageDirection), enum_check("channel", Channel))

    reference_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("candidate_references.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    external_message_id: Mapped[str | None] = mapped_column(String(200), index=True)


class OnboardingResponse(IdMixin, TenantMixin, TimestampMixin, Base):
    """A hired candidate's answer to one onboarding step."""

    __tablename__ = "onboarding_responses"
    __table_args__ = (UniqueConstraint("candidate_id", "step_key"),)

    candidate_id: Mapped[int] = _candidate_fk()
    step_key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    submitted_at: Mapped[datetime]
