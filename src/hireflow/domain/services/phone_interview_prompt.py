"""The system prompt of a conversational voice agent (ElevenLabs Conversational AI) that asks a question set by
phone, and the agent's ``data_collection`` spec: what to extract from the call for each question key.

Document questions are left out: a file cannot be handed over on a call, so they are collected by message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hireflow.domain.models.screening import QuestionKind, ScreeningQuestion
from hireflow.shared.errors import ValidationFailed

LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "pt": "Portuguese",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
    "ca": "Catalan",
}

# What the agent says first. A language without a template opens in English, and the persona's "speak X
# throughout" makes the agent carry on in the set's language.
_FIRST_MESSAGES = {
    "en": "Hi{name}, this is {agent} calling from {company} about your application for {role}. "
    "Do you have a few minutes for {count} short questions?",
    "es": "Hola{name}, soy {agent} de {company}. Te llamo por tu candidatura para {role}. "
    "¿Tienes unos minutos para {count} preguntas cortas?",
    "pt": "Olá{name}, aqui é {agent} da {company}, sobre a sua candidatura para {role}. "
    "Tem alguns minutos para {count} perguntas rápidas?",
}

_RULES = (
    "Ask one question at a time, in the order given, and wait for the answer before going on.",
    "Keep your turns short and friendly; this is a phone call, not an email.",
    "If an answer is unclear, incomplete or does not fit what the question expects, ask again or read back "
    "what you understood and ask the candidate to confirm it.",
    "Never invent, guess or assume an answer. If the candidate does not know or will not say, note that and "
    "move on.",
    "Do not promise a job, a salary or a decision; say the hiring team will follow up.",
    "If the candidate asks to stop or to be called later, thank them and end the call politely.",
    "When every question is answered, thank the candidate, say what happens next (the team reviews the "
    "answers and gets back to them) and say goodbye.",
)

_RELATIVE = re.compile(r"^today(?:\s*([+-])\s*(\d+)\s*([dwmy]))?$")
_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}


@dataclass(frozen=True)
class AgentPrompt:
    """The voice agent's configuration for one question set."""

    system_prompt: str
    first_message: str
    data_collection: dict[str, dict[str, str]]
    question_keys: tuple[str, ...]


def build_agent_prompt(
    questions: Sequence[ScreeningQuestion],
    *,
    role_title: str,
    company_name: str,
    language: str = "en",
    candidate_first_name: str | None = None,
    agent_name: str = "Alex",
) -> AgentPrompt:
    """The system prompt, first message and data-collection spec that make an agent ask ``questions``."""
    asked = sorted((q for q in questions if q.kind is not QuestionKind.DOCUMENT), key=lambda q: q.position)
    _check(asked, role_title, company_name)
    language_name = language_label(language)
    sections = [
        _persona(agent_name, company_name, role_title, language_name),
        "# Rules\n" + "\n".join(f"- {rule}" for rule in _RULES),
        "# Questions\n" + "\n".join(_question_line(n, q) for n, q in enumerate(asked, start=1)),
    ]
    if len(asked) < len(questions):
        sections.append(
            "# Documents\nSome documents are collected separately. If the candidate asks, say they will "
            "receive a message with a link to upload them."
        )
    return AgentPrompt(
        system_prompt="\n\n".join(sections),
        first_message=_first_message(
            language,
            agent=agent_name,
            company=company_name,
            role=role_title,
            first_name=candidate_first_name,
            count=len(asked),
        ),
        data_collection={q.key: data_collection_item(q) for q in asked},
        question_keys=tuple(q.key for q in asked),
    )


def language_label(language: str) -> str:
    """``es`` -> ``Spanish``, ``es-MX`` -> ``Spanish (MX)``; an unknown code is returned as given."""
    base, _, region = language.partition("-")
    name = LANGUAGES.get(base.lower(), language)
    return f"{name} ({region})" if region and name != language else name


def data_collection_item(question: ScreeningQuestion) -> dict[str, str]:
    """The ``data_collection`` entry of one question: its JSON type and what to extract."""
    return {
        "type": _value_type(question),
        "description": f"{question.prompt} {_expectation(question)}".strip(),
    }


def _check(asked: Sequence[ScreeningQuestion], role_title: str, company_name: str) -> None:
    errors = []
    if not asked:
        errors.append({"field": "questions", "message": "no question can be asked by phone"})
    if not role_title.strip():
        errors.append({"field": "role_title", "message": "is empty"})
    if not company_name.strip():
        errors.append({"field": "company_name", "message": "is empty"})
    keys = [q.key for q in asked]
    if len(set(keys)) != len(keys):
        errors.append({"field": "questions", "message": "two questions share a key"})
    if errors:
        listed = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise ValidationFailed(f"cannot build the interview prompt: {listed}", errors)


