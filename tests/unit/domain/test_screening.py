"""Question sets: creation with every definition problem reported at once, reordering, adding and removing
questions with contiguous positions, and new versions."""

from __future__ import annotations

from typing import Any

import pytest

from hireflow.domain.models.screening import QuestionKind
from hireflow.domain.services.screening import QuestionDraft, QuestionSets
from hireflow.shared.errors import NotFound, ValidationFailed
from tests.builders import new_tenant, question_drafts, role
from tests.unit.fakes import FakeUnitOfWorkFactory


def _setup() -> tuple[FakeUnitOfWorkFactory, int, int]:
    factory = FakeUnitOfWorkFactory()
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        job = uow.roles.add(role(cg))
        uow.commit()
    assert job.id is not None
    return factory, cg, job.id


def _fields(error: ValidationFailed) -> list[str]:
    return [item["field"] for item in error.errors]


def test_a_set_is_created_with_its_questions_at_contiguous_positions() -> None:
    factory, cg, role_id = _setup()
    detail = QuestionSets(factory).create(cg, role_id=role_id, name="Warehouse", questions=question_drafts())
    assert detail.question_set.id is not None
    assert (detail.question_set.version, detail.question_set.language) == (1, "en")
    assert [q.position for q in detail.questions] == list(range(8))
    assert detail.keys[:2] == ("work_authorization", "education")
    assert detail.questions[1].options == ["Primary", "Secondary", "Bachelor"]
    assert detail.questions[1].kind is QuestionKind.SINGLE_CHOICE
    assert QuestionSets(factory).get(cg, detail.question_set.id) == detail
    assert factory.commits == 3  # the tenant, the role, the set


def test_given_positions_order_the_questions() -> None:
    factory, cg, role_id = _setup()
    drafts = [
        QuestionDraft(key="b", kind=QuestionKind.YES_NO, prompt="B?", position=1),
        QuestionDraft(key="a", kind=QuestionKind.YES_NO, prompt="A?", position=0),
    ]
    detail = QuestionSets(factory).create(cg, role_id=role_id, name="Short", questions=drafts)
    assert detail.keys == ("a", "b")


def test_every_definition_problem_is_reported_in_one_error_and_nothing_is_stored() -> None:
    factory, cg, role_id = _setup()
    drafts: list[dict[str, Any]] = [
        {"key": "ok", "kind": "yes_no", "prompt": "Fine?"},
        {"key": "ok", "kind": "yes_no", "prompt": "Again?"},
        {"key": "Bad Key", "kind": "colour", "prompt": ""},
        {"key": "one", "kind": "single_choice", "prompt": "?", "options": ["Yes", "yes "]},
        {"key": "yn", "kind": "yes_no", "prompt": "?", "options": ["a", "b"]},
        {"key": "n", "kind": "number", "prompt": "?", "validation": {"min": 5, "max": 1, "integer": "yes"}},
        {"key": "d", "kind": "date", "prompt": "?", "validation": {"min": "soon", "max": "today-18y"}},
        {"key": "t", "kind": "free_text", "prompt": "?", "validation": {"max_length": 0, "pattern": ".*"}},
        {"key": "doc", "kind": "document", "prompt": "?", "validation": {"accepted_kinds": ["passport"]}},
    ]
    with pytest.raises(ValidationFailed) as caught:
        QuestionSets(factory).create(cg, role_id=role_id, name="", questions=drafts, language="english")
    fields = _fields(caught.value)
    assert fields == [
        "name",
        "language",
        "questions[2].key",
        "questions[2].kind",
        "questions[2].prompt",
        "questions[3].options",
        "questions[3].options",
        "questions[4].options",
        "questions[5].validation.integer",
        "questions[5].validation.min",
        "questions[6].validation.min",
        "questions[7].validation.pattern",
        "questions[7].validation.max_length",
        "questions[8].validation.accepted_kinds",
        "questions[1].key",
    ]
    messages = {item["field"]: item["message"] for item in caught.value.errors}
    assert "duplicate key 'ok'" in messages["questions[1].key"]
    assert "at least 2 distinct options" in str(caught.value)
    assert "'Yes' and 'yes'" in str(caught.value)
    assert "yes_no questions take no options" in messages["questions[4].options"]
    assert "min 5 is greater than max 1" in messages["questions[5].validation.min"]
    assert "passport" in messages["questions[8].validation.accepted_kinds"]
    assert "15 problems" in str(caught.value)
    with factory(cg) as uow:
        assert uow.question_sets.count() == 0


def test_positions_must_be_all_or_nothing_and_without_gaps() -> None:
    factory, cg, _ = _setup()
    service = QuestionSets(factory)
    gap: list[dict[str, Any]] = [
        {"key": "a", "kind": "yes_no", "prompt": "?", "position": 0},
        {"key": "b", "kind": "yes_no", "prompt": "?", "position": 2},
    ]
    with pytest.raises(
        ValidationFailed, match=r"positions must be 0\.\.1 with no gaps or repeats, got \[0, 2\]"
    ):
        service.create(cg, name="Gap", questions=gap)
    some: list[dict[str, Any]] = [
        {"key": "a", "kind": "yes_no", "prompt": "?", "position": 0},
        {"key": "b", "kind": "yes_no", "prompt": "?"},
    ]
    with pytest.raises(ValidationFailed, match="for every question or for none"):
        service.create(cg, name="Some", questions=some)


