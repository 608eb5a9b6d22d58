"""Eligibility: check a candidate against their role's criteria, log the evaluation, and move them to
``eligible`` or ``ineligible``.

Choices worth knowing:

* Only the criteria a role sets are evaluated; a role with none makes every candidate eligible.
* Missing candidate data *fails* a criterion, with a reason starting "unknown" ("unknown age: no birth date").
  A failed evaluation is not final (``ineligible -> eligible`` is allowed), so once the data arrives a
  re-evaluation admits the candidate, while guessing in their favour could put an unqualified person in front
  of a recruiter. An empty ``languages`` or ``shifts_available`` list counts as unknown too.
* Every evaluation is logged. A candidate already past eligibility (``interview_scheduled`` and later) or out of
  the running (``rejected``, ``withdrawn``, ``no_show``, ``expired``) is not moved: the result says
  ``moved=False``, and the funnel keeps what a recruiter decided after the earlier evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import EligibilityCriteria, Location, education_rank
from hireflow.domain.models.screening import EligibilityEvaluation
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services.funnel_transitions import (
    CandidateMoved,
    TransitionResult,
    live_candidate,
    transition,
)
from hireflow.shared.clock import Clock, SystemClock, ensure_utc
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.types import JSONObject

EARTH_RADIUS_KM = 6371.0088  # the mean Earth radius (IUGG)

S = FunnelState
MOVABLE_STATES = frozenset({S.LEAD, S.CONTACTED, S.SCREENING, S.SCREENED, S.ELIGIBLE, S.INELIGIBLE})
"""States an evaluation may move a candidate from; the rest are past eligibility or out of the running."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in kilometres between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def age_on(birth_date: date, day: date) -> int:
    """Completed years of age on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


@dataclass(frozen=True)
class Facts:
    """What the criteria are checked against besides the candidate: the evaluation date, the job location and
    the kinds of media the candidate has uploaded."""

    on: date
    location: Location | None = None
    media_kinds: frozenset[str] = frozenset()


Check = Callable[[Candidate, EligibilityCriteria, Facts], tuple[bool, str]]


def _result(criterion: str, passed: bool, reason: str) -> JSONObject:
    return {"criterion": criterion, "passed": passed, "reason": reason}


def _age(candidate: Candidate, criteria: EligibilityCriteria, facts: Facts) -> tuple[bool, str]:
    assert criteria.age is not None
    if candidate.birth_date is None:
        return False, "unknown age: no birth date"
    age = age_on(candidate.birth_date, facts.on)
    low, high = criteria.age.min_years, criteria.age.max_years
    if low is not None and age < low:
        return False, f"age {age} is below the minimum of {low}"
    if high is not None and age > high:
        return False, f"age {age} is above the maximum of {high}"
    return (
        True,
        f"age {age} is within {low if low is not None else 'any'}-{high if high is not None else 'any'}",
    )


def _commute(candidate: Candidate, criteria: EligibilityCriteria, facts: Facts) -> tuple[bool, str]:
    assert criteria.max_commute_km is not None
    limit = f"{criteria.max_commute_km:g} km maximum"
    location = facts.location
    if location is None:
        return False, "unknown job location: the candidate has no location and none was given"
    if location.latitude is None or location.longitude is None:
        return False, f"unknown coordinates of location {location.name!r}"
    if candidate.latitude is None or candidate.longitude is None:
        return False, "unknown candidate coordinates"
    km = haversine_km(candidate.latitude, candidate.longitude, location.latitude, location.longitude)
    if km > criteria.max_commute_km:
        return False, f"commute {km:.1f} km to {location.name} exceeds the {limit}"
    return True, f"commute {km:.1f} km to {location.name} is within the {limit}"


def _documents(_: Candidate, criteria: EligibilityCriteria, facts: Facts) -> tuple[bool, str]:
    missing = [kind for kind in criteria.required_documents if kind not in facts.media_kinds]
    if missing:
        return False, f"missing {', '.join(missing)}"
    return True, f"has {', '.join(criteria.required_documents)}"


def _education(candidate: Candidate, criteria: EligibilityCriteria, _: Facts) -> tuple[bool, str]:
    minimum = criteria.min_education
    assert minimum is not None
    level = candidate.education_level
    if level is None:
        return False, "unknown education level"
    if education_rank(level) < education_rank(minimum):
        return False, f"{level.value} is below the minimum {minimum.value}"
    return True, f"{level.value} meets the minimum {minimum.value}"


def _shifts(candidate: Candidate, criteria: EligibilityCriteria, _: Facts) -> tuple[bool, str]:
    if not candidate.shifts_available:
        return False, "unknown shift availability"
    missing = [shift.value for shift in criteria.required_shifts if shift not in candidate.shifts_available]
    if missing:
        return False, f"not available for {', '.join(missing)}"
    return True, f"available for {', '.join(shift.value for shift in criteria.required_shifts)}"


def _experience(candidate: Candidate, criteria: EligibilityCriteria, _: Facts) -> tuple[bool, str]:
    minimum = criteria.min_experience_months
    months = candidate.experience_months
    if months is None:
        return False, "unknown experience"
    if minimum is not None and months < minimum:
        return False, f"{months} months of experience is below the minimum of {minimum}"
    return True, f"{months} months of experience meets the minimum of {minimum}"


def _languages(candidate: Candidate, criteria: EligibilityCriteria, _: Facts) -> tuple[bool, str]:
    if not candidate.languages:
        return False, "unknown languages"
    spoken = {language.lower() for language in candidate.languages}
    missing = [language for language in criteria.required_languages if language.lower() not in spoken]
    if missing:
        return False, f"does not speak {', '.join(missing)}"
    return True, f"speaks {', '.join(criteria.required_languages)}"


def _work_authorization(candidate: Candidate, _: EligibilityCriteria, __: Facts) -> tuple[bool, str]:
    if candidate.has_work_authorization is None:
        return False, "unknown work authorization"
    if not candidate.has_work_authorization:
        return False, "not authorized to work"
    return True, "authorized to work"


# (criterion name = the EligibilityCriteria field, is it set?, check), in the order results are reported.
CHECKS: tuple[tuple[str, Callable[[EligibilityCriteria], bool], Check], ...] = (
    ("age", lambda c: c.age is not None and (c.age.min_years, c.age.max_years) != (None, None), _age),
    ("max_commute_km", lambda c: c.max_commute_km is not None, _commute),
    ("required_documents", lambda c: bool(c.required_documents), _documents),
    ("min_education", lambda c: c.min_education is not None, _education),
    ("required_shifts", lambda c: bool(c.required_shifts), _shifts),
    ("min_experience_months", lambda c: c.min_experience_months is not None, _experience),
    ("required_languages", lambda c: bool(c.required_languages), _languages),
    ("work_authorization_required", lambda c: c.work_authorization_required, _work_authorization),
)


def check_criteria(candidate: Candidate, criteria: EligibilityCriteria, facts: Facts) -> list[JSONObject]:
    """One ``{"criterion", "passed", "reason"}`` per criterion the role sets (pure; nothing is logged)."""
    results = []
    for name, is_set, check in CHECKS:
        if is_set(criteria):
            passed, reason = check(candidate, criteria, facts)
            results.append(_result(name, passed, reason))
    return results


@dataclass(frozen=True)
class EligibilityOutcome:
    """An evaluation as logged, the candidate after it, and whether they moved (``move`` is None if not)."""

    evaluation: EligibilityEvaluation
    candidate: Candidate
    move: CandidateMoved | None

    @property
    def is_eligible(self) -> bool:
        """True when every evaluated criterion passed."""
        return self.evaluation.is_eligible

    @property
    def results(self) -> list[JSONObject]:
        """The per-criterion results."""
        return self.evaluation.results

    @property
    def moved(self) -> bool:
        """True when the evaluation moved the candidate to eligible or ineligible."""
        return self.move is not None and self.move.result is TransitionResult.APPLIED


def evaluate_in(
    uow: UnitOfWork,
    candidate_id: int,
    at: datetime,
    *,
    role_id: int | None = None,
    location_id: int | None = None,
    actor: str = "system",
) -> EligibilityOutcome:
    """Evaluate, log and move a candidate inside an open unit of work (the caller commits); see the module doc."""
    at = ensure_utc(at)
    candidate = live_candidate(uow, candidate_id)
    role = uow.roles.get(_role_id(candidate, role_id))
    assert role.id is not None
    place = location_id if location_id is not None else candidate.location_id
    facts = Facts(
        on=at.date(),
        location=None if place is None else uow.locations.get(place),
        media_kinds=frozenset(media.kind.value for media in uow.candidate_media.for_candidate(candidate_id)),
    )
    results = check_criteria(candidate, role.eligibility_criteria, facts)
    evaluation = uow.eligibility_evaluations.add(
        EligibilityEvaluation(
            company_group_id=candidate.company_group_id,
            candidate_id=candidate_id,
            role_id=role.id,
            evaluated_at=at,
            is_eligible=all(result["passed"] for result in results),
            results=results,
            criteria=role.eligibility_criteria.model_dump(mode="json"),
            actor=actor,
        )
    )
    move = _move(uow, candidate, evaluation, actor)
    return EligibilityOutcome(evaluation, move.candidate if move else candidate, move)


def _role_id(candidate: Candidate, role_id: int | None) -> int:
    if role_id is not None:
        return role_id
    if candidate.role_id is None:
        raise ValidationFailed(
            f"candidate {candidate.id} has no role to be evaluated against; pass role_id",
            [{"field": "role_id", "message": "required: the candidate has no role"}],
        )
    return candidate.role_id


def _move(
    uow: UnitOfWork, candidate: Candidate, evaluation: EligibilityEvaluation, actor: str
) -> CandidateMoved | None:
    if candidate.funnel_state not in MOVABLE_STATES:
        return None
    target = S.ELIGIBLE if evaluation.is_eligible else S.INELIGIBLE
    failed = failed_criteria(evaluation.results)
    reason = "every criterion passed" if not failed else f"failed {', '.join(failed)}"
    assert candidate.id is not None
    return transition(
        uow,
        candidate.id,
        target,
        at=evaluation.evaluated_at,
        actor=actor,
        reason=reason,
        details={"eligibility_evaluation_id": evaluation.id},
    )


class Eligibility:
    """Eligibility use cases: ``Eligibility(uow_factory, clock).evaluate(cg, candidate_id)``."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()

    def evaluate(
        self,
        company_group_id: int,
        candidate_id: int,
        at: datetime | None = None,
        *,
        role_id: int | None = None,
        location_id: int | None = None,
        actor: str = "system",
    ) -> EligibilityOutcome:
        """Evaluate a candidate against a role (``role_id``, else theirs) for a location (``location_id``, else
        theirs), log one evaluation, move them to eligible/ineligible when their state allows, and commit."""
        with self._uow_factory(company_group_id) as uow:
            outcome = evaluate_in(
                uow,
                candidate_id,
                at or self._clock.now(),
                role_id=role_id,
                location_id=location_id,
                actor=actor,
            )
            uow.commit()
        return outcome

    def history(self, company_group_id: int, candidate_id: int) -> list[EligibilityEvaluation]:
        """A candidate's evaluations, oldest first."""
        with self._uow_factory(company_group_id) as uow:
            return list(uow.eligibility_evaluations.for_candidate(candidate_id))


def failed_criteria(results: Iterable[JSONObject]) -> list[str]:
    """The names of the criteria that failed in a list of results."""
    return [str(result["criterion"]) for result in results if not result["passed"]]
