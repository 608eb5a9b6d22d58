"""The ElevenLabs post-call webhook: validated, matched to its interview by conversation id, and stored.

A ``post_call_transcription`` event completes the interview (or marks it unanswered when the candidate never
spoke, failed when the call failed) with its transcript, summary and timestamps; each question of the set gets
a :class:`PhoneInterviewQuestion` with the answer the agent collected, and each answer that is valid for its
question becomes the candidate's :class:`ScreeningAnswer`. A ``call_initiation_failure`` event marks the call
unanswered or failed. An interview already in a final status is left alone, so a redelivered webhook (the
provider retries) changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hireflow.domain.models.screening import (
    InterviewOutcome,
    PhoneInterview,
    PhoneInterviewStatus,
    QuestionKind,
    ScreeningAnswer,
    ScreeningQuestion,
)
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services._support import FunnelEffect, build, revise
from hireflow.domain.services.phone_interview_payloads import (
    CallInitiationFailure,
    CollectedValue,
    PostCallTranscription,
    TranscriptionData,
    Turn,
    parse_post_call,
)
from hireflow.domain.services.phone_interviews import (
    FINAL_STATUSES,
    AnsweredQuestion,
    save_questions,
    set_status,
)
from hireflow.domain.services.screening_answers import AnswerContext, parse_answer
from hireflow.shared.clock import Clock, SystemClock
from hireflow.shared.errors import NotFound, ValidationFailed

PROVIDER = "elevenlabs"
_UNANSWERED_REASONS = frozenset({"no-answer", "busy", "voicemail"})


@dataclass(frozen=True)
class WebhookResult:
    """What a webhook did: the interview as stored, whether anything changed, and the funnel move made."""

    interview: PhoneInterview
    changed: bool
    funnel: FunnelEffect | None = None
    answers_saved: tuple[str, ...] = ()
    answers_rejected: Mapping[str, str] | None = None


class PhoneInterviewWebhooks:
    """Applies voice-provider webhooks to phone interviews."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()

    def handle_post_call(self, company_group_id: int, payload: Mapping[str, Any]) -> WebhookResult:
        """Validate and apply an ElevenLabs webhook; NotFound when no interview has its conversation id."""
        event = parse_post_call(payload)
        with self._uow_factory(company_group_id) as uow:
            interview = uow.phone_interviews.find_by_provider_call(PROVIDER, event.data.conversation_id)
            if interview is None:
                raise NotFound("phone interview", event.data.conversation_id)
            if interview.status in FINAL_STATUSES:
                return WebhookResult(interview, changed=False)
            if isinstance(event, CallInitiationFailure):
                result = _not_connected(uow, interview, event, self._clock.now())
            else:
                result = _transcribed(uow, interview, event)
            uow.commit()
        return result


def _not_connected(
    uow: UnitOfWork, interview: PhoneInterview, event: CallInitiationFailure, now: datetime
) -> WebhookResult:
    reason = event.data.failure_reason
    status = PhoneInterviewStatus.NO_ANSWER if reason in _UNANSWERED_REASONS else PhoneInterviewStatus.FAILED
    at = now if event.event_timestamp is None else _timestamp(event.event_timestamp)
    change = set_status(
        uow, interview, status, at=at, actor=PROVIDER, summary=f"call not connected: {reason}"
    )
    return WebhookResult(change.interview, changed=True, funnel=change.funnel)


def _transcribed(uow: UnitOfWork, interview: PhoneInterview, event: PostCallTranscription) -> WebhookResult:
    data = event.data
    started = _timestamp(data.metadata.start_time_unix_secs)
    ended = started + timedelta(seconds=data.metadata.call_duration_secs)
    status = _status(data)
    questions, language = _questions(uow, interview)
    answered = _collected(questions, data.analysis.data_collection_results, ended, language)
    save_questions(uow, interview, [item.asked for item in answered])
    saved = tuple(_save_answer(uow, interview, item, ended) for item in answered if item.valid)
    outcome = None
    if status is PhoneInterviewStatus.COMPLETED:
        outcome = _outcome(data.analysis.call_successful, answered)
    change = set_status(
        uow,
        interview,
        status,
        at=ended,
        actor=PROVIDER,
        started_at=interview.started_at or started,
        ended_at=ended,
        outcome=outcome,
        summary=data.analysis.transcript_summary,
        transcript=_transcript_text(data.transcript),
    )
    rejected = {item.key: item.problem for item in answered if item.problem}
    return WebhookResult(change.interview, True, change.funnel, saved, rejected)


