"""A candidate's screening answers and eligibility evaluations: ``/api/v1/candidates/{candidate_id}/...``.

Also the candidate's onboarding responses and (read-only) media. Writes that can move the candidate in the funnel
invalidate the company group's cached funnel analytics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Body, Path, Query, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from hireflow.apps.api.deps import Caller, CanReadCandidates, CanWriteCandidates, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.routers.question_sets import KEY_PATTERN, QuestionPublic
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS, PublicRecord
from hireflow.domain.models.candidates import Candidate, MediaKind
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.screening import ScreeningAnswer, ScreeningQuestion
from hireflow.domain.services.candidate_records import CandidateRecords, OnboardingProgress
from hireflow.domain.services.eligibility import Eligibility
from hireflow.domain.services.funnel_transitions import TransitionResult
from hireflow.domain.services.records import TenantRecords
from hireflow.domain.services.screening_progress import AnswerInput, CandidateScreening, ScreeningProgress

router = new_router(prefix="/api/v1/candidates/{candidate_id}", tags=["screening"])

CandidateId = Annotated[int, Path(ge=1, description="The candidate's id")]
RowT = TypeVar("RowT")
ItemT = TypeVar("ItemT")


class AnswerCreate(BaseModel):
    """One answer: to the question ``question_id``, or to the question ``key`` of the request's set."""

    model_config = ConfigDict(extra="forbid")

    question_id: int | None = Field(default=None, ge=1)
    key: str | None = Field(default=None, min_length=1, max_length=100, pattern=KEY_PATTERN)
    value: Any = Field(description="What the candidate answered, as sent ('yes', '2', '14/02/1998', ...)")

    @model_validator(mode="after")
    def _names_one_question(self) -> AnswerCreate:
        if (self.question_id is None) == (self.key is None):
            raise ValueError("give exactly one of question_id and key")
        return self


class AnswersCreate(BaseModel):
    """Answers to record together: all are stored, or none when any is invalid."""

    model_config = ConfigDict(extra="forbid")

    question_set_id: int | None = Field(default=None, ge=1, description="The set the answers' keys belong to")
    answers: list[AnswerCreate] = Field(min_length=1, max_length=200)


class AnswerPublic(PublicRecord):
    """A candidate's typed answer to a question."""

    candidate_id: int
    question_id: int
    value: Any
    raw_text: str | None
    answered_at: AwareDatetime


class RecordedAnswerPublic(AnswerPublic):
    """An answer as recorded; ``applied`` is false when a later answer was already stored (that one is kept)."""

    applied: bool


class StoredAnswerPublic(AnswerPublic):
    """A stored answer with the question it answers."""

    question_set_id: int
    key: str


class ProgressPublic(BaseModel):
    """How far a candidate is through a question set."""

    question_set_id: int
    answered_keys: list[str]
    required_keys: list[str]
    missing_keys: list[str]
    is_complete: bool
    next_question: QuestionPublic | None = Field(description="The first question still to ask, if any")


class FunnelMovePublic(BaseModel):
    """A funnel move made; ``applied`` is false for one logged but older than the candidate's state."""

    from_state: FunnelState | None
    to_state: FunnelState
    applied: bool


class AnswersRecordedPublic(BaseModel):
    """What recording answers did."""

    answers: list[RecordedAnswerPublic]
    progress: list[ProgressPublic] = Field(description="One per question set answered")
    moves: list[FunnelMovePublic]


class EligibilityCheck(BaseModel):
    """What to evaluate against: the role (default the candidate's) and the job location (default theirs)."""

    model_config = ConfigDict(extra="forbid")

    role_id: int | None = Field(default=None, ge=1)
    location_id: int | None = Field(default=None, ge=1)


class CriterionResult(BaseModel):
    """One criterion of the role, checked."""

    criterion: str
    passed: bool
    reason: str


class EvaluationPublic(PublicRecord):
    """A logged eligibility evaluation; ``criteria`` are the role's criteria as evaluated."""

    candidate_id: int
    role_id: int
    evaluated_at: AwareDatetime
    is_eligible: bool
    results: list[CriterionResult]
    criteria: dict[str, Any]
    actor: str


class EligibilityOutcomePublic(EvaluationPublic):
    """An evaluation just made, and whether it moved the candidate to eligible or ineligible."""

    moved: bool
    funnel_state: FunnelState = Field(description="The candidate's state after the evaluation")


