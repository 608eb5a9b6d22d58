"""Screening a candidate: record that a question was sent, record (validated) answers, and follow their progress
through a question set, moving them along the funnel as they go.

Funnel moves, made in the same unit of work as the answer:

* the first answer moves a ``lead`` or ``contacted`` candidate to ``screening``;
* the answer that completes every required question of the set moves a ``screening`` candidate to ``screened``.

Candidates in any other state (already screened, eligible, withdrawn...) keep their state: an answer is still
stored, but re-engaging or re-screening someone is a decision for a recruiter, not a side effect of a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.screening import QuestionKind, ResponseTiming, ScreeningAnswer, ScreeningQuestion
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services.funnel_transitions import (
    CandidateMoved,
    TransitionResult,
    live_candidate,
    transition,
)
from hireflow.domain.services.screening_answers import AnswerContext, parse_answer
from hireflow.domain.services.screening_rules import Problems
from hireflow.shared.clock import Clock, SystemClock, ensure_utc
from hireflow.shared.errors import ValidationFailed

_BEFORE_SCREENING = frozenset({FunnelState.LEAD, FunnelState.CONTACTED})


@dataclass(frozen=True)
class ScreeningProgress:
    """How far a candidate is through a question set. ``next_question`` is the first question in order that
    is unanswered, skipping optional questions that were already sent (the candidate chose not to answer)."""

    question_set_id: int
    answered_keys: tuple[str, ...]
    required_keys: tuple[str, ...]
    missing_keys: tuple[str, ...]
    next_question: ScreeningQuestion | None

    @property
    def answered(self) -> int:
        """How many questions of the set are answered."""
        return len(self.answered_keys)

    @property
    def required(self) -> int:
        """How many questions of the set are required."""
        return len(self.required_keys)

    @property
    def is_complete(self) -> bool:
        """True when every required question is answered."""
        return not self.missing_keys


@dataclass(frozen=True)
class AnswerRecorded:
    """The outcome of recording an answer. ``applied`` is False when a later answer to the same question was
    already stored: that one is kept (the latest wins) and returned as ``answer``."""

    answer: ScreeningAnswer
    applied: bool
    progress: ScreeningProgress
    moves: tuple[CandidateMoved, ...]

    @property
    def funnel_state(self) -> FunnelState | None:
        """The candidate's state after the last funnel move made, or None when none was made."""
        return self.moves[-1].candidate.funnel_state if self.moves else None


def progress_in(uow: UnitOfWork, candidate_id: int, question_set_id: int) -> ScreeningProgress:
    """A candidate's progress through a question set, inside an open unit of work; raises NotFound."""
    uow.question_sets.get(question_set_id)
    questions = uow.screening_questions.for_set(question_set_id)
    answered = {a.question_id for a in uow.screening_answers.for_candidate(candidate_id)}
    sent = {t.question_id for t in uow.response_timings.for_candidate(candidate_id)}
    return _progress(question_set_id, questions, answered, sent)


def _progress(
    question_set_id: int,
    questions: Sequence[ScreeningQuestion],
    answered: AbstractSet[int | None],
    sent: AbstractSet[int | None],
) -> ScreeningProgress:
    unanswered = [q for q in questions if q.id not in answered]
    pending = [q for q in unanswered if q.is_required or q.id not in sent]
    return ScreeningProgress(
        question_set_id=question_set_id,
        answered_keys=tuple(q.key for q in questions if q.id in answered),
        required_keys=tuple(q.key for q in questions if q.is_required),
        missing_keys=tuple(q.key for q in unanswered if q.is_required),
        next_question=pending[0] if pending else None,
    )


def record_question_sent_in(
    uow: UnitOfWork, candidate_id: int, question_id: int, at: datetime
) -> ResponseTiming:
    """Record when a question was sent, inside an open unit of work. A question sent again (a reminder) keeps
    its first ``sent_at``: response times count from the first time it was asked."""
    at = ensure_utc(at)
    existing = uow.response_timings.find_for(candidate_id, question_id)
    if existing is not None:
        return existing
    question = uow.screening_questions.get(question_id)
    live_candidate(uow, candidate_id)
    timing = ResponseTiming(
        company_group_id=question.company_group_id,
        candidate_id=candidate_id,
        question_id=question_id,
        sent_at=at,
    )
    return uow.response_timings.add(timing)


