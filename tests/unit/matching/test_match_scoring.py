"""Scoring one candidate-job pair: each component, the weighted score, and the explanation."""

from __future__ import annotations

from datetime import date

import pytest

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.jobs import JobOpening
from hireflow.domain.models.matching import MatchWeights
from hireflow.domain.models.org import EligibilityCriteria, Location, PayPeriod, Role, Shift
from hireflow.domain.services.match_scoring import PairFacts, annual, score_pair, skill_overlap
from tests.builders import candidate

AUSTIN = (30.2672, -97.7431)
ROUND_ROCK = (30.5083, -97.6789)  # about 27 km north
DALLAS = (32.7767, -96.7970)
TODAY = date(2026, 12, 1)


def job(**fields: object) -> JobOpening:
    values: dict[str, object] = {
        "id": 1,
        "company_group_id": 1,
        "title": "Registered Nurse - ICU",
        "skills": ["ACLS", "Ventilator management", "Epic"],
        "salary_min_minor": 40_00,
        "salary_max_minor": 50_00,
        "salary_unit": PayPeriod.HOUR,
    }
    return JobOpening.model_validate(values | fields)


def nurse(**fields: object) -> Candidate:
    values: dict[str, object] = {
        "id": 2,
        "headline": "Critical-care RN, Epic charting",
        "skills": ["acls", "ventilator  management"],
        "salary_expectation_minor": 90_000_00,
        "available_from": date(2026, 11, 1),
    }
    return candidate(1, **(values | fields))


def test_a_close_affordable_available_candidate_scores_on_every_component() -> None:
    facts = PairFacts(on=TODAY, candidate_point=ROUND_ROCK, job_point=AUSTIN)

    scored = score_pair(job(), nurse(), 0.8, facts, MatchWeights())

    parts = scored.components
    assert parts.similarity == 0.8
    assert parts.distance == pytest.approx(1 - 27.4 / 50, abs=0.01)
    assert parts.salary == 1.0  # 90,000 a year is within 83,200-104,000 (hourly x 2080)
    assert parts.eligibility == 1.0
    assert parts.availability == 1.0
    weights = MatchWeights()
    expected = (0.6 * 0.8 + 0.15 * parts.distance + 0.1 + 0.1 + 0.05) / weights.total()
    assert scored.score == pytest.approx(expected, abs=1e-6)
    why = scored.explanation
    assert why.distance_km == pytest.approx(27.4, abs=0.3)
    assert why.matched_skills == ["ACLS", "Ventilator management", "Epic"]  # Epic is named in the headline
    assert why.missing_skills == []
    assert "within range" in why.salary
    assert why.notes == ["no eligibility criteria apply"]


def test_unknown_components_take_the_unknown_score_and_say_what_was_missing() -> None:
    scored = score_pair(
        job(salary_min_minor=None, salary_max_minor=None),
        nurse(salary_expectation_minor=None, available_from=None),
        0.5,
        PairFacts(on=TODAY, job_point=AUSTIN),
        MatchWeights(unknown_score=0.3),
    )

    assert scored.components.distance == 0.3
    assert scored.components.salary == 0.3
    assert scored.components.availability == 0.3
    assert scored.explanation.distance_km is None
    assert "no coordinates for the candidate" in scored.explanation.notes[0]
    assert scored.explanation.salary.startswith("salary unknown")
    assert scored.explanation.availability == "availability unknown"


def test_far_expensive_and_late_candidates_lose_each_component_linearly() -> None:
    facts = PairFacts(on=TODAY, candidate_point=DALLAS, job_point=AUSTIN)
    top_of_range = annual(50_00, PayPeriod.HOUR)

    scored = score_pair(
        job(),
        nurse(salary_expectation_minor=int(top_of_range * 1.25), available_from=date(2027, 1, 15)),
        0.9,
        facts,
        MatchWeights(),
    )

    assert scored.components.distance == 0.0  # about 290 km, past the 50 km limit
    assert scored.components.salary == pytest.approx(0.5)  # 25% over, half-way to the 50% tolerance
    assert scored.components.availability == pytest.approx(1 - 45 / 90)
    assert "25% above range" in scored.explanation.salary
    assert "available in 45 days" in scored.explanation.availability


def test_the_roles_criteria_are_checked_with_the_coordinates_found_for_the_candidate() -> None:
    criteria = EligibilityCriteria(max_commute_km=30, required_shifts=[Shift.NIGHT])
    role = Role(id=5, company_group_id=1, title="RN", eligibility_criteria=criteria)
    site = Location(company_group_id=1, name="Austin", latitude=AUSTIN[0], longitude=AUSTIN[1])
    facts = PairFacts(on=TODAY, candidate_point=ROUND_ROCK, job_point=AUSTIN, role=role, job_location=site)

    scored = score_pair(job(role_id=5), nurse(shifts_available=[Shift.MORNING]), 0.7, facts, MatchWeights())

    results = {result["criterion"]: result for result in scored.explanation.eligibility}
    assert results["max_commute_km"]["passed"] is True  # the candidate has no coordinates of their own
    assert results["required_shifts"]["passed"] is False
    assert scored.components.eligibility == 0.5
    assert scored.components.distance == pytest.approx(1 - 27.4 / 30, abs=0.01)  # the role's own limit


def test_skills_match_case_and_spacing_insensitively_and_by_mention() -> None:
    matched, missing = skill_overlap(
        job(skills=["C++", "Node.js", "Kubernetes", "  "]),
        nurse(skills=["c++", "node.js"], headline="Engineer", summary="Runs kubernetes clusters daily."),
    )

    assert matched == ["C++", "Node.js", "Kubernetes"]
    assert missing == []
    assert skill_overlap(job(skills=["Go"]), nurse(skills=["golang"], headline=None, summary=None)) == (
        [],
        ["Go"],
    )


def test_weights_must_not_all_be_zero() -> None:
    with pytest.raises(ValueError, match="at least one weight"):
        MatchWeights(similarity=0, distance=0, salary=0, eligibility=0, availability=0)
