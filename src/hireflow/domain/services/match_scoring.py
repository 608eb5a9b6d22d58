"""The score of one candidate-job pair: vector similarity combined with structured signals, and why.

Each component is a number in [0, 1]; the score is their mean weighted by :class:`MatchWeights`. A component that
cannot be computed (no coordinates, no salary expectation, no availability date) takes ``unknown_score`` and the
explanation says what was missing, so a sparse profile neither wins nor loses on what nobody knows.

* similarity: the cosine of the two embeddings, below zero counted as zero.
* distance: 1 at the job's door, falling linearly to 0 at the commute limit (the role's ``max_commute_km`` when it
  sets one, else ``MatchWeights.max_commute_km``).
* salary: 1 when the candidate's expectation (annual, see ``Candidate.salary_expectation_minor``) is within or
  below the job's range annualised; above it, falling linearly to 0 at 50% over the top of the range.
* eligibility: the share of the role's criteria the candidate passes (1 when the job's role sets none).
* availability: 1 when the candidate is available by the job's start (the day of matching), falling linearly to
  0 ``availability_horizon_days`` later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.jobs import JobOpening
from hireflow.domain.models.matching import MatchComponents, MatchExplanation, MatchWeights
from hireflow.domain.models.org import Location, PayPeriod, Role
from hireflow.domain.services.eligibility import Facts, check_criteria, haversine_km

PERIODS_PER_YEAR = {
    PayPeriod.HOUR: 2080,  # 40 hours x 52 weeks, as the CRM connectors annualise hourly rates
    PayPeriod.DAY: 260,
    PayPeriod.WEEK: 52,
    PayPeriod.MONTH: 12,
    PayPeriod.YEAR: 1,
}
SALARY_TOLERANCE = 0.5
"""How far above the top of the range (as a share of it) an expectation falls to a salary score of 0."""

Point = tuple[float, float]


@dataclass(frozen=True)
class PairFacts:
    """What scoring one pair needs besides the two records: coordinates found for each side (from the record,
    its location, or the geocoder), the job's role and location, the candidate's uploaded media kinds, and the
    day of matching."""

    on: date
    candidate_point: Point | None = None
    job_point: Point | None = None
    role: Role | None = None
    job_location: Location | None = None
    media_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ScoredPair:
    score: float
    components: MatchComponents
    explanation: MatchExplanation


def normalise_skill(skill: str) -> str:
    return " ".join(re.findall(r"[\w+#.]+", skill.casefold())).strip(".")


def skill_overlap(job: JobOpening, candidate: Candidate) -> tuple[list[str], list[str]]:
    """The job's skills the candidate has (listed, or named in the headline or summary), and those they lack."""
    listed = {normalise_skill(skill) for skill in candidate.skills}
    prose = " ".join(part for part in (candidate.headline, candidate.summary) if part)
    prose = f" {normalise_skill(prose)} "
    matched: list[str] = []
    missing: list[str] = []
    for skill in job.skills:
        key = normalise_skill(skill)
        if not key:
            continue
        (matched if key in listed or f" {key} " in prose else missing).append(skill)
    return matched, missing


def _linear(value: float, zero_at: float) -> float:
    """1 at ``value`` 0, falling linearly to 0 at ``zero_at``."""
    return max(0.0, 1.0 - value / zero_at)


def _distance(facts: PairFacts, weights: MatchWeights) -> tuple[float | None, float | None, str]:
    if facts.candidate_point is None or facts.job_point is None:
        side = "candidate" if facts.candidate_point is None else "job"
        return None, None, f"distance unknown: no coordinates for the {side}"
    km = haversine_km(*facts.candidate_point, *facts.job_point)
    role_limit = None if facts.role is None else facts.role.eligibility_criteria.max_commute_km
    limit = role_limit or weights.max_commute_km
    return _linear(km, limit), km, f"{km:.1f} km (score 0 at {limit:g} km)"


