"""Screening for the demo data set: candidate profiles that agree with their eligibility outcome, the answers and
response timing of the questions they were asked, and the eligibility evaluation recorded for them."""

from __future__ import annotations

import math
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from random import Random
from typing import TYPE_CHECKING, Any

from hireflow.domain.models.funnel import FunnelState as S
from hireflow.domain.models.org import EligibilityCriteria
from hireflow.infra.db.seed_data import EDUCATION_OPTIONS, FREE_TEXT_ANSWERS, SHIFT_OPTIONS
from hireflow.infra.db.seed_org import IdAllocator, Opening, QuestionRef

if TYPE_CHECKING:
    from hireflow.infra.db.seed_funnel import Move

Row = dict[str, Any]
_EDUCATION_WEIGHTS = list(accumulate((2, 3, 45, 15, 15, 20)))
_LANGUAGES, _LANGUAGE_WEIGHTS = (("en",), ("en", "es"), ("es",)), list(accumulate((75, 20, 5)))
_KM_PER_DEGREE = 111.32
_SCREENING, _SCREENED = S.SCREENING, S.SCREENED  # plain globals: enum attribute access is slow in a hot loop


@dataclass(frozen=True, slots=True)
class Profile:
    """What a candidate told the screening bot, and which criterion (if any) they fail."""

    birth_date: date
    age: int
    latitude: float
    longitude: float
    commute_km: float
    education: str
    experience_months: int
    shifts: tuple[str, ...]
    languages: tuple[str, ...]
    work_authorized: bool
    salary_expectation_minor: int
    missing_document: str | None
    failed: str | None


def active_criteria(opening: Opening) -> list[str]:
    """The names of the criteria a role actually checks (an unset criterion is not checked)."""
    criteria = opening.criteria
    return [name for name, value in criteria if value not in (None, [], False)]


def make_profile(rng: Random, opening: Opening, *, ineligible: bool, on: date) -> Profile:
    """A plausible profile that meets every criterion of the opening, or fails exactly one when ``ineligible``."""
    criteria = opening.criteria
    age_range = criteria.age
    low = age_range.min_years if age_range and age_range.min_years else 18
    high = age_range.max_years if age_range and age_range.max_years else 64
    values: dict[str, Any] = {
        "age": min(high, int(rng.triangular(low, high + 1, low + 6))),
        "commute_km": round(rng.uniform(0.5, min(30.0, 0.95 * (criteria.max_commute_km or 40))), 1),
        "education": EDUCATION_OPTIONS[bisect(_EDUCATION_WEIGHTS, rng.random() * _EDUCATION_WEIGHTS[-1])],
        "experience_months": min(360, int(rng.expovariate(1 / 28))),
        "shifts": {shift for shift in SHIFT_OPTIONS if rng.random() < 0.45} | set(criteria.required_shifts),
        "languages": set(_LANGUAGES[bisect(_LANGUAGE_WEIGHTS, rng.random() * _LANGUAGE_WEIGHTS[-1])])
        | set(criteria.required_languages),
        "work_authorized": True,
        "missing_document": None,
    }
    minimum = criteria.min_education
    if minimum is not None and EDUCATION_OPTIONS.index(values["education"]) < EDUCATION_OPTIONS.index(
        minimum
    ):
        values["education"] = minimum.value
    if criteria.min_experience_months and values["experience_months"] < criteria.min_experience_months:
        values["experience_months"] = criteria.min_experience_months + rng.randrange(36)
    failed = rng.choice(active_criteria(opening)) if ineligible else None
    if failed is not None:
        _fail(rng, opening, failed, values, low)
    bearing = rng.uniform(0, 2 * math.pi)
    site = opening.site
    latitude = site.latitude + values["commute_km"] * math.cos(bearing) / _KM_PER_DEGREE
    longitude = site.longitude + values["commute_km"] * math.sin(bearing) / (
        _KM_PER_DEGREE * math.cos(math.radians(site.latitude))
    )
    return Profile(
        birth_date=_birth_date(rng, values["age"], on),
        age=values["age"],
        latitude=round(latitude, 5),
        longitude=round(longitude, 5),
        commute_km=values["commute_km"],
        education=values["education"],
        experience_months=values["experience_months"],
        shifts=tuple(shift for shift in SHIFT_OPTIONS if shift in values["shifts"]),
        languages=tuple(sorted(values["languages"])),
        work_authorized=values["work_authorized"],
        salary_expectation_minor=rng.randrange(opening.pay_min_minor - 200, opening.pay_max_minor + 300, 25),
        missing_document=values["missing_document"],
        failed=failed,
    )


