"""Builders of realistic domain objects shared by unit and integration tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hireflow.domain.models.candidates import Candidate, CandidateSource
from hireflow.domain.models.org import (
    AgeRange,
    CompanyGroup,
    EligibilityCriteria,
    HiringObjective,
    Role,
    Shift,
)
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
