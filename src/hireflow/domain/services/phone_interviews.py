"""Phone interviews: schedule one for a candidate, follow the call through its statuses, record what was asked
and answered, and move the candidate in the funnel when the call's result allows it.

The status changes allowed are :data:`INTERVIEW_MOVES`. A funnel move the candidate's state does not allow is
skipped, never an error: the interview is still recorded and the result says why the candidate stayed put.
The voice agent's prompt lives in :mod:`.phone_interview_prompt`, the provider's webhook in
:mod:`.phone_interview_webhook`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from statistics import fmean
from typing import Any

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.screening import (
    InterviewOutcome,
    PhoneInterview,
    PhoneInterviewQuestion,
    PhoneInterviewStatus,
)
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services._support import FunnelEffect, build, move_if_allowed, revise
from hireflow.domain.services.funnel_transitions import live_candidate
from hireflow.shared.clock import Clock, SystemClock, ensure_utc
from hireflow.shared.errors import Conflict, ValidationFailed

_P = PhoneInterviewStatus

INTERVIEW_MOVES: dict[PhoneInterviewStatus, frozenset[PhoneInterviewStatus]] = {
    # A provider may report the end of a call it never reported starting: scheduled -> completed is fine.
    _P.SCHEDULED: frozenset({_P.IN_PROGRESS, _P.COMPLETED, _P.NO_ANSWER, _P.FAILED, _P.CANCELLED}),
    _P.IN_PROGRESS: frozenset({_P.COMPLETED, _P.NO_ANSWER, _P.FAILED, _P.CANCELLED}),
    # Final: another attempt is a new interview, so each call keeps its own record.
    _P.COMPLETED: frozenset(),
    _P.NO_ANSWER: frozenset(),
    _P.FAILED: frozenset(),
    _P.CANCELLED: frozenset(),
}
"""The statuses an interview may move to from each status."""

FINAL_STATUSES = frozenset(status for status, targets in INTERVIEW_MOVES.items() if not targets)

# The funnel move each status asks for, and the states it is made from (None: wherever the funnel allows).
_FUNNEL: dict[PhoneInterviewStatus, tuple[FunnelState, frozenset[FunnelState] | None]] = {
    _P.SCHEDULED: (FunnelState.INTERVIEW_SCHEDULED, None),
    _P.COMPLETED: (FunnelState.INTERVIEWED, None),
    # Only a booked interview makes a missed call a no-show (not, say, a hired candidate's check-in call).
    _P.NO_ANSWER: (FunnelState.NO_SHOW, frozenset({FunnelState.INTERVIEW_SCHEDULED})),
}


@dataclass(frozen=True)
class AnsweredQuestion:
    """A question asked in the call, at ``position``, with what the candidate said and its score (0-100)."""

    position: int
    question_text: str
    answer_text: str | None = None
    score: float | None = None
    notes: str | None = None
    screening_question_id: int | None = None


@dataclass(frozen=True)
class InterviewChange:
    """What a use case did: the interview as stored, its questions, and the funnel move (None: none asked)."""

    interview: PhoneInterview
    questions: tuple[PhoneInterviewQuestion, ...] = ()
    funnel: FunnelEffect | None = None


class PhoneInterviews:
    """Phone interview use cases, each in its own unit of work: ``PhoneInterviews(uow_factory).schedule(...)``."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()

    def schedule(
        self,
        company_group_id: int,
        candidate_id: int,
        *,
        role_id: int | None = None,
        question_set_id: int | None = None,
        scheduled_at: datetime | None = None,
        provider: str = "elevenlabs",
        provider_call_id: str | None = None,
        actor: str = "system",
    ) -> InterviewChange:
        """Book an interview and move the candidate to interview_scheduled when their state allows it."""
        at = self._now()
        with self._uow_factory(company_group_id) as uow:
            live_candidate(uow, candidate_id)
            role_id = _checked_role(uow, role_id, question_set_id)
            interview = uow.phone_interviews.add(
                build(
                    PhoneInterview,
                    "phone interview",
                    company_group_id=company_group_id,
                    candidate_id=candidate_id,
                    role_id=role_id,
                    question_set_id=question_set_id,
                    provider=provider,
                    provider_call_id=provider_call_id,
                    scheduled_at=ensure_utc(scheduled_at) if scheduled_at else None,
                )
            )
            funnel = _funnel_effect(uow, interview, _P.SCHEDULED, at=at, actor=actor)
            uow.commit()
        return InterviewChange(interview, funnel=funnel)

    def start(
        self, company_group_id: int, interview_id: int, *, provider_call_id: str | None = None
    ) -> InterviewChange:
        """The call began (``provider_call_id`` is the provider's id for it, when only known now)."""
        at = self._now()
        changes: dict[str, Any] = {"started_at": at}
        if provider_call_id is not None:
            changes["provider_call_id"] = provider_call_id
        return self._change(company_group_id, interview_id, _P.IN_PROGRESS, changes, at=at)

    def complete(
        self,
        company_group_id: int,
        interview_id: int,
        *,
        outcome: InterviewOutcome | None = None,
        score: float | None = None,
        summary: str | None = None,
        transcript: str | None = None,
        recording_url: str | None = None,
        answers: Sequence[AnsweredQuestion] = (),
        actor: str = "system",
    ) -> InterviewChange:
        """The call ended with a conversation; ``score`` defaults to the mean of the questions' scores."""
        at = self._now()
        with self._uow_factory(company_group_id) as uow:
            interview = uow.phone_interviews.get(interview_id)
            questions = save_questions(uow, interview, answers)
            scores = [q.score for q in questions if q.score is not None]
            changes = {
                "ended_at": at,
                "outcome": outcome,
                "score": score if score is not None else (round(fmean(scores), 2) if scores else None),
                "summary": summary,
                "transcript": transcript,
                "recording_url": recording_url,
            }
            change = set_status(uow, interview, _P.COMPLETED, at=at, actor=actor, **changes)
            uow.commit()
        return InterviewChange(change.interview, tuple(questions), change.funnel)

    def record_answers(
        self, company_group_id: int, interview_id: int, answers: Sequence[AnsweredQuestion]
    ) -> tuple[PhoneInterviewQuestion, ...]:
        """Store (or correct) the questions of an interview by position; returns every question it has."""
        with self._uow_factory(company_group_id) as uow:
            questions = save_questions(uow, uow.phone_interviews.get(interview_id), answers)
            uow.commit()
        return tuple(questions)

    def mark_no_answer(
        self, company_group_id: int, interview_id: int, *, actor: str = "system"
    ) -> InterviewChange:
        """Nobody picked up; a booked candidate becomes a no-show."""
        at = self._now()
        return self._change(
            company_group_id, interview_id, _P.NO_ANSWER, {"ended_at": at}, at=at, actor=actor
        )

    def mark_failed(
        self, company_group_id: int, interview_id: int, *, reason: str | None = None
    ) -> InterviewChange:
        """The call could not take place for a technical reason (kept in ``summary``)."""
        at = self._now()
        changes = {"ended_at": at, "summary": f"call failed: {reason}" if reason else None}
        return self._change(company_group_id, interview_id, _P.FAILED, changes, at=at)

    def cancel(
        self, company_group_id: int, interview_id: int, *, reason: str | None = None
    ) -> InterviewChange:
        """Call the interview off before it took place."""
        changes = {"summary": f"cancelled: {reason}"} if reason else {}
        return self._change(company_group_id, interview_id, _P.CANCELLED, changes, at=self._now())

    def get(self, company_group_id: int, interview_id: int) -> InterviewChange:
        """An interview with its questions by position (``funnel`` is None: nothing was done); raises NotFound."""
        with self._uow_factory(company_group_id) as uow:
            interview = uow.phone_interviews.get(interview_id)
            return InterviewChange(
                interview, tuple(uow.phone_interview_questions.for_interview(interview_id))
            )

    def for_candidate(self, company_group_id: int, candidate_id: int) -> Sequence[PhoneInterview]:
        """A candidate's interviews, by id; raises NotFound for the candidate."""
        with self._uow_factory(company_group_id) as uow:
            uow.candidates.get(candidate_id)
            return uow.phone_interviews.for_candidate(candidate_id)

    def questions(self, company_group_id: int, interview_id: int) -> tuple[PhoneInterviewQuestion, ...]:
        """The questions of an interview, by position."""
        with self._uow_factory(company_group_id) as uow:
            uow.phone_interviews.get(interview_id)
            return tuple(uow.phone_interview_questions.for_interview(interview_id))

    def _change(
        self,
        company_group_id: int,
        interview_id: int,
        status: PhoneInterviewStatus,
        changes: dict[str, Any],
        *,
        at: datetime,
        actor: str = "system",
    ) -> InterviewChange:
        with self._uow_factory(company_group_id) as uow:
            interview = uow.phone_interviews.get(interview_id)
            change = set_status(uow, interview, status, at=at, actor=actor, **changes)
            uow.commit()
        return change

    def _now(self) -> datetime:
        return ensure_utc(self._clock.now())