def _status(data: TranscriptionData) -> PhoneInterviewStatus:
    if data.status == "failed":
        return PhoneInterviewStatus.FAILED
    if data.status != "done":
        raise ValidationFailed(
            f"the ElevenLabs call is '{data.status}', not finished ('done' or 'failed')",
            [{"field": "data.status", "message": "not a final status"}],
        )
    spoke = any(turn.role == "user" and (turn.message or "").strip() for turn in data.transcript)
    return PhoneInterviewStatus.COMPLETED if spoke else PhoneInterviewStatus.NO_ANSWER


@dataclass(frozen=True)
class _Answer:
    """One question's collected answer: what to store on the interview, and its typed value when valid."""

    key: str
    question: ScreeningQuestion | None
    asked: AnsweredQuestion
    valid: bool = False
    value: Any = None
    problem: str | None = None


def _questions(uow: UnitOfWork, interview: PhoneInterview) -> tuple[list[ScreeningQuestion] | None, str]:
    """The questions a phone call asks (documents are collected by message) and the set's language; None
    when the interview has no question set."""
    if interview.question_set_id is None:
        return None, "en"
    question_set = uow.question_sets.get(interview.question_set_id)
    questions = uow.screening_questions.for_set(interview.question_set_id)
    return [q for q in questions if q.kind is not QuestionKind.DOCUMENT], question_set.language


def _collected(
    questions: Sequence[ScreeningQuestion] | None,
    results: Mapping[str, CollectedValue],
    at: datetime,
    language: str,
) -> list[_Answer]:
    """One answer per question of the set; without a set, one per collected key (in key order)."""
    if questions is None:
        return [
            _Answer(key, None, AnsweredQuestion(n, key, _text(item.value), notes=item.rationale))
            for n, (key, item) in enumerate(sorted(results.items()))
        ]
    context = AnswerContext(today=at.date(), language=language)
    return [_judged(q, results.get(q.key), context) for q in questions]


def _judged(question: ScreeningQuestion, item: CollectedValue | None, context: AnswerContext) -> _Answer:
    raw = None if item is None else item.value
    asked = AnsweredQuestion(
        position=question.position,
        question_text=question.prompt,
        answer_text=_text(raw),
        notes=None if item is None else item.rationale,
        screening_question_id=question.id,
    )
    if raw is None or raw == "":
        return _Answer(question.key, question, asked, problem="no answer collected")
    try:
        value = parse_answer(question, raw, context)
    except ValidationFailed as error:
        return _Answer(question.key, question, asked, problem=error.detail)
    return _Answer(question.key, question, asked, valid=True, value=value)


def _save_answer(uow: UnitOfWork, interview: PhoneInterview, item: _Answer, at: datetime) -> str:
    """Store a valid answer as the candidate's screening answer, unless they answered more recently."""
    assert item.question is not None
    assert item.question.id is not None
    existing = uow.screening_answers.find_for(interview.candidate_id, item.question.id)
    values = {"value": item.value, "raw_text": item.asked.answer_text, "answered_at": at}
    if existing is None:
        uow.screening_answers.add(
            build(
                ScreeningAnswer,
                "screening answer",
                company_group_id=interview.company_group_id,
                candidate_id=interview.candidate_id,
                question_id=item.question.id,
                **values,
            )
        )
    elif existing.answered_at <= at:
        uow.screening_answers.update(revise(existing, "screening answer", **values))
    return item.key


def _outcome(call_successful: str, answered: Sequence[_Answer]) -> InterviewOutcome:
    """``pass`` when the agent reached its goal and every required question has a valid answer; else a
    recruiter reviews the call. The webhook never fails a candidate: judging answers is the eligibility check's."""
    complete = all(item.valid for item in answered if item.question is None or item.question.is_required)
    return InterviewOutcome.PASS if call_successful == "success" and complete else InterviewOutcome.REVIEW


def _transcript_text(turns: Sequence[Turn]) -> str:
    lines = []
    for turn in turns:
        if not (turn.message or "").strip():
            continue
        speaker = "Candidate" if turn.role == "user" else "Agent"
        seconds = int(turn.time_in_call_secs or 0)
        lines.append(f"[{seconds // 60:02d}:{seconds % 60:02d}] {speaker}: {turn.message}")
    return "\n".join(lines)


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _timestamp(unix_seconds: int) -> datetime:
    return datetime.fromtimestamp(unix_seconds, UTC)
