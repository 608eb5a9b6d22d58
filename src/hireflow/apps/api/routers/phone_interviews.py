"""Phone interviews: ``/api/v1/phone-interviews`` and ``/api/v1/candidates/{candidate_id}/phone-interviews``.

An interview goes scheduled -> in_progress -> completed (or no_answer, failed, cancelled); those four are final,
and another attempt is a new interview. Scheduling, completing and a missed call move the candidate in the
funnel when their state allows it (the response says what happened), so they invalidate cached funnel analytics.
The voice provider's post-call webhook is not exposed here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hireflow.apps.api.deps import Caller, CanReadCandidates, CanWriteCandidates, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.screening import InterviewOutcome, PhoneInterview, PhoneInterviewStatus
from hireflow.domain.services.phone_interviews import AnsweredQuestion, InterviewChange, PhoneInterviews
from hireflow.domain.services.records import TenantRecords

router = new_router(tags=["phone-interviews"])

BASE = "/api/v1/phone-interviews"
CANDIDATE_BASE = "/api/v1/candidates/{candidate_id}/phone-interviews"

InterviewId = Annotated[int, Path(ge=1, description="The phone interview's id")]
CandidateId = Annotated[int, Path(ge=1, description="The candidate's id")]
Reason = Annotated[str | None, Field(max_length=500)]


class InterviewCreate(BaseModel):
    """An interview to book; the role defaults to the question set's."""

    model_config = ConfigDict(extra="forbid")

    role_id: int | None = Field(default=None, ge=1)
    question_set_id: int | None = Field(default=None, ge=1)
    scheduled_at: AwareDatetime | None = None
    provider: str = Field(default="elevenlabs", min_length=1, max_length=50)
    provider_call_id: str | None = Field(default=None, max_length=200)


class InterviewStart(BaseModel):
    """The call began."""

    model_config = ConfigDict(extra="forbid")

    provider_call_id: str | None = Field(default=None, max_length=200, description="When only known now")


class AnswerIn(BaseModel):
    """A question asked at ``position``, what the candidate said, and its score (0-100)."""

    model_config = ConfigDict(extra="forbid")

    position: int = Field(ge=0)
    question_text: str = Field(min_length=1, max_length=2000)
    answer_text: str | None = Field(default=None, max_length=10_000)
    score: float | None = Field(default=None, ge=0, le=100)
    notes: str | None = Field(default=None, max_length=2000)
    screening_question_id: int | None = Field(default=None, ge=1)


class AnswersIn(BaseModel):
    """Questions to store or correct, by position."""

    model_config = ConfigDict(extra="forbid")

    answers: list[AnswerIn] = Field(min_length=1, max_length=200)


class InterviewComplete(BaseModel):
    """How the call went; ``score`` defaults to the mean of the answers' scores."""

    model_config = ConfigDict(extra="forbid")

    outcome: InterviewOutcome | None = None
    score: float | None = Field(default=None, ge=0, le=100)
    summary: str | None = Field(default=None, max_length=10_000)
    transcript: str | None = Field(default=None, max_length=500_000)
    recording_url: str | None = Field(default=None, max_length=1000)
    answers: list[AnswerIn] = Field(default_factory=list, max_length=200)


class WithReason(BaseModel):
    """Why (optional; kept in the interview's summary)."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason = None


class InterviewQuestionPublic(PublicRecord):
    """A question asked in the interview, with the answer heard and its score."""

    position: int
    screening_question_id: int | None
    question_text: str
    answer_text: str | None
    score: float | None
    notes: str | None


class InterviewPublic(PublicRecord):
    """A phone interview."""

    candidate_id: int
    role_id: int | None
    question_set_id: int | None
    status: PhoneInterviewStatus
    provider: str
    provider_call_id: str | None
    scheduled_at: AwareDatetime | None
    started_at: AwareDatetime | None
    ended_at: AwareDatetime | None
    outcome: InterviewOutcome | None
    score: float | None
    summary: str | None
    transcript: str | None
    recording_url: str | None


class FunnelEffectPublic(BaseModel):
    """The funnel move the change asked for: made (``moved``), or skipped and why."""

    to_state: FunnelState
    moved: bool
    skipped: str | None


class InterviewChangedPublic(InterviewPublic):
    """A phone interview after a change, and the funnel move the change asked for (null: none)."""

    funnel: FunnelEffectPublic | None = None


class InterviewDetailPublic(InterviewChangedPublic):
    """A phone interview with its questions by position."""

    questions: list[InterviewQuestionPublic]


def _interviews(services: Services) -> PhoneInterviews:
    return PhoneInterviews(services.uow_factory, services.clock)


def _actor(caller: Caller) -> str:
    return f"user:{caller.user_id}"


def _changed(change: InterviewChange) -> InterviewChangedPublic:
    effect = change.funnel
    return InterviewChangedPublic(
        **InterviewPublic.model_validate(change.interview).model_dump(),
        funnel=FunnelEffectPublic(to_state=effect.to_state, moved=effect.moved, skipped=effect.skipped)
        if effect
        else None,
    )


def _detail(change: InterviewChange) -> InterviewDetailPublic:
    return InterviewDetailPublic(
        **_changed(change).model_dump(),
        questions=[InterviewQuestionPublic.model_validate(q) for q in change.questions],
    )


def _invalidate(services: Services, caller: Caller, change: InterviewChange) -> None:
    """A funnel move the change tried (made or logged late) makes cached funnel analytics stale."""
    if change.funnel is not None and change.funnel.result is not None:
        services.funnel_cache.invalidate(caller.company_group_id)


def _answered(answers: list[AnswerIn]) -> list[AnsweredQuestion]:
    return [AnsweredQuestion(**answer.model_dump()) for answer in answers]


@router.get(BASE, response_model=Page[InterviewPublic])
def list_interviews(
    caller: CanReadCandidates, services: Services, limit: Limit = 50, cursor: Cursor = None
) -> Page[InterviewPublic]:
    """List phone interviews, in id order."""
    records = TenantRecords(
        services.uow_factory, lambda uow: uow.phone_interviews, PhoneInterview, "phone interview"
    )
    return paginate(
        lambda n, after: records.list(caller.company_group_id, limit=n, after_id=after),
        limit,
        cursor,
        InterviewPublic.model_validate,
    )


@router.get(BASE + "/{interview_id}", response_model=InterviewDetailPublic, responses=NOT_FOUND)
def get_interview(
    interview_id: InterviewId, caller: CanReadCandidates, services: Services
) -> InterviewDetailPublic:
    """Get a phone interview with its questions."""
    return _detail(_interviews(services).get(caller.company_group_id, interview_id))


@router.get(CANDIDATE_BASE, response_model=Page[InterviewPublic], responses=NOT_FOUND)
def list_candidate_interviews(
    candidate_id: CandidateId,
    caller: CanReadCandidates,
    services: Services,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[InterviewPublic]:
    """List a candidate's phone interviews, in id order."""
    found = sorted(
        _interviews(services).for_candidate(caller.company_group_id, candidate_id), key=lambda i: i.id or 0
    )
    return paginate(
        lambda n, after: [i for i in found if after is None or (i.id or 0) > after][:n],
        limit,
        cursor,
        InterviewPublic.model_validate,
    )