def set_status(
    uow: UnitOfWork,
    interview: PhoneInterview,
    status: PhoneInterviewStatus,
    *,
    at: datetime,
    actor: str = "system",
    **changes: Any,
) -> InterviewChange:
    """Move an interview to ``status`` with ``changes`` inside an open unit of work, and make the funnel move
    that status asks for; raises Conflict for a status change :data:`INTERVIEW_MOVES` does not allow."""
    if status not in INTERVIEW_MOVES[interview.status]:
        allowed = ", ".join(sorted(s.value for s in INTERVIEW_MOVES[interview.status])) or "none (final)"
        raise Conflict(
            f"phone interview {interview.id} is '{interview.status.value}' and cannot become '{status.value}'; "
            f"allowed: {allowed}",
            status=interview.status.value,
        )
    stored = uow.phone_interviews.update(revise(interview, "phone interview", status=status, **changes))
    return InterviewChange(stored, funnel=_funnel_effect(uow, stored, status, at=at, actor=actor))


def save_questions(
    uow: UnitOfWork, interview: PhoneInterview, answers: Sequence[AnsweredQuestion]
) -> list[PhoneInterviewQuestion]:
    """Upsert the interview's questions by position (unchanged ones are not written); returns them all."""
    assert interview.id is not None
    existing = {q.position: q for q in uow.phone_interview_questions.for_interview(interview.id)}
    positions = [answer.position for answer in answers]
    if len(set(positions)) != len(positions):
        raise ValidationFailed("two answers share a position", [{"field": "answers", "message": "duplicate"}])
    for answer in answers:
        values = {
            "company_group_id": interview.company_group_id,
            "phone_interview_id": interview.id,
            **asdict(answer),
        }
        old = existing.get(answer.position)
        if old is None:
            existing[answer.position] = uow.phone_interview_questions.add(
                build(PhoneInterviewQuestion, "phone interview question", **values)
            )
        elif revised := _changed(old, values):
            existing[answer.position] = uow.phone_interview_questions.update(revised)
    return [existing[position] for position in sorted(existing)]