class OnboardingSubmit(BaseModel):
    """The answer to one onboarding step."""

    model_config = ConfigDict(extra="forbid")

    step_key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    value: Any
    required_steps: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Every step onboarding needs; all answered: onboarded",
    )


class OnboardingResponsePublic(PublicRecord):
    """A candidate's answer to one onboarding step."""

    step_key: str
    value: Any
    submitted_at: AwareDatetime


class FunnelEffectPublic(BaseModel):
    """A funnel move a use case asked for: made (``moved``), or skipped and why."""

    to_state: FunnelState
    moved: bool
    skipped: str | None


class OnboardingPublic(BaseModel):
    """A candidate's onboarding against the required steps."""

    responses: list[OnboardingResponsePublic]
    completed_steps: list[str]
    missing_steps: list[str]
    complete: bool
    funnel: list[FunnelEffectPublic]


class MediaPublic(PublicRecord):
    """A file linked to a candidate."""

    candidate_id: int
    kind: MediaKind
    storage_key: str
    content_type: str
    size_bytes: int
    sha256: str | None
    original_filename: str | None


def _actor(caller: Caller) -> str:
    return f"user:{caller.user_id}"


def _require_candidate(services: Services, caller: Caller, candidate_id: int) -> None:
    """NotFound unless the candidate is the caller's company group's."""
    TenantRecords(services.uow_factory, lambda uow: uow.candidates, Candidate, "candidate").get(
        caller.company_group_id, candidate_id
    )


def _page(
    rows: Sequence[RowT],
    limit: int,
    cursor: str | None,
    public: Callable[[RowT], ItemT],
    key: Callable[[RowT], int],
) -> Page[ItemT]:
    """A page of rows already loaded (a candidate's few), in ``key`` (id) order."""
    ordered = sorted(rows, key=key)
    return paginate(
        lambda n, after: [row for row in ordered if after is None or key(row) > after][:n],
        limit,
        cursor,
        public,
        key,
    )


def _progress(progress: ScreeningProgress) -> ProgressPublic:
    question = progress.next_question
    return ProgressPublic(
        question_set_id=progress.question_set_id,
        answered_keys=list(progress.answered_keys),
        required_keys=list(progress.required_keys),
        missing_keys=list(progress.missing_keys),
        is_complete=progress.is_complete,
        next_question=QuestionPublic.model_validate(question) if question else None,
    )


def _stored(pair: tuple[ScreeningAnswer, ScreeningQuestion]) -> StoredAnswerPublic:
    answer, question = pair
    values = answer.model_dump() | {"question_set_id": question.question_set_id, "key": question.key}
    return StoredAnswerPublic.model_validate(values)


@router.post("/answers", response_model=AnswersRecordedPublic, responses=WRITE_ERRORS)
def record_answers(
    candidate_id: CandidateId, body: AnswersCreate, caller: CanWriteCandidates, services: Services
) -> AnswersRecordedPublic:
    """Record screening answers (all or none; 422 lists every invalid one) and move the candidate on."""
    items = [AnswerInput(a.value, question_id=a.question_id, key=a.key) for a in body.answers]
    recorded = CandidateScreening(services.uow_factory, services.clock).record_answers(
        caller.company_group_id,
        candidate_id,
        items,
        question_set_id=body.question_set_id,
        actor=_actor(caller),
    )
    moves = [move for item in recorded for move in item.moves]
    if moves:
        services.funnel_cache.invalidate(caller.company_group_id)
    progress = {item.progress.question_set_id: item.progress for item in recorded}
    return AnswersRecordedPublic(
        answers=[RecordedAnswerPublic(**i.answer.model_dump(), applied=i.applied) for i in recorded],
        progress=[_progress(p) for p in progress.values()],
        moves=[
            FunnelMovePublic(
                from_state=move.entry.from_state if move.entry else None,
                to_state=move.entry.to_state if move.entry else move.candidate.funnel_state,
                applied=move.result is TransitionResult.APPLIED,
            )
            for move in moves
        ],
    )


