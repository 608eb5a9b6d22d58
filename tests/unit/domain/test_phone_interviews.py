"""Phone interviews: scheduling, status changes, answers and scores, and the funnel moves they make or skip."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.screening import InterviewOutcome, PhoneInterviewStatus
from hireflow.domain.services.funnel_transitions import TransitionResult
from hireflow.domain.services.phone_interviews import AnsweredQuestion, PhoneInterviews
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from tests.builders import T0, candidate, new_tenant, phone_question_set, role
from tests.unit.fakes import FakeUnitOfWorkFactory


@pytest.fixture
def world(factory: FakeUnitOfWorkFactory) -> dict[str, int]:
    """A tenant with a role, its phone-screen question set, and an eligible candidate."""
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        job = uow.roles.add(role(cg))
        person = uow.candidates.add(
            candidate(cg, funnel_state=FunnelState.ELIGIBLE, state_changed_at=T0 - timedelta(days=1))
        )
        uow.commit()
    assert job.id is not None
    assert person.id is not None
    question_set, _ = phone_question_set(factory, cg, job.id)
    assert question_set.id is not None
    return {"cg": cg, "role": job.id, "set": question_set.id, "candidate": person.id}


@pytest.fixture
def interviews(factory: FakeUnitOfWorkFactory, clock: FixedClock) -> PhoneInterviews:
    return PhoneInterviews(factory, clock)


def state_of(factory: FakeUnitOfWorkFactory, cg: int, candidate_id: int) -> FunnelState:
    with factory(cg) as uow:
        return uow.candidates.get(candidate_id).funnel_state


def test_scheduling_books_the_call_and_moves_an_eligible_candidate(
    interviews: PhoneInterviews, factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    change = interviews.schedule(
        world["cg"], world["candidate"], question_set_id=world["set"], scheduled_at=T0 + timedelta(hours=2)
    )
    assert change.interview.status is PhoneInterviewStatus.SCHEDULED
    assert change.interview.role_id == world["role"]  # taken from the question set
    assert change.interview.scheduled_at == T0 + timedelta(hours=2)
    assert change.funnel is not None
    assert change.funnel.moved
    assert state_of(factory, world["cg"], world["candidate"]) is FunnelState.INTERVIEW_SCHEDULED


def test_scheduling_a_lead_keeps_them_where_they_are_and_says_why(
    interviews: PhoneInterviews, factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    cg = world["cg"]
    with factory(cg) as uow:
        lead = uow.candidates.add(candidate(cg, phone="+15555550111"))
        uow.commit()
    assert lead.id is not None
    change = interviews.schedule(cg, lead.id, role_id=world["role"])
    assert change.interview.id is not None
    assert change.funnel is not None
    assert not change.funnel.moved
    assert change.funnel.skipped is not None
    assert "'lead'" in change.funnel.skipped
    assert state_of(factory, cg, lead.id) is FunnelState.LEAD


def test_scheduling_refuses_bad_references_and_writes_nothing(
    interviews: PhoneInterviews, factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    cg = world["cg"]
    with factory(cg) as uow:
        other_role = uow.roles.add(role(cg, title="Driver"))
        uow.commit()
    assert other_role.id is not None
    other_tenant = new_tenant(factory, "globex")
    before = factory.db.stored_rows()
    with pytest.raises(ValidationFailed, match="belongs to role"):
        interviews.schedule(cg, world["candidate"], role_id=other_role.id, question_set_id=world["set"])
    with pytest.raises(NotFound):
        interviews.schedule(cg, 999, role_id=world["role"])
    with pytest.raises(NotFound):
        interviews.schedule(cg, world["candidate"], question_set_id=999)
    with pytest.raises(NotFound):  # another tenant's candidate is as unknown as a missing one
        interviews.schedule(other_tenant, world["candidate"])
    assert factory.db.stored_rows() == before


def test_a_call_goes_from_scheduled_to_completed_and_the_candidate_is_interviewed(
    interviews: PhoneInterviews, factory: FakeUnitOfWorkFactory, clock: FixedClock, world: dict[str, int]
) -> None:
    cg = world["cg"]
    booked = interviews.schedule(cg, world["candidate"], question_set_id=world["set"]).interview
    assert booked.id is not None
    clock.advance(timedelta(hours=1))
    started = interviews.start(cg, booked.id, provider_call_id="conv_1")
    assert started.interview.status is PhoneInterviewStatus.IN_PROGRESS
    assert started.interview.started_at == T0 + timedelta(hours=1)
    assert started.funnel is None
    clock.advance(timedelta(minutes=6))
    done = interviews.complete(
        cg,
        booked.id,
        summary="Solid candidate",
        answers=[
            AnsweredQuestion(0, "Can you work legally?", "Yes", score=100),
            AnsweredQuestion(1, "Which shifts?", "Nights", score=70),
            AnsweredQuestion(2, "Experience?", "Two years", score=85.5, notes="forklift"),
        ],
    )
    assert done.interview.status is PhoneInterviewStatus.COMPLETED
    assert done.interview.ended_at == T0 + timedelta(hours=1, minutes=6)
    assert done.interview.score == 85.17  # the mean of the question scores
    assert [q.answer_text for q in done.questions] == ["Yes", "Nights", "Two years"]
    assert done.funnel is not None
    assert done.funnel.result is TransitionResult.APPLIED
    assert state_of(factory, cg, world["candidate"]) is FunnelState.INTERVIEWED
    with pytest.raises(Conflict, match="'completed' and cannot become 'cancelled'"):
        interviews.cancel(cg, booked.id)
    with pytest.raises(Conflict, match="none \\(final\\)"):
        interviews.complete(cg, booked.id)


def test_a_given_score_and_outcome_win_over_the_mean(
    interviews: PhoneInterviews, world: dict[str, int]
) -> None:
    cg = world["cg"]
    booked = interviews.schedule(cg, world["candidate"]).interview
    assert booked.id is not None
    done = interviews.complete(
        cg,
        booked.id,
        score=40,
        outcome=InterviewOutcome.FAIL,
        answers=[AnsweredQuestion(0, "Q", "A", score=100)],
    )
    assert done.interview.score == 40
    assert done.interview.outcome is InterviewOutcome.FAIL
    no_scores = interviews.schedule(cg, world["candidate"]).interview
    assert no_scores.id is not None
    assert interviews.complete(cg, no_scores.id).interview.score is None


def test_no_answer_makes_a_booked_candidate_a_no_show_only(
    interviews: PhoneInterviews, factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    cg = world["cg"]
    booked = interviews.schedule(cg, world["candidate"]).interview
    assert booked.id is not None
    missed = interviews.mark_no_answer(cg, booked.id)
    assert missed.interview.status is PhoneInterviewStatus.NO_ANSWER
    assert missed.funnel is not None
    assert missed.funnel.moved
    assert state_of(factory, cg, world["candidate"]) is FunnelState.NO_SHOW
    with factory(cg) as uow:
        hired = uow.candidates.add(candidate(cg, phone="+15555550122", funnel_state=FunnelState.HIRED))
        uow.commit()
    assert hired.id is not None
    check_in = interviews.schedule(cg, hired.id).interview
    assert check_in.id is not None
    unanswered = interviews.mark_no_answer(cg, check_in.id)
    assert unanswered.funnel is not None
    assert unanswered.funnel.skipped is not None  # hired -> no_show would mean a missed first day
    assert state_of(factory, cg, hired.id) is FunnelState.HIRED


def test_failed_and_cancelled_calls_leave_the_funnel_alone(
    interviews: PhoneInterviews, factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    cg = world["cg"]
    first = interviews.schedule(cg, world["candidate"]).interview
    second = interviews.schedule(cg, world["candidate"]).interview
    assert first.id is not None
    assert second.id is not None
    failed = interviews.mark_failed(cg, first.id, reason="SIP 503")
    assert failed.interview.status is PhoneInterviewStatus.FAILED
    assert failed.interview.summary == "call failed: SIP 503"
    assert failed.funnel is None
    cancelled = interviews.cancel(cg, second.id, reason="candidate asked")
    assert cancelled.interview.status is PhoneInterviewStatus.CANCELLED
    assert cancelled.interview.ended_at is None
    assert state_of(factory, cg, world["candidate"]) is FunnelState.INTERVIEW_SCHEDULED


def test_answers_are_upserted_by_position_and_bad_ones_write_nothing(
    interviews: PhoneInterviews, factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    cg = world["cg"]
    booked = interviews.schedule(cg, world["candidate"]).interview
    assert booked.id is not None
    interviews.record_answers(cg, booked.id, [AnsweredQuestion(0, "Q0", "first"), AnsweredQuestion(1, "Q1")])
    corrected = interviews.record_answers(cg, booked.id, [AnsweredQuestion(0, "Q0", "corrected", score=50)])
    assert [(q.position, q.answer_text, q.score) for q in corrected] == [
        (0, "corrected", 50),
        (1, None, None),
    ]
    before = factory.db.stored_rows()
    with pytest.raises(ValidationFailed, match="share a position"):
        interviews.record_answers(cg, booked.id, [AnsweredQuestion(2, "Q"), AnsweredQuestion(2, "Q again")])
    with pytest.raises(ValidationFailed, match="score"):
        interviews.record_answers(
            cg, booked.id, [AnsweredQuestion(3, "Q3", "x"), AnsweredQuestion(4, "Q", score=101)]
        )
    with pytest.raises(ValidationFailed, match="question_text"):
        interviews.record_answers(cg, booked.id, [AnsweredQuestion(5, "")])
    assert factory.db.stored_rows() == before
    assert interviews.questions(cg, booked.id) == corrected
