"""A candidate's screening answers and eligibility evaluations: ``/api/v1/candidates/{candidate_id}/...``.

Also the candidate's onboarding responses and (read-only) media. Writes that can move the candidate in the funnel
invalidate the company group's cached funnel analytics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

from fastapi import Body, Path, Query, status

from hireflow.apps.api.deps import Caller, CanReadCandidates, CanWriteCandidates, Services
from hireflow.apps.api.pagination import Cursor, Limit, Page, paginate
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.routers.candidate_screening_schemas import (
    AnswersCreate,
    AnswersRecordedPublic,
    EligibilityCheck,
    EligibilityOutcomePublic,
    EvaluationPublic,
    FunnelEffectPublic,
    FunnelMovePublic,
    MediaPublic,
    OnboardingPublic,
    OnboardingResponsePublic,
    OnboardingSubmit,
    ProgressPublic,
    RecordedAnswerPublic,
    StoredAnswerPublic,
)
from hireflow.apps.api.routers.question_sets import QuestionPublic
from hireflow.apps.api.schemas import NOT_FOUND, WRITE_ERRORS
from hireflow.domain.models.candidates import Candidate, MediaKind
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