@router.get("/answers", response_model=Page[StoredAnswerPublic], responses=NOT_FOUND)
def list_answers(
    candidate_id: CandidateId,
    caller: CanReadCandidates,
    services: Services,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[StoredAnswerPublic]:
    """List a candidate's screening answers, in id order."""
    pairs = CandidateScreening(services.uow_factory).answers(caller.company_group_id, candidate_id)
    return _page(pairs, limit, cursor, _stored, lambda pair: pair[0].id or 0)


@router.get("/screening-progress", response_model=ProgressPublic, responses=NOT_FOUND)
def screening_progress(
    candidate_id: CandidateId,
    question_set_id: Annotated[int, Query(ge=1, description="The question set to measure against")],
    caller: CanReadCandidates,
    services: Services,
) -> ProgressPublic:
    """Get how far a candidate is through a question set, and the next question to ask."""
    screening = CandidateScreening(services.uow_factory)
    return _progress(screening.screening_progress(caller.company_group_id, candidate_id, question_set_id))


@router.post(
    "/eligibility",
    response_model=EligibilityOutcomePublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
)
def evaluate_eligibility(
    candidate_id: CandidateId,
    caller: CanWriteCandidates,
    services: Services,
    body: Annotated[EligibilityCheck | None, Body()] = None,
) -> EligibilityOutcomePublic:
    """Evaluate a candidate against a role's criteria, log it, and move them to eligible or ineligible."""
    check = body or EligibilityCheck()
    outcome = Eligibility(services.uow_factory, services.clock).evaluate(
        caller.company_group_id,
        candidate_id,
        role_id=check.role_id,
        location_id=check.location_id,
        actor=_actor(caller),
    )
    if outcome.move is not None:
        services.funnel_cache.invalidate(caller.company_group_id)
    return EligibilityOutcomePublic.model_validate(
        outcome.evaluation.model_dump()
        | {"moved": outcome.moved, "funnel_state": outcome.candidate.funnel_state}
    )


@router.get("/eligibility", response_model=Page[EvaluationPublic], responses=NOT_FOUND)
def eligibility_history(
    candidate_id: CandidateId,
    caller: CanReadCandidates,
    services: Services,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[EvaluationPublic]:
    """List a candidate's eligibility evaluations, oldest first."""
    _require_candidate(services, caller, candidate_id)
    evaluations = Eligibility(services.uow_factory).history(caller.company_group_id, candidate_id)
    return _page(evaluations, limit, cursor, EvaluationPublic.model_validate, lambda e: e.id or 0)


def _onboarding(progress: OnboardingProgress) -> OnboardingPublic:
    return OnboardingPublic(
        responses=[OnboardingResponsePublic.model_validate(r) for r in progress.responses],
        completed_steps=list(progress.completed_steps),
        missing_steps=list(progress.missing_steps),
        complete=progress.complete,
        funnel=[
            FunnelEffectPublic(to_state=effect.to_state, moved=effect.moved, skipped=effect.skipped)
            for effect in progress.funnel
        ],
    )


@router.get("/onboarding", response_model=OnboardingPublic, responses=NOT_FOUND)
def onboarding_progress(
    candidate_id: CandidateId,
    caller: CanReadCandidates,
    services: Services,
    required_steps: Annotated[
        list[str] | None, Query(max_length=100, description="Steps onboarding needs")
    ] = None,
) -> OnboardingPublic:
    """Get a candidate's onboarding responses and the required steps still missing."""
    records = CandidateRecords(services.uow_factory, services.clock)
    return _onboarding(
        records.onboarding_progress(caller.company_group_id, candidate_id, required_steps or [])
    )


@router.post("/onboarding", response_model=OnboardingPublic, responses=WRITE_ERRORS)
def submit_onboarding(
    candidate_id: CandidateId, body: OnboardingSubmit, caller: CanWriteCandidates, services: Services
) -> OnboardingPublic:
    """Store the answer to an onboarding step; hired becomes onboarding, and onboarded once all are answered."""
    progress = CandidateRecords(services.uow_factory, services.clock).submit_onboarding(
        caller.company_group_id,
        candidate_id,
        body.step_key,
        body.value,
        required_steps=body.required_steps,
        actor=_actor(caller),
    )
    if any(effect.result is not None for effect in progress.funnel):
        services.funnel_cache.invalidate(caller.company_group_id)
    return _onboarding(progress)


@router.get("/media", response_model=Page[MediaPublic], responses=NOT_FOUND)
def list_media(
    candidate_id: CandidateId,
    caller: CanReadCandidates,
    services: Services,
    *,
    kind: Annotated[MediaKind | None, Query(description="Only files of this kind")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[MediaPublic]:
    """List a candidate's files (of one kind, if given), in id order."""
    _require_candidate(services, caller, candidate_id)
    files = CandidateRecords(services.uow_factory).media(caller.company_group_id, candidate_id, kind)
    return _page(files, limit, cursor, MediaPublic.model_validate, lambda f: f.id or 0)