def test_date_bounds_in_the_wrong_order_are_refused() -> None:
    factory, cg, _ = _setup()
    drafts = [
        {"key": "a", "kind": "date", "prompt": "?", "validation": {"min": "today", "max": "today-1d"}},
        {"key": "b", "kind": "date", "prompt": "?", "validation": {"min": "2010-01-01", "max": "2000-01-01"}},
        {"key": "c", "kind": "date", "prompt": "?", "validation": {"min": "today", "max": "2000-01-01"}},
    ]
    with pytest.raises(ValidationFailed) as caught:
        QuestionSets(factory).create(cg, name="Dates", questions=drafts)
    # c mixes a relative and an absolute bound: ordered on some days only, so it is not judged
    assert _fields(caught.value) == ["questions[0].validation.min", "questions[1].validation.min"]


def test_an_unknown_role_is_not_found_and_nothing_is_stored() -> None:
    factory, cg, _ = _setup()
    with pytest.raises(NotFound):
        QuestionSets(factory).create(cg, role_id=999, name="Orphan", questions=question_drafts())
    with factory(cg) as uow:
        assert uow.question_sets.count() == 0
        assert uow.screening_questions.count() == 0


def _created(factory: FakeUnitOfWorkFactory, cg: int, role_id: int) -> int:
    detail = QuestionSets(factory).create(
        cg, role_id=role_id, name="Warehouse", questions=question_drafts()[:4]
    )
    assert detail.question_set.id is not None
    return detail.question_set.id


def test_reorder_puts_the_questions_in_the_order_given() -> None:
    factory, cg, role_id = _setup()
    set_id = _created(factory, cg, role_id)
    order = ["experience_months", "work_authorization", "shifts", "education"]
    detail = QuestionSets(factory).reorder(cg, set_id, order)
    assert detail.keys == tuple(order)
    assert [q.position for q in detail.questions] == [0, 1, 2, 3]
    assert QuestionSets(factory).get(cg, set_id).keys == tuple(order)


def test_reorder_lists_every_problem_with_the_keys() -> None:
    factory, cg, role_id = _setup()
    set_id = _created(factory, cg, role_id)
    with pytest.raises(ValidationFailed) as caught:
        QuestionSets(factory).reorder(cg, set_id, ["education", "nope", "education"])
    assert _fields(caught.value) == ["keys[1]", "keys[2]", "keys"]
    assert "missing work_authorization, shifts, experience_months" in str(caught.value)


def test_a_question_is_inserted_at_a_position_and_the_later_ones_move_down() -> None:
    factory, cg, role_id = _setup()
    set_id = _created(factory, cg, role_id)
    new = {"key": "license", "kind": "yes_no", "prompt": "Driving licence?"}
    detail = QuestionSets(factory).add_question(cg, set_id, new, position=1)
    assert detail.keys == ("work_authorization", "license", "education", "shifts", "experience_months")
    assert [q.position for q in detail.questions] == [0, 1, 2, 3, 4]
    last = QuestionSets(factory).add_question(cg, set_id, {"key": "zz", "kind": "yes_no", "prompt": "?"})
    assert last.keys[-1] == "zz"
    assert last.questions[-1].position == 5


def test_an_added_question_is_checked_against_the_set() -> None:
    factory, cg, role_id = _setup()
    set_id = _created(factory, cg, role_id)
    bad = {"key": "education", "kind": "single_choice", "prompt": "?", "options": ["only"]}
    with pytest.raises(ValidationFailed) as caught:
        QuestionSets(factory).add_question(cg, set_id, bad, position=9)
    assert _fields(caught.value) == ["question.options", "question.key", "position"]
    assert QuestionSets(factory).get(cg, set_id).keys[0] == "work_authorization"


def test_removing_a_question_closes_the_gap() -> None:
    factory, cg, role_id = _setup()
    set_id = _created(factory, cg, role_id)
    detail = QuestionSets(factory).remove_question(cg, set_id, "education")
    assert detail.keys == ("work_authorization", "shifts", "experience_months")
    assert [q.position for q in detail.questions] == [0, 1, 2]
    with pytest.raises(NotFound):
        QuestionSets(factory).remove_question(cg, set_id, "education")


def test_a_new_version_copies_the_set_and_its_questions() -> None:
    factory, cg, role_id = _setup()
    set_id = _created(factory, cg, role_id)
    service = QuestionSets(factory)
    second = service.new_version(cg, set_id)
    third = service.new_version(cg, set_id, deactivate_previous=True)  # from v1 again: still the next number
    assert (second.question_set.version, third.question_set.version) == (2, 3)
    assert second.question_set.id not in (None, set_id)
    assert second.keys == service.get(cg, set_id).keys
    assert {q.question_set_id for q in third.questions} == {third.question_set.id}
    with factory(cg) as uow:
        assert not uow.question_sets.get(set_id).is_active
        assert second.question_set.id is not None
        assert not uow.question_sets.get(second.question_set.id).is_active
        current = uow.question_sets.current_for_role(role_id)
        assert current is not None
        assert current.version == 3


def test_another_tenants_set_is_not_found() -> None:
    factory, cg, role_id = _setup()
    set_id = _created(factory, cg, role_id)
    other = new_tenant(factory, "globex")
    with pytest.raises(NotFound):
        QuestionSets(factory).get(other, set_id)
    with pytest.raises(NotFound):
        QuestionSets(factory).reorder(other, set_id, [])
