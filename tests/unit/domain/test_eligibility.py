"""Eligibility: distances, each criterion's verdict and reason, the evaluation log and the funnel move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from hireflow.domain.models.candidates import Candidate, CandidateMedia, MediaKind
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import AgeRange, EducationLevel, EligibilityCriteria, Shift
from hireflow.domain.services.eligibility import Eligibility, Facts, age_on, check_criteria, haversine_km
from hireflow.domain.services.funnel_transitions import FunnelTransitions
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from tests.builders import T0, candidate, location, new_tenant, role
from tests.unit.fakes import FakeUnitOfWorkFactory

S = FunnelState
MADRID = (40.4168, -3.7038)
GETAFE = (40.3057, -3.7329)  # ~12.6 km from central Madrid
TOLEDO = (39.8628, -4.0273)  # ~67 km


@pytest.mark.parametrize(
    ("a", "b", "km", "tolerance"),
    [
        (MADRID, (41.3874, 2.1686), 505, 3),  # Madrid - Barcelona
        ((40.7128, -74.0060), (34.0522, -118.2437), 3936, 5),  # New York - Los Angeles
        ((51.5074, -0.1278), (48.8566, 2.3522), 344, 3),  # London - Paris
        (MADRID, MADRID, 0, 1e-9),
        ((0.0, 0.0), (0.0, 180.0), 20015, 2),  # half the equator
    ],
)
def test_haversine_matches_known_distances(
    a: tuple[float, float], b: tuple[float, float], km: float, tolerance: float
) -> None:
    assert haversine_km(*a, *b) == pytest.approx(km, abs=tolerance)
    assert haversine_km(*b, *a) == pytest.approx(haversine_km(*a, *b))


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2000, 5, 6), date(2024, 5, 6), 24),
        (date(2000, 5, 7), date(2024, 5, 6), 23),
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
    ],
)
def test_age_counts_completed_years(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


def person(company_group_id: int = 1, /, **fields: object) -> Candidate:
    values: dict[str, object] = {
        "id": 5,
        "latitude": GETAFE[0],
        "longitude": GETAFE[1],
        "education_level": EducationLevel.SECONDARY,
        "experience_months": 14,
        "shifts_available": [Shift.NIGHT, Shift.WEEKEND],
        "has_work_authorization": True,
    }
    return Candidate.model_validate(candidate(company_group_id).model_dump() | values | fields)


EVERYTHING = EligibilityCriteria(
    age=AgeRange(min_years=18, max_years=65),
    max_commute_km=25,
    required_documents=["id_document"],
    min_education=EducationLevel.SECONDARY,
    required_shifts=[Shift.NIGHT],
    min_experience_months=12,
    required_languages=["es"],
    work_authorization_required=True,
)
FACTS = Facts(
    on=T0.date(),
    location=location(1, latitude=MADRID[0], longitude=MADRID[1]),
    media_kinds=frozenset({"id_document"}),
)


def _verdicts(
    candidate_: Candidate, criteria: EligibilityCriteria = EVERYTHING, facts: Facts = FACTS
) -> dict[str, tuple[bool, str]]:
    return {r["criterion"]: (r["passed"], r["reason"]) for r in check_criteria(candidate_, criteria, facts)}


def test_a_qualified_candidate_passes_every_criterion_with_a_reason() -> None:
    verdicts = _verdicts(person())
    assert list(verdicts) == [
        "age", "max_commute_km", "required_documents", "min_education", "required_shifts",
        "min_experience_months", "required_languages", "work_authorization_required",
    ]  # fmt: skip
    assert all(passed for passed, _ in verdicts.values())
    assert verdicts["age"][1] == "age 26 is within 18-65"
    assert verdicts["max_commute_km"][1] == "commute 12.6 km to Madrid DC is within the 25 km maximum"
    assert verdicts["min_education"][1] == "secondary meets the minimum secondary"


FAILURES = [
    ({"birth_date": date(2007, 1, 1)}, "age", "age 17 is below the minimum of 18"),
    ({"birth_date": date(1950, 1, 1)}, "age", "age 74 is above the maximum of 65"),
    ({"latitude": TOLEDO[0], "longitude": TOLEDO[1]}, "max_commute_km", "commute 67.5 km to Madrid DC exceeds the 25 km maximum"),
    ({"education_level": EducationLevel.PRIMARY}, "min_education", "primary is below the minimum secondary"),
    ({"shifts_available": [Shift.MORNING]}, "required_shifts", "not available for night"),
    ({"experience_months": 3}, "min_experience_months", "3 months of experience is below the minimum of 12"),
    ({"languages": ["en", "fr"]}, "required_languages", "does not speak es"),
    ({"has_work_authorization": False}, "work_authorization_required", "not authorized to work"),
    # missing data fails the criterion as "unknown"
    ({"birth_date": None}, "age", "unknown age: no birth date"),
    ({"latitude": None, "longitude": None}, "max_commute_km", "unknown candidate coordinates"),
    ({"education_level": None}, "min_education", "unknown education level"),
    ({"shifts_available": []}, "required_shifts", "unknown shift availability"),
    ({"experience_months": None}, "min_experience_months", "unknown experience"),
    ({"languages": []}, "required_languages", "unknown languages"),
    ({"has_work_authorization": None}, "work_authorization_required", "unknown work authorization"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "criterion", "reason"), FAILURES, ids=[f"{c}-{r[:12]}" for _, c, r in FAILURES]
)
def test_each_criterion_fails_alone_with_a_human_reason(
    fields: dict[str, object], criterion: str, reason: str
) -> None:
    verdicts = _verdicts(person(**fields))
    assert verdicts[criterion] == (False, reason)
    assert [name for name, (passed, _) in verdicts.items() if not passed] == [criterion]


def test_documents_and_job_location_come_from_the_facts() -> None:
    no_docs = Facts(on=FACTS.on, location=FACTS.location, media_kinds=frozenset({"photo"}))
    assert _verdicts(person(), facts=no_docs)["required_documents"] == (False, "missing id_document")
    nowhere = Facts(on=FACTS.on)
    assert _verdicts(person(), facts=nowhere)["max_commute_km"][1].startswith("unknown job location")
    blank = Facts(on=FACTS.on, location=location(1, latitude=None, longitude=None))
    assert _verdicts(person(), facts=blank)["max_commute_km"] == (
        False,
        "unknown coordinates of location 'Madrid DC'",
    )


def test_criteria_not_set_are_not_evaluated() -> None:
    assert check_criteria(person(birth_date=None), EligibilityCriteria(), FACTS) == []
    only_age = EligibilityCriteria(age=AgeRange(min_years=21))
    assert list(_verdicts(person(), only_age)) == ["age"]
    assert _verdicts(person(), only_age)["age"] == (True, "age 26 is within 21-any")
    assert list(_verdicts(person(), EligibilityCriteria(age=AgeRange()))) == []


# -- the use case ------------------------------------------------------------------------------------------
@dataclass
class World:
    factory: FakeUnitOfWorkFactory
    cg: int
    candidate_id: int
    role_id: int
    location_id: int
    service: Eligibility


def _world(**fields: object) -> World:
    factory = FakeUnitOfWorkFactory()
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        job = uow.roles.add(role(cg, eligibility_criteria=EVERYTHING))
        site = uow.locations.add(location(cg))
        values = person(cg, id=None, role_id=job.id, location_id=site.id).model_dump() | fields
        who = uow.candidates.add(Candidate.model_validate(values))
        assert who.id is not None
        uow.candidate_media.add(
            CandidateMedia(
                company_group_id=cg, candidate_id=who.id, kind=MediaKind.ID_DOCUMENT,
                storage_key="acme/ana/id.jpg", content_type="image/jpeg", size_bytes=10,
            )
        )  # fmt: skip
        uow.commit()
    assert job.id is not None
    assert site.id is not None
    return World(factory, cg, who.id, job.id, site.id, Eligibility(factory, FixedClock(T0)))


def test_an_eligible_candidate_is_logged_and_moved_in_one_commit() -> None:
    world = _world()
    commits = world.factory.commits
    outcome = world.service.evaluate(world.cg, world.candidate_id)
    assert outcome.is_eligible
    assert outcome.moved
    assert outcome.candidate.funnel_state is S.ELIGIBLE
    assert world.factory.commits == commits + 1
    with world.factory(world.cg) as uow:
        (logged,) = uow.eligibility_evaluations.for_candidate(world.candidate_id)
        assert logged == outcome.evaluation
        assert (logged.role_id, logged.evaluated_at, logged.actor) == (world.role_id, T0, "system")
        assert logged.criteria == EVERYTHING.model_dump(mode="json")
        assert len(logged.results) == 8
        (entry,) = uow.funnel_log.for_candidate(world.candidate_id)
        assert (entry.to_state, entry.reason) == (S.ELIGIBLE, "every criterion passed")
        assert entry.details == {"eligibility_evaluation_id": logged.id}


def test_an_ineligible_candidate_can_become_eligible_when_data_arrives() -> None:
    world = _world(has_work_authorization=None)
    first = world.service.evaluate(world.cg, world.candidate_id, actor="recruiter")
    assert not first.is_eligible
    assert first.candidate.funnel_state is S.INELIGIBLE
    assert [r["reason"] for r in first.results if not r["passed"]] == ["unknown work authorization"]
    with world.factory(world.cg) as uow:
        found = uow.candidates.get(world.candidate_id)
        uow.candidates.update(found.model_copy(update={"has_work_authorization": True}))
        uow.commit()
    again = world.service.evaluate(world.cg, world.candidate_id, T0 + timedelta(days=1))
    assert again.is_eligible
    assert again.moved
    with world.factory(world.cg) as uow:
        log = uow.funnel_log.for_candidate(world.candidate_id)
        assert [(e.to_state, e.reason) for e in log] == [
            (S.INELIGIBLE, "failed work_authorization_required"),
            (S.ELIGIBLE, "every criterion passed"),
        ]
        assert len(uow.eligibility_evaluations.for_candidate(world.candidate_id)) == 2


def test_an_explicit_role_and_location_replace_the_candidates_own() -> None:
    world = _world()
    with world.factory(world.cg) as uow:
        lenient = uow.roles.add(
            role(world.cg, title="Greeter", eligibility_criteria=EligibilityCriteria(max_commute_km=100))
        )
        far = uow.locations.add(location(world.cg, name="Toledo", latitude=TOLEDO[0], longitude=TOLEDO[1]))
        uow.commit()
    outcome = world.service.evaluate(world.cg, world.candidate_id, role_id=lenient.id, location_id=far.id)
    assert outcome.evaluation.role_id == lenient.id
    (result,) = outcome.results
    assert result["passed"]
    assert "to Toledo is within the 100 km maximum" in result["reason"]


def test_a_candidate_without_a_role_needs_one_given() -> None:
    world = _world(role_id=None)
    with pytest.raises(ValidationFailed) as caught:
        world.service.evaluate(world.cg, world.candidate_id)
    assert caught.value.errors[0]["field"] == "role_id"
    assert world.service.evaluate(world.cg, world.candidate_id, role_id=world.role_id).is_eligible


@pytest.mark.parametrize(
    "path",
    [
        (S.ELIGIBLE, S.INTERVIEW_SCHEDULED),
        (S.ELIGIBLE, S.OFFERED, S.HIRED),
        (S.REJECTED,),
        (S.WITHDRAWN,),
    ],
    ids=lambda path: path[-1].value,
)
def test_candidates_past_eligibility_are_logged_but_not_moved(path: tuple[FunnelState, ...]) -> None:
    world = _world(has_work_authorization=False)
    for state in path:
        FunnelTransitions(world.factory).move(world.cg, world.candidate_id, state, at=T0)
    outcome = world.service.evaluate(world.cg, world.candidate_id, T0 + timedelta(hours=1))
    assert not outcome.is_eligible
    assert not outcome.moved
    assert outcome.move is None
    assert outcome.candidate.funnel_state is path[-1]
    with world.factory(world.cg) as uow:
        assert len(uow.eligibility_evaluations.for_candidate(world.candidate_id)) == 1
        assert uow.candidates.get(world.candidate_id).funnel_state is path[-1]


def test_an_eligible_candidate_evaluated_again_is_not_moved_twice() -> None:
    world = _world()
    world.service.evaluate(world.cg, world.candidate_id)
    again = world.service.evaluate(world.cg, world.candidate_id, T0 + timedelta(minutes=5))
    assert again.is_eligible
    assert not again.moved
    assert world.service.history(world.cg, world.candidate_id)[-1] == again.evaluation
    with world.factory(world.cg) as uow:
        assert len(uow.funnel_log.for_candidate(world.candidate_id)) == 1


def test_an_evaluation_older_than_the_latest_move_is_logged_without_moving() -> None:
    world = _world()
    FunnelTransitions(world.factory).move(
        world.cg, world.candidate_id, S.CONTACTED, at=T0 + timedelta(hours=2)
    )
    outcome = world.service.evaluate(world.cg, world.candidate_id, T0)
    assert not outcome.moved
    assert outcome.candidate.funnel_state is S.CONTACTED


def test_deleted_merged_unknown_and_other_tenants_candidates() -> None:
    world = _world()
    with world.factory(world.cg) as uow:
        other = uow.candidates.add(candidate(world.cg, phone="+15555550199"))
        found = uow.candidates.get(world.candidate_id)
        uow.candidates.update(found.model_copy(update={"merged_into_id": other.id}))
        uow.commit()
    with pytest.raises(Conflict, match="merged into"):
        world.service.evaluate(world.cg, world.candidate_id)
    with world.factory(world.cg) as uow:
        found = uow.candidates.get(world.candidate_id)
        uow.candidates.update(found.model_copy(update={"merged_into_id": None, "deleted_at": T0}))
        uow.commit()
    with pytest.raises(NotFound):
        world.service.evaluate(world.cg, world.candidate_id)
    with pytest.raises(NotFound):
        world.service.evaluate(world.cg, 9999)
    with pytest.raises(NotFound):
        world.service.evaluate(new_tenant(world.factory, "globex"), world.candidate_id)
    with world.factory(world.cg) as uow:
        assert uow.eligibility_evaluations.count() == 0
