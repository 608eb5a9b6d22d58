"""The screening and eligibility services over the real SQLAlchemy unit of work, on SQLite and PostgreSQL: the
same flows the unit tests run on the fakes, including the database's unique (set, position) key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.candidates import CandidateMedia, MediaKind
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import EducationLevel, EligibilityCriteria, Shift
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.domain.services.eligibility import Eligibility
from hireflow.domain.services.funnel_transitions import FunnelTransitions
from hireflow.domain.services.screening import QuestionSets
from hireflow.domain.services.screening_analytics import ScreeningAnalytics
from hireflow.domain.services.screening_progress import CandidateScreening
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import ValidationFailed
from tests.builders import T0, candidate, location, new_tenant, question_drafts, role
from tests.unit.domain.test_screening_analytics import populate

S = FunnelState


@pytest.fixture
def factory(engine: Engine) -> UnitOfWorkFactory:
    return sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False, autoflush=False))


def _role_and_candidate(
    factory: UnitOfWorkFactory, cg: int, criteria: EligibilityCriteria
) -> tuple[int, int, int]:
    """A role, a site in central Madrid and a candidate in Getafe (~12.6 km away) with an ID document."""
    with factory(cg) as uow:
        job = uow.roles.add(role(cg, eligibility_criteria=criteria))
        site = uow.locations.add(location(cg))
        who = uow.candidates.add(
            candidate(
                cg, role_id=job.id, location_id=site.id, latitude=40.3057, longitude=-3.7329,
                education_level=EducationLevel.SECONDARY, shifts_available=[Shift.NIGHT],
            )
        )  # fmt: skip
        assert who.id is not None
        uow.candidate_media.add(
            CandidateMedia(
                company_group_id=cg, candidate_id=who.id, kind=MediaKind.ID_DOCUMENT,
                storage_key=f"cg{cg}/c{who.id}/id.jpg", content_type="image/jpeg", size_bytes=10,
            )
        )  # fmt: skip
        uow.commit()
    assert job.id is not None
    assert site.id is not None
    return job.id, site.id, who.id


def test_question_sets_keep_contiguous_positions_under_the_unique_key(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    sets = QuestionSets(factory)
    detail = sets.create(cg, name="Warehouse", questions=question_drafts())
    set_id = detail.question_set.id
    assert set_id is not None
    reversed_keys = list(reversed(detail.keys))
    assert sets.reorder(cg, set_id, reversed_keys).keys == tuple(reversed_keys)
    added = sets.add_question(cg, set_id, {"key": "licence", "kind": "yes_no", "prompt": "?"}, position=0)
    assert added.keys[0] == "licence"
    removed = sets.remove_question(cg, set_id, "home")
    assert [q.position for q in removed.questions] == list(range(8))
    assert sets.get(cg, set_id) == removed
    second = sets.new_version(cg, set_id, deactivate_previous=True)
    assert second.question_set.version == 2
    assert second.keys == removed.keys
    with pytest.raises(ValidationFailed):
        sets.create(cg, name="Bad", questions=[{"key": "x", "kind": "single_choice", "prompt": "?"}])


def test_answers_move_a_candidate_through_screening_and_eligibility(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    criteria = EligibilityCriteria(
        max_commute_km=25, required_documents=["id_document"], required_shifts=[Shift.NIGHT]
    )
    role_id, _, person = _role_and_candidate(factory, cg, criteria)
    detail = QuestionSets(factory).create(cg, role_id=role_id, name="Warehouse", questions=question_drafts())
    ids = {q.key: q.id or 0 for q in detail.questions}
    with factory(cg) as uow:
        (media,) = uow.candidate_media.for_candidate(person)
    raw = {
        "work_authorization": "yes", "education": "secondary", "shifts": "3", "experience_months": "1,0",
        "birth_date": "1998-02-14", "home": {"latitude": 40.3, "longitude": -3.73}, "id_document": {"media_id": media.id},
    }  # fmt: skip
    screening = CandidateScreening(factory, FixedClock(T0))
    with pytest.raises(ValidationFailed):
        screening.record_answer(cg, person, ids["birth_date"], "2020-01-01", T0)  # too young
    for minute, (key, value) in enumerate(raw.items()):
        screening.record_question_sent(cg, person, ids[key], T0 + timedelta(minutes=minute))
        last = screening.record_answer(
            cg, person, ids[key], value, T0 + timedelta(minutes=minute, seconds=30)
        )
    assert last.progress.is_complete
    assert last.funnel_state is S.SCREENED
    with factory(cg) as uow:
        answers = {a.question_id: a.value for a in uow.screening_answers.for_candidate(person)}
        assert answers[ids["shifts"]] == ["Night"]
        assert answers[ids["experience_months"]] == 1
        assert answers[ids["id_document"]]["media_id"] == media.id
        assert {t.response_ms for t in uow.response_timings.for_candidate(person)} == {30_000}
    outcome = Eligibility(factory, FixedClock(T0 + timedelta(hours=1))).evaluate(cg, person)
    assert outcome.is_eligible
    assert outcome.moved
    assert [r["criterion"] for r in outcome.results] == [
        "max_commute_km",
        "required_documents",
        "required_shifts",
    ]
    with factory(cg) as uow:
        assert uow.candidates.get(person).funnel_state is S.ELIGIBLE
        assert uow.eligibility_evaluations.latest_for(person, role_id) == outcome.evaluation
        states = [e.to_state for e in uow.funnel_log.for_candidate(person)]
        assert states == [S.SCREENING, S.SCREENED, S.ELIGIBLE]


def test_an_evaluation_of_a_hired_candidate_is_logged_without_a_move(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    _, _, person = _role_and_candidate(factory, cg, EligibilityCriteria(max_commute_km=5))
    for state in (S.ELIGIBLE, S.OFFERED, S.HIRED):
        FunnelTransitions(factory).move(cg, person, state, at=T0)
    outcome = Eligibility(factory).evaluate(cg, person, T0 + timedelta(days=1))
    assert not outcome.is_eligible
    assert "exceeds the 5 km maximum" in outcome.results[0]["reason"]
    assert not outcome.moved
    with factory(cg) as uow:
        assert uow.candidates.get(person).funnel_state is S.HIRED
        assert len(uow.eligibility_evaluations.for_candidate(person)) == 1


def test_the_analytics_report_reads_one_question_set(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    set_id = populate(factory, cg)
    populate(factory, new_tenant(factory, "globex"))  # another tenant's rows stay out of the report
    report = ScreeningAnalytics(factory).report(cg, set_id)
    assert [(q.key, q.sent, q.answered) for q in report.questions] == [
        ("authorized", 5, 4),
        ("months", 4, 2),
        ("about", 1, 1),
    ]
    assert report.questions[0].median_seconds == pytest.approx(25.0)
    assert (report.started, report.completed) == (5, 1)
    assert report.top_abandonment is not None
    assert report.top_abandonment.key == "months"