def _changed(old: PhoneInterviewQuestion, values: dict[str, Any]) -> PhoneInterviewQuestion | None:
    new = revise(old, "phone interview question", **values)
    return None if new == old else new


def _checked_role(uow: UnitOfWork, role_id: int | None, question_set_id: int | None) -> int | None:
    """The interview's role: the one given, else the question set's; NotFound for unknown ids, and
    ValidationFailed when the question set belongs to another role."""
    if role_id is not None:
        uow.roles.get(role_id)
    if question_set_id is None:
        return role_id
    question_set = uow.question_sets.get(question_set_id)
    if role_id is not None and question_set.role_id not in (None, role_id):
        raise ValidationFailed(
            f"question set {question_set_id} belongs to role {question_set.role_id}, not {role_id}",
            [{"field": "question_set_id", "message": "belongs to another role"}],
        )
    return role_id if role_id is not None else question_set.role_id


def _funnel_effect(
    uow: UnitOfWork, interview: PhoneInterview, status: PhoneInterviewStatus, *, at: datetime, actor: str
) -> FunnelEffect | None:
    if status not in _FUNNEL:
        return None
    to_state, only_from = _FUNNEL[status]
    reason = f"phone interview {interview.id} {status.value}"
    return move_if_allowed(
        uow, interview.candidate_id, to_state, at=at, actor=actor, reason=reason, only_from=only_from
    )
