"""Screening analytics of a question set: response-time median and p90, answer rates, abandonment, completion."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.domain.services.screening import QuestionSets
from hireflow.domain.services.screening_analytics import ScreeningAnalytics, percentile
from hireflow.domain.services.screening_progress import CandidateScreening
from hireflow.shared.errors import NotFound
from tests.builders import T0, candidate, new_tenant
from tests.unit.fakes import FakeUnitOfWorkFactory

QUESTIONS = [
    {"key": "authorized", "kind": "yes_no", "prompt": "Authorized?"},
    {"key": "months", "kind": "number", "prompt": "Months?"},
    {"key": "about", "kind": "free_text", "prompt": "About you?"},
]
ANSWERS = {"authorized": "yes", "months": "12", "about": "Reliable"}

# Per candidate: (key, sent after s, answered after s or None), in the order things happened.
SCRIPTS: list[list[tuple[str, int, int | None]]] = [
    [("authorized", 0, 10), ("months", 20, 80), ("about", 90, 100)],  # completes
    [("authorized", 0, 30), ("months", 40, None)],  # stops at months
    [("authorized", 0, None)],  # stops at the first question
    [("authorized", 0, 20), ("months", 30, 50)],  # answered all it was sent: nothing pending
    [("authorized", 0, 40), ("months", 50, None)],  # stops at months
    [],  # never sent anything: did not start
]


def populate(factory: UnitOfWorkFactory, cg: int) -> int:
    """A three-question set and the candidates of SCRIPTS going through it; returns the set's id."""
    detail = QuestionSets(factory).create(cg, name="Quick", questions=QUESTIONS)
    ids = {q.key: q.id or 0 for q in detail.questions}
    service = CandidateScreening(factory)
    with factory(cg) as uow:
        people = [
            uow.candidates.add(candidate(cg, phone=f"+1555555{i:04d}")).id or 0 for i in range(len(SCRIPTS))
        ]
        uow.commit()
    for person, script in zip(people, SCRIPTS, strict=True):
        for key, sent, answered in script:
            service.record_question_sent(cg, person, ids[key], T0 + timedelta(seconds=sent))
            if answered is not None:
                service.record_answer(cg, person, ids[key], ANSWERS[key], T0 + timedelta(seconds=answered))
    assert detail.question_set.id is not None
    return detail.question_set.id


def test_the_report_of_a_question_set() -> None:
    factory = FakeUnitOfWorkFactory()
    cg = new_tenant(factory, "acme")
    set_id = populate(factory, cg)
    report = ScreeningAnalytics(factory).report(cg, set_id)
    authorized, months, about = report.questions
    assert (authorized.key, authorized.sent, authorized.answered) == ("authorized", 5, 4)
    assert authorized.answer_rate == pytest.approx(0.8)
    assert authorized.median_seconds == pytest.approx(25.0)  # 10, 20, 30, 40
    assert authorized.p90_seconds == pytest.approx(37.0)
    assert (months.sent, months.answered, months.answer_rate) == (4, 2, 0.5)
    assert months.median_seconds == pytest.approx(40.0)
    assert months.p90_seconds == pytest.approx(56.0)
    assert (about.sent, about.answered, about.median_seconds, about.p90_seconds) == (1, 1, 10.0, 10.0)
    assert (report.started, report.completed, report.abandoned) == (5, 1, 4)
    assert report.completion_rate == pytest.approx(0.2)
    assert [(p.key, p.candidates) for p in report.abandonment] == [("months", 2), ("authorized", 1)]
    assert report.abandonment[0].share == pytest.approx(0.5)
    assert report.top_abandonment is not None
    assert report.top_abandonment.key == "months"
    assert report.abandoned_without_pending == 1


def test_a_set_nobody_started_has_an_empty_report() -> None:
    factory = FakeUnitOfWorkFactory()
    cg = new_tenant(factory, "acme")
    detail = QuestionSets(factory).create(cg, name="Quiet", questions=QUESTIONS)
    report = ScreeningAnalytics(factory).report(cg, detail.question_set.id or 0)
    assert [(q.sent, q.answer_rate, q.median_seconds, q.p90_seconds) for q in report.questions] == [
        (0, None, None, None)
    ] * 3
    assert (report.started, report.completion_rate, report.top_abandonment) == (0, None, None)


def test_another_tenants_set_is_not_found() -> None:
    factory = FakeUnitOfWorkFactory()
    cg = new_tenant(factory, "acme")
    set_id = populate(factory, cg)
    with pytest.raises(NotFound):
        ScreeningAnalytics(factory).report(new_tenant(factory, "globex"), set_id)


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [([], 0.9, None), ([5.0], 0.9, 5.0), ([1.0, 2.0], 0.5, 1.5), ([3.0, 1.0, 2.0, 4.0, 5.0], 0.9, 4.6)],
)
def test_percentile_interpolates_between_closest_ranks(
    values: list[float], fraction: float, expected: float | None
) -> None:
    assert percentile(values, fraction) == (None if expected is None else pytest.approx(expected))
