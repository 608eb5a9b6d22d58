"""Product usage events (validated names, counts by event over a range) and dashboards (one default per scope)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hireflow.domain.models.identity import Membership, MembershipRole, User
from hireflow.domain.services.analytics_records import Dashboards, ProductUsage
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import NotFound, ValidationFailed
from tests.builders import T0, new_tenant
from tests.unit.fakes import FakeUnitOfWorkFactory


@pytest.fixture
def world(factory: FakeUnitOfWorkFactory) -> dict[str, int]:
    cg = new_tenant(factory, "acme")
    with factory() as uow:
        member = uow.users.add(User(email="rita@acme.example"))
        outsider = uow.users.add(User(email="otto@elsewhere.example"))
        uow.commit()
    with factory(cg) as uow:
        uow.memberships.add(Membership(company_group_id=cg, user_id=member.id, role=MembershipRole.ADMIN))
        uow.commit()
    assert member.id is not None
    assert outsider.id is not None
    return {"cg": cg, "member": member.id, "outsider": outsider.id}


def test_usage_events_are_recorded_and_counted_by_name_over_a_range(
    factory: FakeUnitOfWorkFactory, clock: FixedClock, world: dict[str, int]
) -> None:
    usage = ProductUsage(factory, clock)
    cg = world["cg"]
    usage.record(cg, "dashboard.viewed", user_id=world["member"], properties={"dashboard": "funnel"})
    usage.record(cg, "dashboard.viewed", occurred_at=T0 + timedelta(hours=1))
    usage.record(cg, "candidate.exported", occurred_at=T0 + timedelta(hours=2))
    usage.record(cg, "candidate.exported", occurred_at=T0 + timedelta(days=2))  # outside the range
    counts = usage.counts(cg, T0, T0 + timedelta(days=1))
    assert counts == {"candidate.exported": 1, "dashboard.viewed": 2}
    assert list(counts) == sorted(counts)
    assert usage.counts(cg, T0 + timedelta(days=1), T0 + timedelta(days=3)) == {"candidate.exported": 1}


def test_bad_usage_input_is_refused_and_writes_nothing(
    factory: FakeUnitOfWorkFactory, clock: FixedClock, world: dict[str, int]
) -> None:
    usage = ProductUsage(factory, clock, known_events={"dashboard.viewed"})
    cg = world["cg"]
    before = factory.db.stored_rows()
    for name in ("Dashboard.Viewed", "viewed", "dashboard.", "dashboard viewed", "a." + "b" * 100):
        with pytest.raises(ValidationFailed, match=r"object\.action"):
            usage.record(cg, name)
    with pytest.raises(ValidationFailed, match=r"not a known event; known: dashboard\.viewed"):
        usage.record(cg, "candidate.exported")
    with pytest.raises(NotFound):
        usage.record(cg, "dashboard.viewed", user_id=999)
    with pytest.raises(ValidationFailed, match="start before end"):
        usage.counts(cg, T0, T0)
    with pytest.raises(ValidationFailed):
        usage.counts(cg, T0.replace(tzinfo=None), T0 + timedelta(days=1))
    assert factory.db.stored_rows() == before


def test_dashboards_are_saved_updated_and_have_one_default_per_scope(
    factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    dashboards = Dashboards(factory)
    cg, member = world["cg"], world["member"]
    shared = dashboards.save(cg, "Funnel", layout={"widgets": ["funnel"]}, is_default=True)
    objectives = dashboards.save(cg, "Objectives", filters={"status": "open"})
    mine = dashboards.save(cg, "My week", user_id=member, is_default=True)
    assert dashboards.default_for(cg) == shared
    assert dashboards.default_for(cg, member) == mine
    assert objectives.id is not None
    moved = dashboards.set_default(cg, objectives.id)
    assert moved.is_default
    assert dashboards.default_for(cg) == moved
    assert dashboards.default_for(cg, member) == mine  # the user's scope is separate
    renamed_layout = dashboards.save(cg, "Funnel", layout={"widgets": ["funnel", "buckets"]})
    assert renamed_layout.id == shared.id
    assert renamed_layout.layout == {"widgets": ["funnel", "buckets"]}
    assert not renamed_layout.is_default  # None kept the flag as it was (cleared by set_default)
    again = dashboards.save(cg, "Funnel", is_default=True)
    assert again.is_default
    listed = dashboards.list_for(cg, member)
    assert [d.name for d in listed] == ["My week", "Funnel", "Objectives"]
    assert sum(d.is_default for d in listed if d.user_id is None) == 1
    assert dashboards.default_for(cg, world["outsider"]) == again  # no own default: the company's


def test_bad_dashboards_are_refused_and_write_nothing(
    factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    dashboards = Dashboards(factory)
    cg = world["cg"]
    dashboards.save(cg, "Funnel", is_default=True)
    before = factory.db.stored_rows()
    with pytest.raises(NotFound):
        dashboards.save(cg, "Theirs", user_id=world["outsider"])
    with pytest.raises(ValidationFailed, match="name"):
        dashboards.save(cg, "", is_default=True)
    with pytest.raises(NotFound):
        dashboards.set_default(cg, 999)
    other = new_tenant(factory, "globex")
    assert dashboards.default_for(other) is None
    assert factory.db.stored_rows() == before | {"company_groups": factory.db.stored_rows()["company_groups"]}
