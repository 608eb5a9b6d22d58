"""The ElevenLabs post-call webhook: parsed, matched by conversation id, stored once, and bad input refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.screening import InterviewOutcome, PhoneInterviewStatus, ScreeningAnswer
from hireflow.domain.services.phone_interview_webhook import PhoneInterviewWebhooks
from hireflow.domain.services.phone_interviews import PhoneInterviews
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import NotFound, ValidationFailed
from tests.builders import T0, candidate, new_tenant, phone_question_set, post_call_payload, role
from tests.unit.fakes import FakeDatabase, FakeUnitOfWorkFactory

VALUES = {
    "work_authorization": True,
    "shifts": "Morning, night",
    "experience_months": 24,
    "start_date": "2024-05-20",
    "about_you": "I have a forklift licence.",
    "favourite_colour": "blue",  # not a question of the set: ignored
}


@pytest.fixture
def factory() -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory(FakeDatabase(FixedClock(T0)))


@pytest.fixture
def world(factory: FakeUnitOfWorkFactory) -> dict[str, Any]:
    """An eligible candidate with a phone interview booked under conversation id ``conv_1``."""
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        job = uow.roles.add(role(cg))
        person = uow.candidates.add(
            candidate(cg, funnel_state=FunnelState.ELIGIBLE, state_changed_at=T0 - timedelta(days=2))
        )
        uow.commit()
    assert job.id is not None
    assert person.id is not None
    question_set, questions = phone_question_set(factory, cg, job.id)
    clock = FixedClock(T0 - timedelta(hours=1))
    booked = PhoneInterviews(factory, clock).schedule(
        cg, person.id, question_set_id=question_set.id, provider_call_id="conv_1"
    )
    return {"cg": cg, "candidate": person.id, "interview": booked.interview, "questions": questions}


@pytest.fixture
def webhooks(factory: FakeUnitOfWorkFactory) -> PhoneInterviewWebhooks:
    return PhoneInterviewWebhooks(factory, FixedClock(T0 + timedelta(hours=1)))


def answers_of(factory: FakeUnitOfWorkFactory, cg: int, candidate_id: int) -> dict[int, ScreeningAnswer]:
    with factory(cg) as uow:
        return {a.question_id: a for a in uow.screening_answers.for_candidate(candidate_id)}


def test_a_completed_call_stores_the_interview_questions_and_valid_answers(
    webhooks: PhoneInterviewWebhooks, factory: FakeUnitOfWorkFactory, world: dict[str, Any]
) -> None:
    cg = world["cg"]
    result = webhooks.handle_post_call(cg, post_call_payload("conv_1", VALUES))
    interview = result.interview
    assert result.changed
    assert interview.status is PhoneInterviewStatus.COMPLETED
    assert interview.outcome is InterviewOutcome.PASS
    assert interview.started_at == T0
    assert interview.ended_at == T0 + timedelta(seconds=95)
    assert interview.summary == "Ana answered every question and can start soon."
    assert interview.transcript is not None
    assert interview.transcript.splitlines() == [
        "[00:00] Agent: Hi Ana, this is Alex from Acme.",
        "[00:04] Candidate: Hi, yes, I have a few minutes.",
    ]
    assert result.funnel is not None
    assert result.funnel.moved
    with factory(cg) as uow:
        assert uow.candidates.get(world["candidate"]).funnel_state is FunnelState.INTERVIEWED
        asked = uow.phone_interview_questions.for_interview(interview.id)
    by_key = {q.key: q for q in world["questions"]}
    assert [q.screening_question_id for q in asked] == [
        by_key[key].id
        for key in ("work_authorization", "shifts", "experience_months", "start_date", "about_you")
    ]  # one per question a call can ask: not the document one
    assert [q.answer_text for q in asked] == [
        "yes",
        "Morning, night",
        "24",
        "2024-05-20",
        "I have a forklift licence.",
    ]
    assert asked[2].notes == "The candidate said 24."
    answers = answers_of(factory, cg, world["candidate"])
    assert {qid: a.value for qid, a in answers.items()} == {
        by_key["work_authorization"].id: True,
        by_key["shifts"].id: ["Morning", "Night"],
        by_key["experience_months"].id: 24,
        by_key["start_date"].id: "2024-05-20",
        by_key["about_you"].id: "I have a forklift licence.",
    }
    assert all(a.answered_at == T0 + timedelta(seconds=95) for a in answers.values())
    assert result.answers_saved == (
        "work_authorization",
        "shifts",
        "experience_months",
        "start_date",
        "about_you",
    )


def test_the_same_webhook_twice_changes_nothing_the_second_time(
    webhooks: PhoneInterviewWebhooks, factory: FakeUnitOfWorkFactory, world: dict[str, Any]
) -> None:
    payload = post_call_payload("conv_1", VALUES)
    first = webhooks.handle_post_call(world["cg"], payload)
    before = factory.db.stored_rows()
    again = webhooks.handle_post_call(world["cg"], payload)
    assert not again.changed
    assert again.interview == first.interview
    assert factory.db.stored_rows() == before


def test_invalid_answers_are_kept_on_the_interview_but_not_as_screening_answers(
    webhooks: PhoneInterviewWebhooks, factory: FakeUnitOfWorkFactory, world: dict[str, Any]
) -> None:
    values = VALUES | {"experience_months": 9000, "shifts": "Weekends", "start_date": None}
    result = webhooks.handle_post_call(world["cg"], post_call_payload("conv_1", values))
    assert result.interview.outcome is InterviewOutcome.REVIEW  # required answers are missing or invalid
    assert result.answers_saved == ("work_authorization", "about_you")
    assert result.answers_rejected is not None
    assert set(result.answers_rejected) == {"experience_months", "shifts", "start_date"}
    assert "maximum 600" in result.answers_rejected["experience_months"]
    assert result.answers_rejected["start_date"] == "no answer collected"
    with factory(world["cg"]) as uow:
        asked = uow.phone_interview_questions.for_interview(result.interview.id)
    assert [q.answer_text for q in asked][1:4] == ["Weekends", "9000", None]
    assert len(answers_of(factory, world["cg"], world["candidate"])) == 2


def test_an_unsuccessful_call_is_reviewed_and_a_newer_answer_is_not_overwritten(
    webhooks: PhoneInterviewWebhooks, factory: FakeUnitOfWorkFactory, world: dict[str, Any]
) -> None:
    cg = world["cg"]
    question = next(q for q in world["questions"] if q.key == "experience_months")
    with factory(cg) as uow:
        newer = uow.screening_answers.add(
            ScreeningAnswer(
                company_group_id=cg,
                candidate_id=world["candidate"],
                question_id=question.id,
                value=30,
                raw_text="30",
                answered_at=T0 + timedelta(days=1),
            )
        )
        uow.commit()
    result = webhooks.handle_post_call(cg, post_call_payload("conv_1", VALUES, call_successful="failure"))
    assert result.interview.outcome is InterviewOutcome.REVIEW
    assert answers_of(factory, cg, world["candidate"])[question.id] == newer


def test_a_call_the_candidate_never_spoke_in_is_a_no_show(
    webhooks: PhoneInterviewWebhooks, factory: FakeUnitOfWorkFactory, world: dict[str, Any]
) -> None:
    result = webhooks.handle_post_call(world["cg"], post_call_payload("conv_1", {}, user_spoke=False))
    assert result.interview.status is PhoneInterviewStatus.NO_ANSWER
    assert result.interview.outcome is None
    with factory(world["cg"]) as uow:
        assert uow.candidates.get(world["candidate"]).funnel_state is FunnelState.NO_SHOW
    assert answers_of(factory, world["cg"], world["candidate"]) == {}


def test_failed_calls_and_initiation_failures(
    webhooks: PhoneInterviewWebhooks, factory: FakeUnitOfWorkFactory, world: dict[str, Any]
) -> None:
    failed = webhooks.handle_post_call(world["cg"], post_call_payload("conv_1", VALUES, status="failed"))
    assert failed.interview.status is PhoneInterviewStatus.FAILED
    retry = PhoneInterviews(factory).schedule(world["cg"], world["candidate"], provider_call_id="conv_2")
    busy = {
        "type": "call_initiation_failure",
        "event_timestamp": int((T0 + timedelta(hours=3)).timestamp()),
        "data": {
            "agent_id": "agent_7xK",
            "conversation_id": "conv_2",
            "failure_reason": "busy",
            "metadata": {},
        },
    }
    result = webhooks.handle_post_call(world["cg"], busy)
    assert result.interview.id == retry.interview.id
    assert result.interview.status is PhoneInterviewStatus.NO_ANSWER
    assert result.interview.summary == "call not connected: busy"


def test_bad_webhooks_are_refused_clearly_and_write_nothing(
    webhooks: PhoneInterviewWebhooks, factory: FakeUnitOfWorkFactory, world: dict[str, Any]
) -> None:
    cg = world["cg"]
    other = new_tenant(factory, "globex")
    before = factory.db.stored_rows()
    broken = post_call_payload("conv_1", VALUES)
    del broken["data"]["conversation_id"]
    del broken["data"]["metadata"]
    with pytest.raises(ValidationFailed) as caught:
        webhooks.handle_post_call(cg, broken)
    assert {e["field"] for e in caught.value.errors} == {"data.conversation_id", "data.metadata"}
    with pytest.raises(ValidationFailed, match="does not match any of the expected tags"):
        webhooks.handle_post_call(cg, {"type": "post_call_audio", "data": {}})
    with pytest.raises(ValidationFailed, match="not finished"):
        webhooks.handle_post_call(cg, post_call_payload("conv_1", VALUES, status="processing"))
    with pytest.raises(NotFound, match="conv_404"):
        webhooks.handle_post_call(cg, post_call_payload("conv_404", VALUES))
    with pytest.raises(NotFound):  # another tenant's conversation id is unknown here
        webhooks.handle_post_call(other, post_call_payload("conv_1", VALUES))
    assert factory.db.stored_rows() == before


def test_an_interview_without_a_question_set_keeps_what_was_collected_for_review(
    webhooks: PhoneInterviewWebhooks, factory: FakeUnitOfWorkFactory, world: dict[str, Any]
) -> None:
    booked = PhoneInterviews(factory).schedule(world["cg"], world["candidate"], provider_call_id="conv_free")
    result = webhooks.handle_post_call(
        world["cg"], post_call_payload("conv_free", {"b_key": 2, "a_key": True})
    )
    assert result.interview.id == booked.interview.id
    assert result.interview.outcome is InterviewOutcome.REVIEW  # nothing to validate the answers against
    with factory(world["cg"]) as uow:
        asked = uow.phone_interview_questions.for_interview(booked.interview.id)
    assert [(q.position, q.question_text, q.answer_text) for q in asked] == [
        (0, "a_key", "yes"),
        (1, "b_key", "2"),
    ]
    assert answers_of(factory, world["cg"], world["candidate"]) == {}
