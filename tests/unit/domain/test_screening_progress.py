"""Recording screening answers: validation before any write, latest answer wins, response timing, progress, and
the funnel moves to screening and screened in the same unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from hireflow.domain.models.candidates import CandidateMedia, MediaKind
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.services.funnel_transitions import FunnelTransitions
from hireflow.domain.services.screening import QuestionSetDetail, QuestionSets
from hireflow.domain.services.screening_progress import AnswerRecorded, CandidateScreening
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import NotFound, ValidationFailed
from tests.builders import T0, candidate, new_tenant, question_drafts, role
from tests.unit.fakes import FakeUnitOfWorkFactory

S = FunnelState
# A valid answer for each question of question_drafts(), by key (the document's media id is filled in later).
ANSWERS: dict[str, object] = {
    "work_authorization": "sí",
    "education": "2",
    "shifts": "night, morning",
    "experience_months": "18",
    "birth_date": "14/02/1998",
    "home": "40.45,-3.69",
    "about_you": "Puntual",
}


@dataclass
class World:
    factory: FakeUnitOfWorkFactory
    cg: int
    candidate_id: int
    media_id: int
    detail: QuestionSetDetail
    service: CandidateScreening

    def qid(self, key: str) -> int:
        found = next(q.id for q in self.detail.questions if q.key == key)
        assert found is not None
        return found

    def answer(self, key: str, raw: object | None = None, minutes: int = 1) -> AnswerRecorded:
        raw = ({"media_id": self.media_id} if key == "id_document" else ANSWERS[key]) if raw is None else raw
        return self.service.record_answer(
            self.cg, self.candidate_id, self.qid(key), raw, T0 + timedelta(minutes=minutes)
        )


def _world(state: FunnelState = S.LEAD) -> World:
    factory = FakeUnitOfWorkFactory()
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        job = uow.roles.add(role(cg))
        person = uow.candidates.add(candidate(cg, role_id=job.id))
        assert person.id is not None
        media = uow.candidate_media.add(
            CandidateMedia(
                company_group_id=cg, candidate_id=person.id, kind=MediaKind.ID_DOCUMENT,
                storage_key="acme/ana/id.jpg", content_type="image/jpeg", size_bytes=2048,
            )
        )  # fmt: skip
        uow.commit()
    assert media.id is not None
    if state is not S.LEAD:
        FunnelTransitions(factory).move(cg, person.id, state, at=T0)
    detail = QuestionSets(factory).create(cg, role_id=job.id, name="Warehouse", questions=question_drafts())
    return World(factory, cg, person.id, media.id, detail, CandidateScreening(factory, FixedClock(T0)))


def test_an_answer_is_validated_stored_and_moves_a_lead_to_screening() -> None:
    world = _world()
    recorded = world.answer("shifts")
    assert recorded.applied
    assert recorded.answer.value == ["Morning", "Night"]
    assert recorded.answer.raw_text == "night, morning"
    assert recorded.answer.answered_at == T0 + timedelta(minutes=1)
    assert [m.candidate.funnel_state for m in recorded.moves] == [S.SCREENING]
    assert recorded.funnel_state is S.SCREENING
    assert recorded.progress.answered_keys == ("shifts",)
    assert not recorded.progress.is_complete
    assert recorded.progress.next_question is not None
    assert recorded.progress.next_question.key == "work_authorization"
    with world.factory(world.cg) as uow:
        assert uow.candidates.get(world.candidate_id).funnel_state is S.SCREENING
        (entry,) = uow.funnel_log.for_candidate(world.candidate_id)
        assert (entry.from_state, entry.to_state, entry.reason) == (S.LEAD, S.SCREENING, "answered")


def test_an_invalid_answer_stores_nothing_and_names_the_question() -> None:
    world = _world()
    with pytest.raises(ValidationFailed) as caught:
        world.answer("experience_months", "lots")
    assert caught.value.errors[0]["field"] == "answer"
    assert caught.value.errors[0]["key"] == "experience_months"
    with world.factory(world.cg) as uow:
        assert uow.screening_answers.count() == 0
        assert uow.funnel_log.count() == 0
        assert uow.candidates.get(world.candidate_id).funnel_state is S.LEAD


def test_the_latest_answer_wins_and_an_older_one_arriving_late_is_not_applied() -> None:
    world = _world()
    world.answer("education", "1", minutes=5)
    newer = world.answer("education", "bachelor", minutes=10)
    assert newer.applied
    assert newer.answer.value == "Bachelor"
    late = world.answer("education", "secondary", minutes=7)
    assert not late.applied
    assert late.answer.value == "Bachelor"
    with world.factory(world.cg) as uow:
        (stored,) = uow.screening_answers.for_candidate(world.candidate_id)
        assert (stored.value, stored.raw_text) == ("Bachelor", "bachelor")


def test_the_last_required_answer_moves_the_candidate_to_screened() -> None:
    world = _world(S.CONTACTED)
    keys = [k for k in world.detail.keys if k != "about_you"]  # the optional question is not needed
    for minute, key in enumerate(keys[:-1], start=1):
        assert not world.answer(key, minutes=minute).progress.is_complete
    last = world.answer(keys[-1], minutes=30)
    assert last.progress.is_complete
    assert last.progress.missing_keys == ()
    assert last.progress.next_question is not None  # the optional question is still there to ask
    assert last.progress.next_question.key == "about_you"
    assert [m.candidate.funnel_state for m in last.moves] == [S.SCREENED]
    with world.factory(world.cg) as uow:
        log = uow.funnel_log.for_candidate(world.candidate_id)
        assert [(e.from_state, e.to_state) for e in log] == [
            (S.LEAD, S.CONTACTED),
            (S.CONTACTED, S.SCREENING),
            (S.SCREENING, S.SCREENED),
        ]
        assert log[-1].occurred_at == T0 + timedelta(minutes=30)


def test_a_single_answer_can_take_a_lead_straight_through_screening() -> None:
    world = _world()
    short = QuestionSets(world.factory).create(
        world.cg, name="One", questions=[{"key": "ok", "kind": "yes_no", "prompt": "Ok?"}]
    )
    question_id = short.questions[0].id
    assert question_id is not None
    recorded = world.service.record_answer(world.cg, world.candidate_id, question_id, "yes", T0)
    assert [m.candidate.funnel_state for m in recorded.moves] == [S.SCREENING, S.SCREENED]


@pytest.mark.parametrize(
    "path", [(S.SCREENING, S.SCREENED), (S.ELIGIBLE,), (S.WITHDRAWN,)], ids=lambda path: path[-1].value
)
def test_candidates_past_screening_keep_their_state(path: tuple[FunnelState, ...]) -> None:
    world = _world()
    for state in path:
        FunnelTransitions(world.factory).move(world.cg, world.candidate_id, state, at=T0)
    recorded = world.answer("education")
    assert recorded.moves == ()
    assert recorded.funnel_state is None
    with world.factory(world.cg) as uow:
        assert uow.candidates.get(world.candidate_id).funnel_state is state
        assert uow.screening_answers.count() == 1


def test_response_time_is_measured_from_the_first_send_to_the_first_answer() -> None:
    world = _world()
    qid = world.qid("work_authorization")
    sent = world.service.record_question_sent(world.cg, world.candidate_id, qid, T0)
    again = world.service.record_question_sent(world.cg, world.candidate_id, qid, T0 + timedelta(minutes=1))
    assert again == sent  # a reminder does not restart the clock
    world.answer("work_authorization", minutes=2)
    world.answer("work_authorization", "no", minutes=9)
    with world.factory(world.cg) as uow:
        timing = uow.response_timings.find_for(world.candidate_id, qid)
        assert timing is not None
        assert timing.answered_at == T0 + timedelta(minutes=2)
        assert timing.response_ms == 120_000
        answer = uow.screening_answers.find_for(world.candidate_id, qid)
        assert answer is not None
        assert answer.value is False


def test_sent_defaults_to_the_clock_and_an_answer_without_a_send_has_no_timing() -> None:
    world = _world()
    timing = world.service.record_question_sent(world.cg, world.candidate_id, world.qid("home"))
    assert timing.sent_at == T0
    world.answer("education")
    with world.factory(world.cg) as uow:
        assert uow.response_timings.find_for(world.candidate_id, world.qid("education")) is None


def test_an_answer_before_the_recorded_send_keeps_the_timing_unanswered() -> None:
    world = _world()
    qid = world.qid("home")
    world.service.record_question_sent(world.cg, world.candidate_id, qid, T0 + timedelta(hours=1))
    world.answer("home", minutes=5)  # clock skew between the channel and us
    with world.factory(world.cg) as uow:
        timing = uow.response_timings.find_for(world.candidate_id, qid)
        assert timing is not None
        assert (timing.answered_at, timing.response_ms) == (None, None)


def test_a_document_answer_refers_to_the_candidates_own_media() -> None:
    world = _world()
    recorded = world.answer("id_document")
    assert recorded.answer.value == {
        "media_id": world.media_id,
        "kind": "id_document",
        "storage_key": "acme/ana/id.jpg",
    }
    with pytest.raises(ValidationFailed, match="not a file of this candidate"):
        world.answer("id_document", {"media_id": world.media_id + 100})


def test_progress_skips_optional_questions_already_sent() -> None:
    world = _world()
    for key in world.detail.keys[:-1]:
        world.answer(key)
    progress = world.service.screening_progress(
        world.cg, world.candidate_id, world.detail.question_set.id or 0
    )
    assert progress.is_complete
    assert (progress.answered, progress.required) == (7, 7)
    assert progress.next_question is not None
    world.service.record_question_sent(world.cg, world.candidate_id, world.qid("about_you"), T0)
    progress = world.service.screening_progress(
        world.cg, world.candidate_id, world.detail.question_set.id or 0
    )
    assert progress.next_question is None


def test_unknown_ids_and_other_tenants_are_not_found() -> None:
    world = _world()
    with pytest.raises(NotFound):
        world.service.record_answer(world.cg, world.candidate_id, 9999, "yes", T0)
    with pytest.raises(NotFound):
        world.service.record_answer(world.cg, 9999, world.qid("education"), "1", T0)
    other = new_tenant(world.factory, "globex")
    with pytest.raises(NotFound):
        world.service.record_answer(other, world.candidate_id, world.qid("education"), "1", T0)
    with pytest.raises(NotFound):
        world.service.record_question_sent(other, world.candidate_id, world.qid("education"), T0)
    with pytest.raises(NotFound):
        world.service.screening_progress(world.cg, world.candidate_id, 9999)
