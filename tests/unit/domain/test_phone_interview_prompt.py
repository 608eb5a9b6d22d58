"""The voice agent's system prompt and data-collection spec, built from a question set."""

from __future__ import annotations

import pytest

from hireflow.domain.models.screening import ScreeningQuestion
from hireflow.domain.services.phone_interview_prompt import build_agent_prompt, language_label
from hireflow.shared.errors import ValidationFailed
from tests.builders import PHONE_QUESTIONS


def questions(*, reverse: bool = False) -> list[ScreeningQuestion]:
    built = [
        ScreeningQuestion.model_validate({"company_group_id": 1, "question_set_id": 1, "position": n} | draft)
        for n, draft in enumerate(PHONE_QUESTIONS)
    ]
    return list(reversed(built)) if reverse else built


def test_the_prompt_has_persona_goal_rules_and_the_questions_in_order() -> None:
    prompt = build_agent_prompt(
        questions(reverse=True), role_title="Forklift operator", company_name="Acme Logistics", language="es"
    )
    text = prompt.system_prompt
    assert "Acme Logistics" in text
    assert "Forklift operator" in text
    assert "Speak Spanish" in text
    for rule in ("one question at a time", "confirm", "Never invent", "say goodbye"):
        assert rule in text
    keys = [f"[{key}]" for key in prompt.question_keys]
    assert [text.index(key) for key in keys] == sorted(text.index(key) for key in keys)  # by position
    assert prompt.question_keys == (
        "work_authorization",
        "shifts",
        "experience_months",
        "start_date",
        "about_you",
    )
    assert "Read the options: Morning, Afternoon, Night" in text
    assert "a whole number between 0 and 600" in text
    assert "no earlier than today" in text
    assert "(optional: the candidate may skip it)" in text
    assert "[id_document]" not in text  # a file cannot be handed over on a call
    assert "upload" in text
    assert prompt.first_message.startswith("Hola")
    assert "5 preguntas" in prompt.first_message


def test_the_data_collection_spec_types_every_asked_question() -> None:
    prompt = build_agent_prompt(questions(), role_title="Picker", company_name="Acme")
    spec = prompt.data_collection
    assert set(spec) == set(prompt.question_keys)
    assert {key: item["type"] for key, item in spec.items()} == {
        "work_authorization": "boolean",
        "shifts": "string",
        "experience_months": "integer",
        "start_date": "string",
        "about_you": "string",
    }
    assert "Morning | Afternoon | Night" in spec["shifts"]["description"]
    assert "YYYY-MM-DD" in spec["start_date"]["description"]
    assert spec["work_authorization"]["description"].startswith("Can you work legally in this country?")
    assert all(set(item) == {"type", "description"} for item in spec.values())


def test_relative_date_bounds_and_plain_numbers_read_naturally() -> None:
    birth = ScreeningQuestion(
        company_group_id=1,
        question_set_id=1,
        position=0,
        key="birth_date",
        kind="date",
        prompt="Date of birth?",
        validation={"min": "1940-01-01", "max": "today-18y"},
    )
    commute = ScreeningQuestion(
        company_group_id=1, question_set_id=1, position=1, key="km", kind="number", prompt="Commute (km)?"
    )
    prompt = build_agent_prompt(
        [birth, commute], role_title="Picker", company_name="Acme", candidate_first_name="Ana"
    )
    assert "no earlier than 1940-01-01 and no later than 18 years before today" in prompt.system_prompt
    assert prompt.data_collection["km"]["type"] == "number"
    assert prompt.first_message.startswith("Hi Ana, this is Alex calling from Acme")


def test_nothing_to_ask_or_missing_names_is_refused_with_every_reason() -> None:
    document_only = [q for q in questions() if q.kind == "document"]
    with pytest.raises(ValidationFailed) as caught:
        build_agent_prompt(document_only, role_title=" ", company_name="")
    assert {e["field"] for e in caught.value.errors} == {"questions", "role_title", "company_name"}


def test_language_labels() -> None:
    assert language_label("en") == "English"
    assert language_label("es-MX") == "Spanish (MX)"
    assert language_label("xx") == "xx"