def annual(amount_minor: int, period: PayPeriod | None) -> int:
    return amount_minor * PERIODS_PER_YEAR[period or PayPeriod.YEAR]


def _salary(job: JobOpening, candidate: Candidate) -> tuple[float | None, str]:
    expectation = candidate.salary_expectation_minor
    if expectation is None:
        return None, "salary unknown: the candidate gave no expectation"
    low, high = job.salary_min_minor, job.salary_max_minor
    if low is None and high is None:
        return None, "salary unknown: the job has no range"
    top = annual(high if high is not None else low or 0, job.salary_unit)
    bottom = annual(low if low is not None else top, job.salary_unit)
    money = f"{expectation / 100:,.0f} {job.salary_currency}/year expected vs {bottom / 100:,.0f}"
    money += f"-{top / 100:,.0f}" if top != bottom else ""
    if expectation <= top or top == 0:
        return 1.0, f"{money}: within range" if expectation >= bottom else f"{money}: below range"
    over = (expectation - top) / top
    return _linear(over, SALARY_TOLERANCE), f"{money}: {over:.0%} above range"


def _eligibility(candidate: Candidate, facts: PairFacts) -> tuple[float, list[dict[str, object]], str | None]:
    if facts.role is None or facts.role.eligibility_criteria.is_empty():
        return 1.0, [], "no eligibility criteria apply"
    located = candidate
    if facts.candidate_point is not None and (candidate.latitude is None or candidate.longitude is None):
        # The commute check reads the candidate's own coordinates; lend it the ones found elsewhere.
        located = candidate.model_copy(
            update={"latitude": facts.candidate_point[0], "longitude": facts.candidate_point[1]}
        )
    results = check_criteria(
        located,
        facts.role.eligibility_criteria,
        Facts(on=facts.on, location=facts.job_location, media_kinds=facts.media_kinds),
    )
    passed = sum(1 for result in results if result["passed"])
    return passed / len(results), list(results), None


def _availability(candidate: Candidate, on: date, weights: MatchWeights) -> tuple[float | None, str]:
    available = candidate.available_from
    if available is None:
        return None, "availability unknown"
    if available <= on:
        return 1.0, f"available now (from {available.isoformat()})"
    wait = (available - on).days
    return _linear(
        wait, weights.availability_horizon_days
    ), f"available in {wait} days ({available.isoformat()})"


def score_pair(
    job: JobOpening, candidate: Candidate, cosine: float, facts: PairFacts, weights: MatchWeights
) -> ScoredPair:
    """Score and explain one pair; ``cosine`` is the similarity of their embeddings."""
    unknown = weights.unknown_score
    notes: list[str] = []
    distance, km, distance_note = _distance(facts, weights)
    salary, salary_note = _salary(job, candidate)
    eligibility, results, eligibility_note = _eligibility(candidate, facts)
    availability, availability_note = _availability(candidate, facts.on, weights)
    if distance is None:
        notes.append(distance_note)
    if eligibility_note:
        notes.append(eligibility_note)
    components = MatchComponents(
        similarity=max(0.0, min(1.0, cosine)),
        distance=unknown if distance is None else distance,
        salary=unknown if salary is None else salary,
        eligibility=eligibility,
        availability=unknown if availability is None else availability,
    )
    score = (
        weights.similarity * components.similarity
        + weights.distance * components.distance
        + weights.salary * components.salary
        + weights.eligibility * components.eligibility
        + weights.availability * components.availability
    ) / weights.total()
    matched, missing = skill_overlap(job, candidate)
    explanation = MatchExplanation(
        cosine=round(cosine, 6),
        matched_skills=matched,
        missing_skills=missing,
        distance_km=None if km is None else round(km, 1),
        salary=salary_note,
        eligibility=results,
        availability=availability_note,
        notes=notes,
    )
    return ScoredPair(score=round(score, 6), components=components, explanation=explanation)
