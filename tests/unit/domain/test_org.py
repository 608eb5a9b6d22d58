"""Filtered lists of org records: narrowed by the repository's queries, paged in id order."""

from __future__ import annotations

from datetime import date

import pytest

from hireflow.domain.models.org import BusinessUnit, HiringObjective, ObjectiveStatus
from hireflow.domain.services import org as org_module
from hireflow.domain.services.org import OrgLists
from tests.builders import location, new_tenant, role
from tests.unit.fakes import FakeUnitOfWorkFactory


@pytest.fixture
def cg(factory: FakeUnitOfWorkFactory) -> int:
    return new_tenant(factory, "acme")


def _unit(factory: FakeUnitOfWorkFactory, cg: int, name: str) -> int:
    with factory(cg) as uow:
        unit = uow.business_units.add(BusinessUnit(company_group_id=cg, name=name))
        uow.commit()
    assert unit.id is not None
    return unit.id


def test_locations_by_business_unit_in_id_order_and_pages(factory: FakeUnitOfWorkFactory, cg: int) -> None:
    north, south = _unit(factory, cg, "North"), _unit(factory, cg, "South")
    with factory(cg) as uow:
        # Names sort against id order, so the id order must come from the service.
        ids = [
            uow.locations.add(location(cg, name, business_unit_id=north)).id
            for name in ("Zeta", "Alpha", "Mid")
        ]
        uow.locations.add(location(cg, "South", business_unit_id=south))
        uow.locations.add(location(cg, "Loose"))
        uow.commit()
    lists = OrgLists(factory)

    assert [x.id for x in lists.locations(cg, business_unit_id=north)] == ids
    assert [x.id for x in lists.locations(cg, business_unit_id=north, limit=1, after_id=ids[0])] == ids[1:2]
    assert len(lists.locations(cg)) == 5
    assert lists.locations(cg, business_unit_id=999) == []


def test_roles_by_business_unit_and_activity(
    factory: FakeUnitOfWorkFactory, cg: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    north = _unit(factory, cg, "North")
    with factory(cg) as uow:
        open_north = uow.roles.add(role(cg, "Picker", business_unit_id=north)).id
        closed_north = uow.roles.add(role(cg, "Driver", business_unit_id=north, is_active=False)).id
        closed = uow.roles.add(role(cg, "Closed", is_active=False)).id
        open_loose = uow.roles.add(role(cg, "Open")).id
        uow.commit()
    lists = OrgLists(factory)
    monkeypatch.setattr(org_module, "_SCAN_PAGE", 1)  # the scan for inactive roles reads page after page

    assert [r.id for r in lists.roles(cg, business_unit_id=north)] == [open_north, closed_north]
    assert [r.id for r in lists.roles(cg, business_unit_id=north, active=False)] == [closed_north]
    assert [r.id for r in lists.roles(cg, active=True)] == [open_north, open_loose]
    assert [r.id for r in lists.roles(cg, active=False)] == [closed_north, closed]
    assert [r.id for r in lists.roles(cg, active=False, after_id=closed_north)] == [closed]


def test_objectives_by_role_and_status(factory: FakeUnitOfWorkFactory, cg: int) -> None:
    with factory(cg) as uow:
        picker, driver = uow.roles.add(role(cg, "Picker")).id, uow.roles.add(role(cg, "Driver")).id
        assert picker is not None
        assert driver is not None

        def add(role_id: int, status: ObjectiveStatus, start: date) -> int | None:
            objective = HiringObjective(
                company_group_id=cg, role_id=role_id, objective_amount=3, start_date=start, status=status
            )
            return uow.hiring_objectives.add(objective).id

        late_open = add(picker, ObjectiveStatus.OPEN, date(2024, 9, 1))
        early_met = add(picker, ObjectiveStatus.MET, date(2024, 1, 1))
        driver_open = add(driver, ObjectiveStatus.OPEN, date(2024, 1, 1))
        uow.commit()
    lists = OrgLists(factory)

    assert [o.id for o in lists.hiring_objectives(cg, role_id=picker)] == [late_open, early_met]
    assert [o.id for o in lists.hiring_objectives(cg, role_id=picker, status=ObjectiveStatus.MET)] == [
        early_met
    ]
    assert [o.id for o in lists.hiring_objectives(cg, status=ObjectiveStatus.OPEN)] == [
        late_open,
        driver_open,
    ]
    assert [o.id for o in lists.hiring_objectives(cg, limit=2)] == [late_open, early_met]
