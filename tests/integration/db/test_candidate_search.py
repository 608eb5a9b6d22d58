"""Candidate search on SQLite and PostgreSQL (and, with the same scenarios, on the in-memory fake): every filter,
every sort with keyset pages that stay right across ties and nulls, and tenants kept apart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.candidates import Candidate, CandidateFilters, CandidatePosition, CandidateSort
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import BusinessUnit
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.errors import NotFound
from tests.builders import T0, candidate, location, new_tenant, role
from tests.unit.fakes import FakeUnitOfWorkFactory

Scenario = Callable[[UnitOfWorkFactory], None]
H = timedelta(hours=1)

# (first, last, entered_at offset in hours, state_changed_at offset or None): ties everywhere on purpose.
PEOPLE = [
    ("Ana", "Lopez", 0, 5),
    ("Bea", "Lopez", 0, None),
    ("Ana", "Lopez", 2, 5),
    ("Carla", "Abad", 2, 1),
    ("Dario", "Zapata", 1, None),
    ("Eva", "Ortiz", 0, 5),
    ("Ana", "Abad", 1, 3),
    ("Bruno", "Ortiz", 2, None),
    ("Ana", "Lopez", 1, 1),
]


def add(factory: UnitOfWorkFactory, cg: int, number: int, **fields: Any) -> Candidate:
    with factory(cg) as uow:
        stored = uow.candidates.add(candidate(cg, f"+1415555{number:04d}", **fields))
        uow.commit()
    return stored


def add_people(factory: UnitOfWorkFactory, cg: int) -> list[Candidate]:
    return [
        add(
            factory,
            cg,
            number,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}{number}@example.com".lower(),
            entered_at=T0 + entered * H,
            state_changed_at=None if changed is None else T0 + changed * H,
        )
        for number, (first, last, entered, changed) in enumerate(PEOPLE)
    ]


def expected_order(people: Sequence[Candidate], sort: CandidateSort) -> list[int]:
    """What the sort promises, computed in Python: values then id in its direction, missing values last."""

    def values(c: Candidate) -> tuple[Any, ...]:
        return tuple(getattr(c, field) for field in sort.fields)

    dated = sorted((c for c in people if None not in values(c)), key=lambda c: (values(c), c.id))
    undated = sorted((c for c in people if None in values(c)), key=lambda c: c.id or 0)
    if sort.descending:
        dated.reverse()
        undated.reverse()
    return [c.id for c in dated + undated if c.id is not None]


def walk(
    factory: UnitOfWorkFactory,
    cg: int,
    sort: CandidateSort,
    size: int,
    filters: CandidateFilters | None = None,
) -> list[int]:
    """Every page of a search, following each page's last position, as ids."""
    seen: list[int] = []
    after: CandidatePosition | None = None
    for _ in range(50):
        with factory(cg) as uow:
            page = uow.candidates.search(filters or CandidateFilters(), sort=sort, limit=size, after=after)
        seen += [c.id for c in page if c.id is not None]
        if len(page) < size:
            return seen
        after = sort.position_of(page[-1])
    raise AssertionError("the pages never ended")


def ids(factory: UnitOfWorkFactory, cg: int, **filters: Any) -> list[int]:
    with factory(cg) as uow:
        found = uow.candidates.search(CandidateFilters.model_validate(filters), limit=100)
    return [c.id for c in found if c.id is not None]