def record_answer_in(
    uow: UnitOfWork, candidate_id: int, question_id: int, raw: object, at: datetime, *, actor: str = "system"
) -> AnswerRecorded:
    """Validate and store an answer inside an open unit of work (the caller commits); see the module doc for the
    funnel moves. Raises ValidationFailed (field ``answer``) without writing anything, or NotFound."""
    at = ensure_utc(at)
    question = uow.screening_questions.get(question_id)
    candidate = live_candidate(uow, candidate_id)
    question_set = uow.question_sets.get(question.question_set_id)
    media = uow.candidate_media.for_candidate(candidate_id) if question.kind is QuestionKind.DOCUMENT else ()
    context = AnswerContext(today=at.date(), language=question_set.language, media=media)
    value = parse_answer(question, raw, context)
    answer, applied = _upsert_answer(uow, question, candidate_id, value=value, raw=raw, at=at)
    _record_response_time(uow, candidate_id, question_id, at)
    moves: list[CandidateMoved] = []
    if candidate.funnel_state in _BEFORE_SCREENING:
        moves.append(
            transition(uow, candidate_id, FunnelState.SCREENING, at=at, actor=actor, reason="answered")
        )
    progress = progress_in(uow, candidate_id, question.question_set_id)
    state = moves[-1].candidate.funnel_state if moves else candidate.funnel_state
    if progress.is_complete and state is FunnelState.SCREENING:
        reason = f"answered every required question of question set {question_set.id}"
        moves.append(transition(uow, candidate_id, FunnelState.SCREENED, at=at, actor=actor, reason=reason))
    applied_moves = tuple(m for m in moves if m.result is not TransitionResult.UNCHANGED)
    return AnswerRecorded(answer=answer, applied=applied, progress=progress, moves=applied_moves)


def _upsert_answer(
    uow: UnitOfWork,
    question: ScreeningQuestion,
    candidate_id: int,
    *,
    value: object,
    raw: object,
    at: datetime,
) -> tuple[ScreeningAnswer, bool]:
    """Store the answer, replacing an older one; an answer older than the stored one is not applied."""
    assert question.id is not None
    raw_text = raw if isinstance(raw, str) else None
    existing = uow.screening_answers.find_for(candidate_id, question.id)
    if existing is not None and existing.answered_at > at:
        return existing, False
    if existing is not None:
        changes = {"value": value, "raw_text": raw_text, "answered_at": at}
        return uow.screening_answers.update(existing.model_copy(update=changes)), True
    answer = ScreeningAnswer(
        company_group_id=question.company_group_id,
        candidate_id=candidate_id,
        question_id=question.id,
        value=value,
        raw_text=raw_text,
        answered_at=at,
    )
    return uow.screening_answers.add(answer), True


def _record_response_time(uow: UnitOfWork, candidate_id: int, question_id: int, at: datetime) -> None:
    """Complete the question's timing with its first answer; without a recorded send there is nothing to time."""
    timing = uow.response_timings.find_for(candidate_id, question_id)
    if (
        timing is None or at < timing.sent_at
    ):  # answered "before" it was sent: clock skew, not a response time
        return
    if timing.answered_at is not None and timing.answered_at <= at:
        return
    response_ms = round((at - timing.sent_at).total_seconds() * 1000)
    uow.response_timings.update(timing.model_copy(update={"answered_at": at, "response_ms": response_ms}))


@dataclass(frozen=True)
class AnswerInput:
    """One answer of a batch: to the question ``question_id``, or to the question ``key`` of the batch's set."""

    value: object
    question_id: int | None = None
    key: str | None = None


