"""Request and response schemas of a candidate's screening routes (answers, eligibility, onboarding, media)."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from hireflow.apps.api.routers.question_sets import KEY_PATTERN, QuestionPublic
from hireflow.apps.api.schemas import PublicRecord
from hireflow.domain.models.candidates import MediaKind
from hireflow.domain.models.funnel import FunnelState


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