# -- scenarios ----------------------------------------------------------------------------------------------
def check_every_sort_pages_through_ties_and_nulls(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    people = add_people(factory, cg)
    for sort in CandidateSort:
        for size in (1, 2, 4, 100):
            assert walk(factory, cg, sort, size) == expected_order(people, sort), (sort, size)


def check_pages_stay_right_while_candidates_arrive(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    people = add_people(factory, cg)
    sort = CandidateSort.ENTERED_AT_DESC
    with factory(cg) as uow:
        first = uow.candidates.search(CandidateFilters(), sort=sort, limit=4)
    newest = add(factory, cg, 100, entered_at=T0 + 10 * H)  # sorts before the page read: not seen
    oldest = add(factory, cg, 101, entered_at=T0 - 10 * H)  # sorts after it: seen
    with factory(cg) as uow:
        rest = uow.candidates.search(CandidateFilters(), sort=sort, after=sort.position_of(first[-1]))

    assert [c.id for c in first + rest] == [*expected_order(people, sort), oldest.id]
    assert newest.id not in [c.id for c in rest]


def check_every_filter(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        unit = uow.business_units.add(BusinessUnit(company_group_id=cg, name="Retail"))
        site = uow.locations.add(location(cg))
        job = uow.roles.add(role(cg))
        uow.commit()
    ana = add(factory, cg, 1, business_unit_id=unit.id, source="referral", entered_at=T0)
    bea = add(
        factory,
        cg,
        2,
        first_name="Beatriz",
        last_name="O'Neil_100%",
        email="BEA@corp.example.org",
        location_id=site.id,
        funnel_state=FunnelState.SCREENING,
        entered_at=T0 + timedelta(days=1),
    )
    cai = add(
        factory,
        cg,
        3,
        first_name="Cai",
        email="cai@example.com",
        role_id=job.id,
        funnel_state=FunnelState.HIRED,
        entered_at=T0 + timedelta(days=2, hours=14),
    )
    gone = add(factory, cg, 4, deleted_at=T0)
    merged = add(factory, cg, 5, merged_into_id=ana.id)
    day = T0.date()

    assert ids(factory, cg) == [ana.id, bea.id, cai.id]
    assert ids(factory, cg, include_deleted=True) == [ana.id, bea.id, cai.id, gone.id, merged.id]
    assert ids(factory, cg, business_unit_id=unit.id) == [ana.id]
    assert ids(factory, cg, location_id=site.id) == [bea.id]
    assert ids(factory, cg, role_id=job.id) == [cai.id]
    assert ids(factory, cg, source="referral") == [ana.id]
    assert ids(factory, cg, funnel_state=["screening", "hired"]) == [bea.id, cai.id]
    assert ids(factory, cg, funnel_state=["lead"]) == [ana.id]
    assert ids(factory, cg, entered_from=day + timedelta(days=1)) == [bea.id, cai.id]
    assert ids(factory, cg, entered_to=day + timedelta(days=1)) == [ana.id, bea.id]  # the whole day counts
    assert ids(factory, cg, entered_from=day + timedelta(days=2), entered_to=day + timedelta(days=2)) == [
        cai.id
    ]
    assert ids(factory, cg, entered_from=date(2030, 1, 1)) == []
    # Free text: names and email, any case, each word; phone digits anywhere; wildcards are plain characters.
    assert ids(factory, cg, q="LOPEZ") == [ana.id, cai.id]
    assert ids(factory, cg, q="ana lop") == [ana.id]
    assert ids(factory, cg, q="atri") == [bea.id]
    assert ids(factory, cg, q="corp.EXAMPLE") == [bea.id]
    assert ids(factory, cg, q="l_100%") == [bea.id]
    assert ids(factory, cg, q="_") == [bea.id]
    assert ids(factory, cg, q="%") == [bea.id]
    assert ids(factory, cg, q="o'neil") == [bea.id]
    assert ids(factory, cg, q="5550003") == [cai.id]
    assert ids(factory, cg, q="(415) 555") == [ana.id, bea.id, cai.id]
    assert ids(factory, cg, q="555 0004") == []  # deleted
    assert ids(factory, cg, q="555 0004", include_deleted=True) == [gone.id]
    assert ids(factory, cg, phone_e164="+14155550002") == [bea.id]
    assert ids(factory, cg, q="lopez", funnel_state=["hired"], role_id=job.id) == [cai.id]
    assert ids(factory, cg, q="nobody") == []


def check_tenants_stay_apart(factory: UnitOfWorkFactory) -> None:
    a, b = new_tenant(factory, "acme"), new_tenant(factory, "globex")
    mine = add(factory, a, 1)
    with factory(a) as uow:
        uow.candidates.add_external_id(mine.id or 0, "hubspot", "hs-1")
        uow.commit()
    theirs = add_people(factory, b)

    assert ids(factory, a, include_deleted=True) == [mine.id]
    assert ids(factory, a, q="lopez") == [mine.id]
    assert walk(factory, a, CandidateSort.LAST_NAME, 1) == [mine.id]
    with factory(b) as uow:
        assert uow.candidates.external_ids_for([mine.id or 0]) == {}
        assert uow.candidates.external_ids_for([]) == {}
    with factory(a) as uow:
        [mapping] = uow.candidates.external_ids_for([mine.id or 0, theirs[0].id or 0])[mine.id or 0]
    assert (mapping.source, mapping.external_id) == ("hubspot", "hs-1")


def check_a_candidate_comes_with_its_external_ids(factory: UnitOfWorkFactory) -> None:
    a, b = new_tenant(factory, "acme"), new_tenant(factory, "globex")
    alone, linked = add(factory, a, 1), add(factory, a, 2)
    theirs = add(factory, b, 3)
    with factory(a) as uow:
        assert linked.id is not None
        uow.candidates.add_external_id(linked.id, "bullhorn", "bh-2")
        uow.candidates.add_external_id(linked.id, "hubspot", "hs-2")
        uow.commit()
    with factory(a) as uow:
        found, none = uow.candidates.get_with_external_ids(alone.id or 0)
        person, mapped = uow.candidates.get_with_external_ids(linked.id)
        with pytest.raises(NotFound):
            uow.candidates.get_with_external_ids(theirs.id or 0)
    assert found == alone
    assert list(none) == []
    assert person == linked
    assert [(x.source, x.external_id) for x in mapped] == [("bullhorn", "bh-2"), ("hubspot", "hs-2")]


SCENARIOS: list[Scenario] = [
    check_a_candidate_comes_with_its_external_ids,
    check_every_sort_pages_through_ties_and_nulls,
    check_pages_stay_right_while_candidates_arrive,
    check_every_filter,
    check_tenants_stay_apart,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_search_on_the_database(engine: Engine, scenario: Scenario) -> None:
    scenario(sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_the_fake_searches_the_same_way(scenario: Scenario) -> None:
    scenario(FakeUnitOfWorkFactory())