def _fail(rng: Random, opening: Opening, criterion: str, values: dict[str, Any], min_age: int) -> None:
    criteria = opening.criteria
    if criterion == "age":
        values["age"] = max(14, min_age - rng.randint(1, 2))
    elif criterion == "max_commute_km":
        values["commute_km"] = round((criteria.max_commute_km or 30) * rng.uniform(1.15, 2.5), 1)
    elif criterion == "required_documents":
        values["missing_document"] = rng.choice(criteria.required_documents)
    elif criterion == "min_education" and criteria.min_education is not None:
        values["education"] = EDUCATION_OPTIONS[
            rng.randrange(EDUCATION_OPTIONS.index(criteria.min_education))
        ]
    elif criterion == "required_shifts":
        values["shifts"].discard(rng.choice(criteria.required_shifts).value)
    elif criterion == "min_experience_months":
        values["experience_months"] = rng.randrange(criteria.min_experience_months or 1)
    elif criterion == "required_languages":
        values["languages"] = {"es", "en"} - set(criteria.required_languages) or {"es"}
    elif criterion == "work_authorization_required":
        values["work_authorized"] = False


def _birth_date(rng: Random, age: int, on: date) -> date:
    # A day less than a year before ``on``, moved back ``age`` years: exactly ``age`` on ``on``.
    anniversary = on - timedelta(days=rng.randint(0, 364))
    day = 28 if (anniversary.month, anniversary.day) == (2, 29) else anniversary.day
    return anniversary.replace(year=anniversary.year - age, day=day)


def answer_rows(
    rng: Random,
    ids: IdAllocator,
    rows: dict[str, list[Row]],
    candidate_id: int,
    *,
    opening: Opening,
    profile: Profile,
    moves: list[Move],
    now: datetime,
) -> None:
    """Screening answers and response timing for a candidate who started screening."""
    index = next(i for i, move in enumerate(moves) if move.to_state is _SCREENING)
    started = moves[index].at
    following = moves[index + 1] if index + 1 < len(moves) else None
    completed = following is not None and following.to_state is _SCREENED
    questions = opening.questions
    span = ((following.at if following else now) - started).total_seconds()
    if completed:
        asked = questions
    else:  # they stopped part-way, soon after starting: the question they stopped at has no answer
        asked = questions[: rng.randrange(len(questions)) + 1]
        span = min(span, rng.uniform(300, 6 * 3600))
    random = rng.random
    points = sorted([random() * span for _ in range(2 * len(asked))])
    group_id = opening.company_group_id
    timing_ids, answer_ids = ids.counter("response_timing"), ids.counter("screening_answers")
    for position, question in enumerate(asked):
        sent = started + timedelta(seconds=int(points[2 * position]))
        answered: datetime | None = started + timedelta(seconds=int(points[2 * position + 1]))
        last_unanswered = not completed and position == len(asked) - 1
        if last_unanswered or (not question.required and random() < 0.5):
            answered = None
        rows["response_timing"].append({
            "id": next(timing_ids), "company_group_id": group_id, "candidate_id": candidate_id,
            "question_id": question.id, "sent_at": sent, "answered_at": answered,
            "response_ms": None if answered is None else int((answered - sent).total_seconds() * 1000),
            "created_at": sent, "updated_at": answered or sent,
        })  # fmt: skip
        if answered is not None:
            value, raw = _answer(rng, question, profile, candidate_id)
            rows["screening_answers"].append({
                "id": next(answer_ids), "company_group_id": group_id, "candidate_id": candidate_id,
                "question_id": question.id, "value": value, "raw_text": raw, "answered_at": answered,
                "created_at": answered, "updated_at": answered,
            })  # fmt: skip