@router.post(
    CANDIDATE_BASE,
    response_model=InterviewChangedPublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def schedule_interview(
    candidate_id: CandidateId, body: InterviewCreate, caller: CanWriteCandidates, services: Services
) -> InterviewChangedPublic:
    """Book a phone interview; the candidate moves to interview_scheduled when their state allows it."""
    change = _interviews(services).schedule(
        caller.company_group_id, candidate_id, **body.model_dump(), actor=_actor(caller)
    )
    _invalidate(services, caller, change)
    return _changed(change)


@router.post(BASE + "/{interview_id}/start", response_model=InterviewChangedPublic, responses=WRITE_ERRORS)
def start_interview(
    interview_id: InterviewId,
    caller: CanWriteCandidates,
    services: Services,
    body: InterviewStart | None = None,
) -> InterviewChangedPublic:
    """Mark that the call began."""
    call_id = body.provider_call_id if body else None
    change = _interviews(services).start(caller.company_group_id, interview_id, provider_call_id=call_id)
    _invalidate(services, caller, change)
    return _changed(change)


@router.post(BASE + "/{interview_id}/complete", response_model=InterviewDetailPublic, responses=WRITE_ERRORS)
def complete_interview(
    interview_id: InterviewId, body: InterviewComplete, caller: CanWriteCandidates, services: Services
) -> InterviewDetailPublic:
    """Record how the call went, with its answers; the candidate moves to interviewed when allowed."""
    values = body.model_dump(exclude={"answers"})
    change = _interviews(services).complete(
        caller.company_group_id,
        interview_id,
        **values,
        answers=_answered(body.answers),
        actor=_actor(caller),
    )
    _invalidate(services, caller, change)
    return _detail(change)


@router.post(BASE + "/{interview_id}/answers", response_model=InterviewDetailPublic, responses=WRITE_ERRORS)
def record_interview_answers(
    interview_id: InterviewId, body: AnswersIn, caller: CanWriteCandidates, services: Services
) -> InterviewDetailPublic:
    """Store or correct questions of an interview by position; returns the interview with every question."""
    interviews = _interviews(services)
    interviews.record_answers(caller.company_group_id, interview_id, _answered(body.answers))
    return _detail(interviews.get(caller.company_group_id, interview_id))


@router.post(
    BASE + "/{interview_id}/no-answer", response_model=InterviewChangedPublic, responses=WRITE_ERRORS
)
def mark_no_answer(
    interview_id: InterviewId, caller: CanWriteCandidates, services: Services
) -> InterviewChangedPublic:
    """Record that nobody picked up; a booked candidate becomes a no-show."""
    change = _interviews(services).mark_no_answer(caller.company_group_id, interview_id, actor=_actor(caller))
    _invalidate(services, caller, change)
    return _changed(change)


@router.post(BASE + "/{interview_id}/failed", response_model=InterviewChangedPublic, responses=WRITE_ERRORS)
def mark_failed(
    interview_id: InterviewId, caller: CanWriteCandidates, services: Services, body: WithReason | None = None
) -> InterviewChangedPublic:
    """Record that the call could not take place for a technical reason."""
    reason = body.reason if body else None
    change = _interviews(services).mark_failed(caller.company_group_id, interview_id, reason=reason)
    _invalidate(services, caller, change)
    return _changed(change)


@router.post(BASE + "/{interview_id}/cancel", response_model=InterviewChangedPublic, responses=WRITE_ERRORS)
def cancel_interview(
    interview_id: InterviewId, caller: CanWriteCandidates, services: Services, body: WithReason | None = None
) -> InterviewChangedPublic:
    """Call the interview off before it took place."""
    reason = body.reason if body else None
    change = _interviews(services).cancel(caller.company_group_id, interview_id, reason=reason)
    _invalidate(services, caller, change)
    return _changed(change)
