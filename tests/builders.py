"""Builders of realistic domain objects shared by unit and integration tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hireflow.domain.models.candidates import Candidate, CandidateSource
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import (
    AgeRange,
    CompanyGroup,
    EligibilityCriteria,
    HiringObjective,
    Location,
    Role,
    Shift,
)
from hireflow.domain.models.screening import QuestionSet, ScreeningQuestion
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory

T0 = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)


def new_tenant(factory: UnitOfWorkFactory, slug: str) -> int:
    """Create and commit a company group; return its id."""
    with factory() as uow:
        group = uow.company_groups.add(CompanyGroup(name=slug.title(), slug=slug))
        uow.commit()
    assert group.id is not None
    return group.id


def candidate(company_group_id: int, phone: str = "+15555550100", **fields: object) -> Candidate:
    values: dict[str, object] = {
        "company_group_id": company_group_id,
        "first_name": "Ana",
        "last_name": "Lopez",
        "phone_e164": phone,
        "email": "Ana.Lopez@example.com",
        "birth_date": date(1998, 2, 14),
        "languages": ["es", "en"],
        "shifts_available": [Shift.MORNING, Shift.WEEKEND],
        "source": CandidateSource.WHATSAPP,
        "entered_at": T0,
    }
    return Candidate.model_validate(values | fields)


def role(company_group_id: int, title: str = "Warehouse associate", **fields: object) -> Role:
    criteria = EligibilityCriteria(
        age=AgeRange(min_years=18),
        max_commute_km=25.5,
        required_shifts=[Shift.NIGHT],
        required_languages=["es"],
    )
    values: dict[str, object] = {
        "company_group_id": company_group_id,
        "title": title,
        "pay_min_minor": 1800,
        "pay_max_minor": 2200,
        "eligibility_criteria": criteria,
    }
    return Role.model_validate(values | fields)


def objective(company_group_id: int, role_id: int) -> HiringObjective:
    return HiringObjective(
        company_group_id=company_group_id, role_id=role_id, objective_amount=12, start_date=date(2024, 6, 1)
    )


def location(company_group_id: int, name: str = "Madrid DC", **fields: object) -> Location:
    """A work site with coordinates (central Madrid unless told otherwise)."""
    values: dict[str, object] = {
        "company_group_id": company_group_id,
        "name": name,
        "city": "Madrid",
        "country_code": "ES",
        "latitude": 40.4168,
        "longitude": -3.7038,
    }
    return Location.model_validate(values | fields)


def question_drafts() -> list[dict[str, object]]:
    """A screening question set with one question of every kind, in order; only ``about_you`` is optional."""
    return [
        {"key": "work_authorization", "kind": "yes_no", "prompt": "Can you work legally here?"},
        {"key": "education", "kind": "single_choice", "prompt": "Highest education?",
         "options": ["Primary", "Secondary", "Bachelor"]},
        {"key": "shifts", "kind": "multiple_choice", "prompt": "Which shifts?",
         "options": ["Morning", "Afternoon", "Night"]},
        {"key": "experience_months", "kind": "number", "prompt": "Months of experience?",
         "validation": {"min": 0, "max": 600, "integer": True}},
        {"key": "birth_date", "kind": "date", "prompt": "Date of birth?",
         "validation": {"min": "1940-01-01", "max": "today-16y"}},
        {"key": "home", "kind": "location", "prompt": "Where do you live?"},
        {"key": "id_document", "kind": "document", "prompt": "A photo of your ID, please.",
         "validation": {"accepted_kinds": ["id_document"]}},
        {"key": "about_you", "kind": "free_text", "prompt": "Anything else?", "is_required": False,
         "validation": {"max_length": 200}},
    ]  # fmt: skip


PHONE_QUESTIONS: list[dict[str, Any]] = [
    {"key": "work_authorization", "kind": "yes_no", "prompt": "Can you work legally in this country?"},
    {"key": "shifts", "kind": "multiple_choice", "prompt": "Which shifts can you work?",
     "options": ["Morning", "Afternoon", "Night"]},
    {"key": "experience_months", "kind": "number", "prompt": "How many months of warehouse experience do you have?",
     "validation": {"min": 0, "max": 600, "integer": True}},
    {"key": "start_date", "kind": "date", "prompt": "When could you start?", "validation": {"min": "today"}},
    {"key": "id_document", "kind": "document", "prompt": "A photo of your ID, please."},
    {"key": "about_you", "kind": "free_text", "prompt": "Anything else we should know?", "is_required": False},
]  # fmt: skip
"""A phone-screen question set: one question of most kinds, a document one (never asked by phone) and an
optional one last."""


def phone_question_set(
    factory: UnitOfWorkFactory, company_group_id: int, role_id: int | None = None
) -> tuple[QuestionSet, list[ScreeningQuestion]]:
    """Store and commit the :data:`PHONE_QUESTIONS` set (for ``role_id``); return it and its questions."""
    with factory(company_group_id) as uow:
        question_set = uow.question_sets.add(
            QuestionSet(company_group_id=company_group_id, role_id=role_id, name="Phone screen")
        )
        assert question_set.id is not None
        questions = [
            uow.screening_questions.add(
                ScreeningQuestion.model_validate(
                    {"company_group_id": company_group_id, "question_set_id": question_set.id, "position": n}
                    | draft
                )
            )
            for n, draft in enumerate(PHONE_QUESTIONS)
        ]
        uow.commit()
    return question_set, questions


def post_call_payload(
    conversation_id: str,
    values: dict[str, Any],
    *,
    status: str = "done",
    user_spoke: bool = True,
    call_successful: str = "success",
    start: datetime = T0,
    duration_secs: int = 95,
) -> dict[str, Any]:
    """An ElevenLabs ``post_call_transcription`` webhook with ``values`` collected, plus fields Hireflow ignores."""
    transcript: list[dict[str, Any]] = [
        {"role": "agent", "message": "Hi Ana, this is Alex from Acme.", "time_in_call_secs": 0},
        {"role": "agent", "message": None, "time_in_call_secs": 3, "tool_calls": [{"name": "lookup"}]},
    ]
    if user_spoke:
        transcript.append(
            {"role": "user", "message": "Hi, yes, I have a few minutes.", "time_in_call_secs": 4}
        )
    return {
        "type": "post_call_transcription",
        "event_timestamp": int(start.timestamp()) + duration_secs + 5,
        "data": {
            "agent_id": "agent_7xK",
            "conversation_id": conversation_id,
            "status": status,
            "transcript": transcript,
            "metadata": {
                "start_time_unix_secs": int(start.timestamp()),
                "call_duration_secs": duration_secs,
                "cost": 412,
            },
            "analysis": {
                "call_successful": call_successful,
                "transcript_summary": "Ana answered every question and can start soon.",
                "data_collection_results": {
                    key: {
                        "data_collection_id": key,
                        "value": value,
                        "rationale": f"The candidate said {value}.",
                    }
                    for key, value in values.items()
                },
                "evaluation_criteria_results": {},
            },
            "has_audio": True,
        },
    }


_S, _H, _D = FunnelState, timedelta(hours=1), timedelta(days=1)
# A small funnel of five candidates for the analytics tests:
# candidate -> (business unit, source, entered after T0, [(state, time after entry)])
FUNNEL_PLAN = {
    "c1": ("north", CandidateSource.WHATSAPP, 0 * _D, [
        (_S.CONTACTED, 1 * _H), (_S.SCREENING, 3 * _H), (_S.SCREENED, 5 * _H), (_S.ELIGIBLE, 6 * _H),
        (_S.INTERVIEW_SCHEDULED, 1 * _D), (_S.INTERVIEWED, 2 * _D), (_S.OFFERED, 3 * _D), (_S.HIRED, 4 * _D),
    ]),
    "c2": ("north", CandidateSource.WHATSAPP, 1 * _D, [(_S.CONTACTED, 2 * _H), (_S.WITHDRAWN, 10 * _H)]),
    "c3": ("south", CandidateSource.META_ADS, 8 * _D, [
        (_S.CONTACTED, 1 * _H), (_S.SCREENING, 2 * _H), (_S.INELIGIBLE, 4 * _H),
    ]),
    "c4": ("south", CandidateSource.REFERRAL, 8 * _D + 12 * _H, []),
    "c5": ("north", CandidateSource.META_ADS, 2 * _D, [
        (_S.ELIGIBLE, 1 * _H), (_S.OFFERED, 2 * _H), (_S.HIRED, 3 * _H), (_S.ONBOARDING, 1 * _D),
    ]),
}  # fmt: skip
