"""Response-time analytics of a question set: per question median and p90 response time and answer rate, where
candidates abandon the set, and how many complete it.

Everything is computed in Python over the timings and answers of one question set, so a report reads a bounded
number of rows. Definitions:

* a candidate *started* the set when at least one of its questions was sent to them or answered by them;
* they *completed* it when every required question is answered;
* an incomplete candidate's *abandonment point* is the question most recently sent to them that they did not
  answer; one with no such question (they answered all they were sent) counts in ``abandoned_without_pending``.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from hireflow.domain.models.screening import ResponseTiming, ScreeningAnswer, ScreeningQuestion
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class QuestionStats:
    """Response statistics of one question; times are in seconds, None when nothing was measured."""

    question_id: int
    key: str
    position: int
    sent: int
    answered: int
    answer_rate: float | None
    median_seconds: float | None
    p90_seconds: float | None


@dataclass(frozen=True)
class AbandonmentPoint:
    """How many incomplete candidates stopped at a question, and their share of all who stopped there or
    elsewhere (``abandoned``)."""

    question_id: int
    key: str
    position: int
    candidates: int
    share: float


@dataclass(frozen=True)
class QuestionSetReport:
    """The response-time and abandonment report of a question set; see the module doc for definitions."""

    question_set_id: int
    questions: tuple[QuestionStats, ...]
    started: int
    completed: int
    abandonment: tuple[AbandonmentPoint, ...]
    abandoned_without_pending: int

    @property
    def abandoned(self) -> int:
        """Candidates who started but did not complete the set."""
        return self.started - self.completed

    @property
    def completion_rate(self) -> float | None:
        """Completed over started, or None when nobody started."""
        return self.completed / self.started if self.started else None

    @property
    def top_abandonment(self) -> AbandonmentPoint | None:
        """The question where most incomplete candidates stop, or None."""
        return self.abandonment[0] if self.abandonment else None


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` quantile (0..1) by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def question_stats(
    question: ScreeningQuestion, timings: Sequence[ResponseTiming], answered_by: set[int]
) -> QuestionStats:
    """Statistics of one question from its timings; ``answered_by`` holds the candidates who answered it."""
    assert question.id is not None
    answered = sum(1 for t in timings if t.answered_at is not None or t.candidate_id in answered_by)
    seconds = [t.response_ms / 1000 for t in timings if t.response_ms is not None]
    return QuestionStats(
        question_id=question.id,
        key=question.key,
        position=question.position,
        sent=len(timings),
        answered=answered,
        answer_rate=answered / len(timings) if timings else None,
        median_seconds=statistics.median(seconds) if seconds else None,
        p90_seconds=percentile(seconds, 0.9),
    )


def build_report(
    question_set_id: int,
    questions: Sequence[ScreeningQuestion],
    timings: Sequence[ResponseTiming],
    answers: Sequence[ScreeningAnswer],
) -> QuestionSetReport:
    """The report of a question set from its questions, timings and answers (pure)."""
    timings_of: dict[int, list[ResponseTiming]] = defaultdict(list)
    for timing in timings:
        timings_of[timing.question_id].append(timing)
    answered_by: dict[int, set[int]] = defaultdict(set)  # question -> candidates
    for answer in answers:
        answered_by[answer.question_id].add(answer.candidate_id)
    stats = tuple(question_stats(q, timings_of[q.id or 0], answered_by[q.id or 0]) for q in questions)
    started = {t.candidate_id for t in timings} | {a.candidate_id for a in answers}
    required = [q.id for q in questions if q.is_required]
    completed = {c for c in started if all(c in answered_by[q or 0] for q in required)}
    stops = _stops(started - completed, timings, answered_by)
    return QuestionSetReport(
        question_set_id=question_set_id,
        questions=stats,
        started=len(started),
        completed=len(completed),
        abandonment=_abandonment(stops, questions, len(started) - len(completed)),
        abandoned_without_pending=sum(1 for stop in stops.values() if stop is None),
    )


def _stops(
    incomplete: set[int], timings: Sequence[ResponseTiming], answered_by: dict[int, set[int]]
) -> dict[int, int | None]:
    """For each incomplete candidate, the question last sent to them and left unanswered (None if none)."""
    last: dict[int, ResponseTiming] = {}
    for timing in timings:
        candidate = timing.candidate_id
        unanswered = timing.answered_at is None and candidate not in answered_by[timing.question_id]
        if candidate in incomplete and unanswered:
            previous = last.get(candidate)
            if previous is None or (timing.sent_at, timing.question_id) > (
                previous.sent_at,
                previous.question_id,
            ):
                last[candidate] = timing
    return {candidate: last[candidate].question_id if candidate in last else None for candidate in incomplete}


def _abandonment(
    stops: dict[int, int | None], questions: Sequence[ScreeningQuestion], abandoned: int
) -> tuple[AbandonmentPoint, ...]:
    counts = Counter(stop for stop in stops.values() if stop is not None)
    points = [
        AbandonmentPoint(q.id, q.key, q.position, counts[q.id], counts[q.id] / abandoned)
        for q in questions
        if q.id is not None and counts[q.id]
    ]
    return tuple(sorted(points, key=lambda p: (-p.candidates, p.position)))


class ScreeningAnalytics:
    """Screening analytics of one question set at a time: ``ScreeningAnalytics(uow_factory).report(cg, set_id)``."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    def report(self, company_group_id: int, question_set_id: int) -> QuestionSetReport:
        """Response times, answer rates, abandonment and completion of a question set; raises NotFound."""
        with self._uow_factory(company_group_id) as uow:
            uow.question_sets.get(question_set_id)
            questions = uow.screening_questions.for_set(question_set_id)
            timings = uow.response_timings.for_question_set(question_set_id)
            answers = uow.screening_answers.for_question_set(question_set_id)
        return build_report(question_set_id, questions, timings, answers)
