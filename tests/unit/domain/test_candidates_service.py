"""The candidate-record use cases on in-memory fakes: create, get, update, delete, search, history, duplicates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hireflow.domain.models.candidates import CandidateFilters, CandidateSort
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.org import BusinessUnit, CompanyGroup
from hireflow.domain.services.candidates import Candidates
from hireflow.domain.services.duplicates import Duplicates
from hireflow.domain.services.funnel_transitions import FunnelTransitions
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from tests.builders import T0, location, new_tenant, role
from tests.unit.fakes import FakeUnitOfWorkFactory


def fields_of(error: ValidationFailed) -> list[str]:
    return [e["field"] for e in error.errors]


@pytest.fixture
def service(factory: FakeUnitOfWorkFactory, clock: FixedClock) -> Candidates:
    return Candidates(factory, clock)


@pytest.fixture
def cg(factory: FakeUnitOfWorkFactory) -> int:
    with factory() as uow:
        group = uow.company_groups.add(
            CompanyGroup(name="Acme Iberia", slug="acme-es", default_phone_region="ES")
        )
        uow.commit()
    assert group.id is not None
    return group.id


def ana(**fields: object) -> dict[str, object]:
    return {
        "first_name": "Ana",
        "last_name": "Lopez",
        "phone": "612 34 56 78",
        "email": "Ana@Example.com",
    } | fields


def test_create_stores_a_lead_with_the_phone_in_e164_of_the_company_groups_region(
    service: Candidates, cg: int, clock: FixedClock
) -> None:
    created = service.create(cg, ana(languages=["es"], source="walk_in"))

    person = created.candidate
    assert person.phone_e164 == "+34612345678"
    assert person.email == "ana@example.com"
    assert person.funnel_state is FunnelState.LEAD
    assert person.entered_at == person.state_changed_at == clock.now()
    assert person.source == "walk_in"
    assert person.id is not None
    assert service.get(cg, person.id).candidate == person
    assert created.external_ids == ()


def test_create_refuses_what_hireflow_sets_and_unknown_fields_naming_each(
    service: Candidates, cg: int, factory: FakeUnitOfWorkFactory
) -> None:
    before = factory.db.stored_rows()
    with pytest.raises(ValidationFailed) as refused:
        service.create(cg, ana(funnel_state="hired", deleted_at=T0, shoe_size=42))
    with pytest.raises(ValidationFailed) as invalid:
        service.create(cg, ana(first_name="", experience_months=-1))
    with pytest.raises(ValidationFailed) as no_phone:
        service.create(cg, {"first_name": "Ana"})
    with pytest.raises(ValidationFailed) as bad_phone:
        service.create(cg, ana(phone="12"))

    assert fields_of(refused.value) == ["funnel_state", "deleted_at", "shoe_size"]
    assert "funnel transitions" in refused.value.errors[0]["message"]
    assert sorted(fields_of(invalid.value)) == ["experience_months", "first_name"]
    assert fields_of(no_phone.value) == ["phone"]
    assert fields_of(bad_phone.value) == ["phone"]
    assert factory.db.stored_rows() == before


def test_a_phone_number_is_unique_even_against_a_deleted_candidate(service: Candidates, cg: int) -> None:
    first = service.create(cg, ana()).candidate
    assert first.id is not None

    with pytest.raises(Conflict, match=f"candidate {first.id} has"):
        service.create(cg, ana(first_name="Other", phone="+34 612 345 678"))
    service.delete(cg, first.id)
    with pytest.raises(Conflict, match=r"\(deleted\)"):
        service.create(cg, ana(first_name="Other"))


def test_units_locations_and_roles_must_be_the_company_groups_own(
    service: Candidates, cg: int, factory: FakeUnitOfWorkFactory
) -> None:
    other = new_tenant(factory, "globex")
    with factory(other) as uow:
        their_unit = uow.business_units.add(BusinessUnit(company_group_id=other, name="Theirs"))
        their_role = uow.roles.add(role(other))
        uow.commit()
    with factory(cg) as uow:
        our_location = uow.locations.add(location(cg))
        uow.commit()

    with pytest.raises(ValidationFailed) as refused:
        service.create(
            cg, ana(business_unit_id=their_unit.id, role_id=their_role.id, location_id=our_location.id)
        )
    created = service.create(cg, ana(location_id=our_location.id)).candidate

    assert fields_of(refused.value) == ["business_unit_id", "role_id"]
    assert created.location_id == our_location.id


def test_another_tenants_candidate_is_not_found_by_any_use_case(
    service: Candidates, cg: int, factory: FakeUnitOfWorkFactory
) -> None:
    other = new_tenant(factory, "globex")
    theirs = service.create(other, ana(phone="+14155550123")).candidate
    assert theirs.id is not None
    before = factory.db.stored_rows()

    for use_case in (
        lambda: service.get(cg, theirs.id),
        lambda: service.update(cg, theirs.id, {"city": "Madrid"}),
        lambda: service.delete(cg, theirs.id),
        lambda: service.history(cg, theirs.id),
    ):
        with pytest.raises(NotFound):
            use_case()
    assert service.search(cg, CandidateFilters()) == []
    assert factory.db.stored_rows() == before


def test_update_changes_only_the_fields_given_and_keeps_phones_unique(service: Candidates, cg: int) -> None:
    person = service.create(cg, ana(city="Madrid")).candidate
    other = service.create(cg, ana(first_name="Bea", phone="+34 699 000 111")).candidate
    assert person.id is not None

    updated = service.update(cg, person.id, {"last_name": "García", "phone": "699 111 222", "email": None})

    assert updated.candidate.last_name == "García"
    assert updated.candidate.phone_e164 == "+34699111222"
    assert updated.candidate.email is None
    assert updated.candidate.city == "Madrid"
    with pytest.raises(Conflict, match=f"candidate {other.id} has"):
        service.update(cg, person.id, {"phone": other.phone_e164})
    with pytest.raises(ValidationFailed) as refused:
        service.update(cg, person.id, {"funnel_state": "hired", "first_name": None})
    assert fields_of(refused.value) == ["funnel_state"]
    with pytest.raises(ValidationFailed) as emptied:
        service.update(cg, person.id, {"first_name": None, "phone": None})
    assert fields_of(emptied.value) == ["phone"]
    assert service.get(cg, person.id).candidate == updated.candidate


def test_delete_is_soft_and_hides_the_candidate_from_every_use_case(
    service: Candidates, cg: int, clock: FixedClock
) -> None:
    person = service.create(cg, ana()).candidate
    assert person.id is not None
    clock.advance(timedelta(hours=1))

    deleted = service.delete(cg, person.id)

    assert deleted.deleted_at == clock.now()
    assert service.get(cg, person.id, include_deleted=True).candidate == deleted
    assert service.search(cg, CandidateFilters()) == []
    assert [p.candidate for p in service.search(cg, CandidateFilters(include_deleted=True))] == [deleted]
    for use_case in (
        lambda: service.get(cg, person.id),
        lambda: service.update(cg, person.id, {"city": "Madrid"}),
        lambda: service.delete(cg, person.id),
        lambda: service.history(cg, person.id),
    ):
        with pytest.raises(NotFound):
            use_case()


def test_search_reads_a_national_phone_number_in_the_company_groups_region(
    service: Candidates, cg: int
) -> None:
    service.create(cg, ana())
    service.create(
        cg, ana(first_name="Bea", last_name="Ruiz", phone="+34 699 000 111", email="bea@example.com")
    )

    def found(**filters: object) -> list[str]:
        return [p.candidate.first_name for p in service.search(cg, CandidateFilters.model_validate(filters))]

    assert found(q="612 34 56 78") == ["Ana"]  # national, read in ES
    assert found(q="+34612345678") == ["Ana"]
    assert found(q="000") == ["Bea"]  # digits anywhere
    assert found(q="ANA lop") == ["Ana"]
    assert found(q="example.com") == ["Ana", "Bea"]
    assert found(q="%") == []  # not a wildcard
    assert found(q="bea", funnel_state=["lead", "hired"]) == ["Bea"]
    assert found(q="bea", funnel_state=["hired"]) == []


def test_search_pages_carry_the_external_ids(
    service: Candidates, cg: int, factory: FakeUnitOfWorkFactory
) -> None:
    person = service.create(cg, ana()).candidate
    assert person.id is not None
    with factory(cg) as uow:
        uow.candidates.add_external_id(person.id, "hubspot", "hs-1")
        uow.commit()

    [found] = service.search(cg, CandidateFilters(), sort=CandidateSort.LAST_NAME)

    assert [(e.source, e.external_id) for e in found.external_ids] == [("hubspot", "hs-1")]
    assert service.get(cg, person.id).external_ids == found.external_ids


def test_history_pages_through_the_funnel_log_oldest_first(
    service: Candidates, cg: int, factory: FakeUnitOfWorkFactory, clock: FixedClock
) -> None:
    person = service.create(cg, ana()).candidate
    assert person.id is not None
    moves = FunnelTransitions(factory, clock)
    for state in (FunnelState.CONTACTED, FunnelState.SCREENING, FunnelState.ELIGIBLE):
        clock.advance(timedelta(minutes=5))
        moves.move(cg, person.id, state, actor="recruiter")

    first = service.history(cg, person.id, limit=2)
    rest = service.history(cg, person.id, limit=2, after=(first[-1].occurred_at, first[-1].id or 0))

    assert [e.to_state for e in first + rest] == ["contacted", "screening", "eligible"]
    assert len(rest) == 1


def test_duplicates_come_a_page_at_a_time_surest_first(
    service: Candidates, cg: int, factory: FakeUnitOfWorkFactory, clock: FixedClock
) -> None:
    service.create(cg, ana(email="same@example.com"))
    service.create(cg, ana(first_name="Anna", phone="+34 699 000 111", email="same@example.com"))
    service.create(
        cg,
        ana(first_name="Luis", last_name="Perez", phone="+34 699 000 222", email="luis@x.com", city="Lugo"),
    )
    service.create(
        cg, ana(first_name="Luis", last_name="Perez", phone="+34 699 000 333", email="l@y.com", city="Lugo")
    )
    everything = Duplicates(factory, clock).find(cg)

    first = service.duplicates(cg, limit=1)
    rest = service.duplicates(cg, limit=5, after=(first[0].score, first[0].candidate_ids[0]))

    assert len(everything) == 2
    assert first + rest == everything


def test_a_sort_reads_back_only_positions_that_fit_it() -> None:
    by_name = CandidateSort.LAST_NAME
    by_change = CandidateSort.STATE_CHANGED_AT_DESC

    assert by_name.position(["Lopez", "Ana"], 7).values == ("Lopez", "Ana")
    assert by_change.position([None], 3).values == (None,)
    assert by_change.position(["2024-05-06T09:30:00Z"], 3).values == (T0,)
    assert CandidateSort.ID_DESC.position([], 0).id == 0
    for sort, values, candidate_id in [
        (by_name, ["Lopez"], 7),
        (by_name, ["Lopez", 7], 7),
        (by_change, ["2024-05-06T09:30:00"], 3),  # no time zone
        (CandidateSort.ENTERED_AT, [None], 3),  # entry times are never missing
        (CandidateSort.ID, [], -1),
        (CandidateSort.ID, [], "7"),
    ]:
        with pytest.raises(ValueError, match=r"validation error|position holds"):
            sort.position(values, candidate_id)


def test_filters_tell_phone_numbers_from_words() -> None:
    phone = CandidateFilters(q=" (612) 34-56.78 ")
    words = CandidateFilters(q="Ana  LOPEZ ana")

    assert (phone.looks_like_phone, phone.phone_digits, phone.terms) == (True, "612345678", ())
    assert phone.with_phone_region("ES") == CandidateFilters(phone_e164="+34612345678")
    assert CandidateFilters(q="0100").with_phone_region("US") == CandidateFilters(q="0100")  # partial: digits
    assert (words.looks_like_phone, words.terms) == (False, ("ana", "lopez"))
    assert words.with_phone_region("ES") == words
    with pytest.raises(ValueError, match="entered_to must not be before entered_from"):
        CandidateFilters(entered_from=T0.date(), entered_to=T0.date() - timedelta(days=1))