def _persona(agent: str, company: str, role: str, language_name: str) -> str:
    return (
        f"# Persona\nYou are {agent}, a friendly and professional recruiting assistant calling on behalf of "
        f"{company}. Speak {language_name} throughout the call, unless the candidate cannot follow it.\n\n"
        f"# Goal\nAsk the candidate the screening questions below for the {role} position and record their "
        "answers accurately. The hiring team decides; you only ask and listen."
    )


def _question_line(number: int, question: ScreeningQuestion) -> str:
    optional = " (optional: the candidate may skip it)" if not question.is_required else ""
    help_text = f" Help if asked: {question.help_text}" if question.help_text else ""
    return f'{number}. [{question.key}] "{question.prompt}"{optional} {_instruction(question)}{help_text}'


def _instruction(question: ScreeningQuestion) -> str:
    """How to ask and check one kind of question."""
    return _KIND_TEXTS[question.kind][0](question)


def _expectation(question: ScreeningQuestion) -> str:
    """What the extracted value must look like, for the data-collection description."""
    return _KIND_TEXTS[question.kind][1](question)


def _value_type(question: ScreeningQuestion) -> str:
    if question.kind is QuestionKind.YES_NO:
        return "boolean"
    if question.kind is QuestionKind.NUMBER:
        return "integer" if question.validation.get("integer") else "number"
    return "string"


def _free_text_expectation(question: ScreeningQuestion) -> str:
    limit = question.validation.get("max_length")
    return (
        f"A faithful summary of the answer in at most {limit} characters." if limit else "A faithful summary."
    )


_Text = Callable[[ScreeningQuestion], str]
# Per kind: (how the agent asks it, what the extracted value must look like).
_KIND_TEXTS: dict[QuestionKind, tuple[_Text, _Text]] = {
    QuestionKind.YES_NO: (lambda q: "Get a clear yes or no.", lambda q: "true for yes, false for no."),
    QuestionKind.SINGLE_CHOICE: (
        lambda q: f"Read the options: {_options(q)}. Accept exactly one of them.",
        lambda q: f"Exactly one of: {_options(q, joiner=' | ')}, written as here.",
    ),
    QuestionKind.MULTIPLE_CHOICE: (
        lambda q: f"Read the options: {_options(q)}. The candidate may pick one or more.",
        lambda q: f"One or more of: {_options(q, joiner=' | ')}, written as here and separated by commas.",
    ),
    QuestionKind.NUMBER: (
        lambda q: f"Get {_number_text(q)}.",
        lambda q: f"{_number_text(q).capitalize()}, as digits.",
    ),
    QuestionKind.DATE: (
        lambda q: f"Get a full date (day, month and year){_date_bounds(q)}.",
        lambda q: f"The date as YYYY-MM-DD{_date_bounds(q)}.",
    ),
    QuestionKind.LOCATION: (
        lambda q: "Get the city and neighbourhood or street where the candidate lives.",
        lambda q: "The place the candidate lives, as they said it.",
    ),
    QuestionKind.FREE_TEXT: (
        lambda q: "Let the candidate answer in their own words.",
        _free_text_expectation,
    ),
    QuestionKind.DOCUMENT: (lambda q: "", lambda q: ""),  # never asked by phone; listed for completeness
}


def _options(question: ScreeningQuestion, joiner: str = ", ") -> str:
    return joiner.join(question.options)


def _number_text(question: ScreeningQuestion) -> str:
    rules: dict[str, Any] = question.validation
    noun = "a whole number" if rules.get("integer") else "a number"
    low, high = rules.get("min"), rules.get("max")
    if low is not None and high is not None:
        return f"{noun} between {low} and {high}"
    if low is not None:
        return f"{noun} of at least {low}"
    if high is not None:
        return f"{noun} of at most {high}"
    return noun


def _date_bounds(question: ScreeningQuestion) -> str:
    low = _bound_text(question.validation.get("min"))
    high = _bound_text(question.validation.get("max"))
    parts = ([f"no earlier than {low}"] if low else []) + ([f"no later than {high}"] if high else [])
    return f", {' and '.join(parts)}" if parts else ""


def _bound_text(bound: object) -> str | None:
    """``2024-01-31`` as is; ``today-18y`` as ``18 years before today``."""
    if not isinstance(bound, str):
        return None
    match = _RELATIVE.match(bound.strip().lower())
    if match is None:
        return bound.strip()
    sign, amount, unit = match.groups()
    if sign is None:
        return "today"
    return f"{amount} {_UNITS[unit]} {'before' if sign == '-' else 'after'} today"


def _first_message(
    language: str, *, agent: str, company: str, role: str, first_name: str | None, count: int
) -> str:
    template = _FIRST_MESSAGES.get(language.partition("-")[0].lower(), _FIRST_MESSAGES["en"])
    name = f" {first_name}" if first_name else ""
    return template.format(name=name, agent=agent, company=company, role=role, count=count)