def _question_for(
    uow: UnitOfWork, item: AnswerInput, question_set_id: int | None, where: str, problems: Problems
) -> ScreeningQuestion | None:
    """The question a batch answer is for; None (and the problem recorded) when it names none of this tenant."""
    if item.question_id is not None:
        question = uow.screening_questions.find(item.question_id)
        if question is None:
            problems.add(f"{where}.question_id", f"there is no question {item.question_id}")
        elif question_set_id is not None and question.question_set_id != question_set_id:
            problems.add(
                f"{where}.question_id", f"question {item.question_id} is not in set {question_set_id}"
            )
        else:
            return question
        return None
    if item.key is None or question_set_id is None:
        problems.add(where, "name the question: its question_id, or its key and the batch's question_set_id")
        return None
    found = uow.screening_questions.find_by_key(question_set_id, item.key)
    if found is None:
        problems.add(f"{where}.key", f"question set {question_set_id} has no question {item.key!r}")
    return found


class CandidateScreening:
    """Screening use cases, each one unit of work committed on success: ``CandidateScreening(uow_factory)``."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()

    def record_question_sent(
        self, company_group_id: int, candidate_id: int, question_id: int, at: datetime | None = None
    ) -> ResponseTiming:
        """Record that a question was sent (``at`` defaults to now); see :func:`record_question_sent_in`."""
        with self._uow_factory(company_group_id) as uow:
            timing = record_question_sent_in(
                uow, candidate_id, question_id, ensure_utc(at or self._clock.now())
            )
            uow.commit()
        return timing

    def record_answer(
        self,
        company_group_id: int,
        candidate_id: int,
        question_id: int,
        raw: object,
        at: datetime | None = None,
        *,
        actor: str = "system",
    ) -> AnswerRecorded:
        """Validate and store a candidate's answer (``at`` defaults to now) and move them along the funnel."""
        with self._uow_factory(company_group_id) as uow:
            recorded = record_answer_in(
                uow, candidate_id, question_id, raw, at or self._clock.now(), actor=actor
            )
            uow.commit()
        return recorded

    def screening_progress(
        self, company_group_id: int, candidate_id: int, question_set_id: int
    ) -> ScreeningProgress:
        """How far a candidate is through a question set; raises NotFound."""
        with self._uow_factory(company_group_id) as uow:
            uow.candidates.get(candidate_id)
            return progress_in(uow, candidate_id, question_set_id)

    def record_answers(
        self,
        company_group_id: int,
        candidate_id: int,
        answers: Sequence[AnswerInput],
        *,
        question_set_id: int | None = None,
        actor: str = "system",
    ) -> tuple[AnswerRecorded, ...]:
        """Validate and store several answers now, in order and all or none, moving the candidate as
        :meth:`record_answer` does. ValidationFailed lists every bad answer (``answers[2].value``...) and writes
        nothing; NotFound for the candidate or ``question_set_id``."""
        at = ensure_utc(self._clock.now())
        problems = Problems()
        recorded: list[AnswerRecorded] = []
        with self._uow_factory(company_group_id) as uow:
            live_candidate(uow, candidate_id)
            if question_set_id is not None:
                uow.question_sets.get(question_set_id)
            for index, item in enumerate(answers):
                where = f"answers[{index}]"
                question = _question_for(uow, item, question_set_id, where, problems)
                if question is None or question.id is None:
                    continue
                try:
                    recorded.append(
                        record_answer_in(uow, candidate_id, question.id, item.value, at, actor=actor)
                    )
                except ValidationFailed as error:  # raised before the answer wrote anything
                    for found in error.errors:
                        extra = {k: v for k, v in found.items() if k not in ("field", "message")}
                        problems.add(f"{where}.value", str(found.get("message", "")), **extra)
            problems.raise_if_any("the answers")
            uow.commit()
        return tuple(recorded)

    def answers(
        self, company_group_id: int, candidate_id: int
    ) -> list[tuple[ScreeningAnswer, ScreeningQuestion]]:
        """A candidate's answers, oldest first, each with the question it answers; raises NotFound."""
        with self._uow_factory(company_group_id) as uow:
            uow.candidates.get(candidate_id)
            questions: dict[int, ScreeningQuestion] = {}
            pairs = []
            for answer in uow.screening_answers.for_candidate(candidate_id):
                if answer.question_id not in questions:
                    questions[answer.question_id] = uow.screening_questions.get(answer.question_id)
                pairs.append((answer, questions[answer.question_id]))
        return pairs