Answer = tuple[Any, str | None]
"""The typed value stored for an answer, and the text the candidate sent."""


def _yes_no(value: bool) -> Answer:
    return value, "Yes" if value else "No"


def _date_answer(birth: date) -> Answer:
    return birth.isoformat(), f"{birth.month:02d}/{birth.day:02d}/{birth.year}"


def _months_answer(months: int) -> Answer:
    return months, f"{months // 12} years" if months >= 24 and months % 12 == 0 else f"{months} months"


def _choice_answer(choice: str) -> Answer:
    return choice, choice.replace("_", " ")


# Answers that follow from the profile, by question key; the other questions are answered at random.
_FROM_PROFILE: dict[str, Callable[[Profile], Answer]] = {
    "work_authorization": lambda p: _yes_no(p.work_authorized),
    "birth_date": lambda p: _date_answer(p.birth_date),
    "home_location": lambda p: ({"latitude": p.latitude, "longitude": p.longitude}, None),
    "experience_months": lambda p: _months_answer(p.experience_months),
    "education": lambda p: (p.education, p.education),
    "shifts": lambda p: (list(p.shifts), ", ".join(p.shifts) or "none"),
}


def _answer(rng: Random, question: QuestionRef, profile: Profile, candidate_id: int) -> Answer:
    from_profile = _FROM_PROFILE.get(question.key)
    if from_profile is not None:
        return from_profile(profile)
    if question.kind == "document":
        if question.key == profile.missing_document:
            return None, "I don't have it yet"
        file_name = f"{question.key}_{candidate_id}.jpg"
        return {"document_type": question.key, "file_name": file_name, "content_type": "image/jpeg"}, None
    if question.kind == "free_text":
        text = rng.choice(FREE_TEXT_ANSWERS)
        return text, text
    if question.kind == "single_choice":
        return _choice_answer(rng.choice(question.options))
    return _yes_no(rng.random() < 0.93)


def evaluation_row(
    evaluation_id: int, candidate_id: int, opening: Opening, profile: Profile, at: datetime
) -> Row:
    """The eligibility evaluation of a screened candidate, one result per criterion the role checks."""
    results = [
        {"criterion": name, "passed": name != profile.failed, "reason": _reason(name, opening, profile)}
        for name in active_criteria(opening)
    ]
    return {
        "id": evaluation_id, "company_group_id": opening.company_group_id, "candidate_id": candidate_id,
        "role_id": opening.role_id, "evaluated_at": at, "is_eligible": profile.failed is None, "results": results,
        "criteria": opening.criteria_json, "actor": "system", "created_at": at, "updated_at": at,
    }  # fmt: skip


_REASONS: dict[str, Callable[[EligibilityCriteria, Profile, Opening], str]] = {
    "age": lambda c, p, _: f"age {p.age}, minimum {c.age.min_years if c.age else None}",
    "max_commute_km": lambda c, p, o: (
        f"{p.commute_km} km from {o.site.name}, maximum {c.max_commute_km:g} km"
    ),
    "required_documents": lambda _, p, __: (
        f"missing {p.missing_document}" if p.missing_document else "all documents provided"
    ),
    "min_education": lambda c, p, _: f"{p.education}, minimum {c.min_education}",
    "required_shifts": lambda c, p, _: (
        f"available {', '.join(p.shifts) or 'none'}; needs {', '.join(c.required_shifts)}"
    ),
    "min_experience_months": lambda c, p, _: (
        f"{p.experience_months} months, minimum {c.min_experience_months}"
    ),
    "required_languages": lambda c, p, _: (
        f"speaks {', '.join(p.languages)}; needs {', '.join(c.required_languages)}"
    ),
    "work_authorization_required": lambda _, p, __: (
        "authorized to work in the US" if p.work_authorized else "not authorized to work in the US"
    ),
}


def _reason(name: str, opening: Opening, profile: Profile) -> str:
    return _REASONS[name](opening.criteria, profile, opening)
