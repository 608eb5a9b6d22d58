"""``/api/v1/funnel``: every report on a hand-made funnel with known answers, its filters, and its cache."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.models.org import BusinessUnit, Location, Role
from hireflow.domain.services.funnel_transitions import FunnelTransitions
from tests.builders import FUNNEL_PLAN, T0, candidate
from tests.e2e.api.world import ApiWorld, Tenant

FUNNEL = "/api/v1/funnel"
S = FunnelState
H = timedelta(hours=1)
D = timedelta(days=1)

PLAN = FUNNEL_PLAN  # the same funnel as the repository test


def seed(world: ApiWorld) -> dict[str, int]:
    """Tenant a gets the PLAN funnel (two units) and a deleted candidate; tenant b one lead and one contacted."""
    cg, factory = world.a.id, world.services.uow_factory
    ids: dict[str, int] = {}
    with factory(cg) as uow:
        for name in ("north", "south"):
            unit = uow.business_units.add(BusinessUnit(company_group_id=cg, name=name))
            assert unit.id is not None
            place = uow.locations.add(
                Location(company_group_id=cg, name=f"{name} depot", business_unit_id=unit.id)
            )
            job = uow.roles.add(Role(company_group_id=cg, title=f"{name} picker", business_unit_id=unit.id))
            assert place.id is not None
            assert job.id is not None
            ids |= {name: unit.id, f"{name}_loc": place.id, f"{name}_role": job.id}
        for n, (name, (unit_name, source, entered, _)) in enumerate(PLAN.items()):
            person = uow.candidates.add(
                candidate(
                    cg,
                    phone=f"+1555555{n:04d}",
                    business_unit_id=ids[unit_name],
                    location_id=ids[f"{unit_name}_loc"],
                    role_id=ids[f"{unit_name}_role"],
                    source=source,
                    entered_at=T0 + entered,
                )
            )
            assert person.id is not None
            ids[name] = person.id
        uow.candidates.add(candidate(cg, phone="+15555559999", entered_at=T0, deleted_at=T0 + D))
        uow.commit()
    moves = FunnelTransitions(factory)
    for name, (_, _, entered, path) in PLAN.items():
        for state, after in path:
            moves.move(cg, ids[name], state, at=T0 + entered + after, actor="recruiter")
    with factory(world.b.id) as uow:
        for n in range(2):
            person = uow.candidates.add(candidate(world.b.id, phone=f"+1666666{n:04d}", entered_at=T0))
            assert person.id is not None
            ids[f"b{n}"] = person.id
        uow.commit()
    FunnelTransitions(factory).move(world.b.id, ids["b1"], S.CONTACTED, at=T0 + H)
    return ids


@pytest.fixture
def ids(world: ApiWorld) -> dict[str, int]:
    return seed(world)


def get(world: ApiWorld, report: str, tenant: Tenant | None = None, **params: Any) -> Any:
    response = world.client.get(f"{FUNNEL}/{report}", params=params, headers=world.headers(tenant=tenant))
    assert response.status_code == 200, response.text
    return response


def nonzero(buckets: dict[str, Any]) -> dict[str, int]:
    return {item["state"]: item["count"] for item in buckets["items"] if item["count"]}


def test_buckets_count_live_candidates_in_every_state_with_each_filter(
    world: ApiWorld, ids: dict[str, int]
) -> None:
    everyone = get(world, "buckets").json()

    assert [item["state"] for item in everyone["items"]] == [state.value for state in FunnelState]
    assert nonzero(everyone) == {"lead": 1, "ineligible": 1, "hired": 1, "onboarding": 1, "withdrawn": 1}
    assert everyone["total"] == 5  # the deleted candidate is not counted
    north = get(world, "buckets", business_unit_id=ids["north"]).json()
    assert nonzero(north) == {"hired": 1, "onboarding": 1, "withdrawn": 1}
    assert get(world, "buckets", location_id=ids["south_loc"]).json()["total"] == 2
    assert (
        get(world, "buckets", role_id=ids["south_role"], business_unit_id=ids["north"]).json()["total"] == 0
    )
    assert nonzero(get(world, "buckets", entered_from=(T0 + 7 * D).isoformat()).json()) == {
        "lead": 1,
        "ineligible": 1,
    }
    window: dict[str, Any] = {
        "entered_from": (T0 + 8 * D - H).isoformat(),
        "entered_to": (T0 + 8 * D + H).isoformat(),
    }
    assert nonzero(get(world, "buckets", **window).json()) == {"ineligible": 1}


def test_conversion_along_the_main_path(world: ApiWorld, ids: dict[str, int]) -> None:
    items = get(world, "conversion").json()["items"]

    stages = {(row["from_state"], row["to_state"]): row for row in items}
    assert len(items) == 10  # eleven main-path stages, ten steps
    assert stages["lead", "contacted"] == {
        "from_state": "lead",
        "to_state": "contacted",
        "reached_from": 5,
        "reached_to": 3,
        "rate": 0.6,
    }
    assert stages["contacted", "screening"]["rate"] == pytest.approx(0.6667)
    assert stages["eligible", "interview_scheduled"]["rate"] == 0.5
    assert (stages["offered", "hired"]["reached_from"], stages["offered", "hired"]["rate"]) == (2, 1.0)
    assert stages["onboarding", "onboarded"]["rate"] == 0.0
    south = {
        (r["from_state"], r["to_state"]): r
        for r in get(world, "conversion", business_unit_id=ids["south"]).json()["items"]
    }
    assert (south["lead", "contacted"]["reached_from"], south["lead", "contacted"]["rate"]) == (2, 0.5)
    assert south["offered", "hired"]["rate"] is None  # nobody in the south reached an offer


def test_time_in_stage_and_drop_off(world: ApiWorld, ids: dict[str, int]) -> None:
    timing = {row["state"]: row for row in get(world, "time-in-stage").json()["items"]}
    drops = {row["state"]: row for row in get(world, "drop-off").json()["items"]}

    assert (timing["lead"]["samples"], timing["lead"]["median_hours"]) == (4, 1.0)
    assert (timing["contacted"]["samples"], timing["contacted"]["median_hours"]) == (3, 2.0)
    assert timing["contacted"]["p90_hours"] == pytest.approx(6.8)
    assert timing["onboarded"] == {
        "state": "onboarded",
        "samples": 0,
        "median_hours": None,
        "p90_hours": None,
    }
    assert drops["contacted"] == {
        "state": "contacted",
        "reached": 3,
        "dropped": 1,
        "rate": pytest.approx(0.3333),
        "by_exit": {"withdrawn": 1},
    }
    assert drops["screening"]["by_exit"] == {"ineligible": 1}
    assert drops["offered"]["dropped"] == 0
    north = {
        row["state"]: row for row in get(world, "drop-off", business_unit_id=ids["north"]).json()["items"]
    }
    assert north["screening"]["dropped"] == 0  # the ineligible candidate is in the south


def test_weekly_cohorts_and_sources(world: ApiWorld, ids: dict[str, int]) -> None:
    first, second = get(world, "cohorts").json()["items"]
    sources = {row["source"]: row for row in get(world, "sources").json()["items"]}

    assert (first["week_start"], first["entered"], first["hired"]) == ("2024-05-06", 3, 2)
    assert first["hire_rate"] == pytest.approx(0.6667)
    assert first["reached"]["contacted"] == 2
    assert (second["week_start"], second["entered"], second["hired"], second["hire_rate"]) == (
        "2024-05-13",
        2,
        0,
        0.0,
    )
    assert list(sources) == ["meta_ads", "whatsapp", "referral"]  # most candidates first, then by name
    assert (sources["whatsapp"]["total"], sources["whatsapp"]["hired"], sources["whatsapp"]["exited"]) == (
        2,
        1,
        1,
    )
    assert sources["meta_ads"]["by_state"]["onboarding"] == 1
    assert (sources["referral"]["active"], sources["referral"]["hire_rate"]) == (1, 0.0)
    north = get(world, "sources", business_unit_id=ids["north"]).json()["items"]
    assert sum(row["total"] for row in north) == 3
    week_two = get(world, "cohorts", entered_from=(T0 + 7 * D).isoformat()).json()["items"]
    assert [week["week_start"] for week in week_two] == ["2024-05-13"]


def test_a_second_call_is_served_from_the_cache_until_invalidated(
    world: ApiWorld, ids: dict[str, int]
) -> None:
    first = get(world, "buckets")
    assert first.headers["X-Cache"] == "miss"
    # A move behind the API's back (nothing invalidates): the cached answer is still served.
    FunnelTransitions(world.services.uow_factory).move(world.a.id, ids["c4"], S.CONTACTED, at=T0 + 9 * D)

    second = get(world, "buckets")

    assert second.headers["X-Cache"] == "hit"
    assert second.json() == first.json()  # the same numbers, computed_at included
    assert nonzero(second.json())["lead"] == 1
    world.services.funnel_cache.invalidate(world.a.id)
    fresh = get(world, "buckets")
    assert fresh.headers["X-Cache"] == "miss"
    assert "lead" not in nonzero(fresh.json())
    assert nonzero(fresh.json())["contacted"] == 1
    assert get(world, "buckets").headers["X-Cache"] == "hit"


def test_each_report_and_each_filter_has_its_own_cache_entry(world: ApiWorld, ids: dict[str, int]) -> None:
    for report in ("buckets", "conversion", "time-in-stage", "drop-off", "cohorts", "sources"):
        assert get(world, report).headers["X-Cache"] == "miss", report
        assert get(world, report).headers["X-Cache"] == "hit", report
    assert get(world, "buckets", business_unit_id=ids["north"]).headers["X-Cache"] == "miss"
    # The same instant in another time zone is the same filter, so the same cache entry.
    assert get(world, "buckets", entered_from="2024-05-13T09:30:00Z").headers["X-Cache"] == "miss"
    same_instant = get(world, "buckets", entered_from="2024-05-13T11:30:00+02:00")
    assert same_instant.headers["X-Cache"] == "hit"
    assert same_instant.json()["total"] == 2


def test_each_tenant_sees_only_its_own_numbers(world: ApiWorld, ids: dict[str, int]) -> None:
    get(world, "buckets")  # tenant a's answer, now cached

    theirs = get(world, "buckets", tenant=world.b)

    assert theirs.headers["X-Cache"] == "miss"
    assert nonzero(theirs.json()) == {"lead": 1, "contacted": 1}
    assert [row["source"] for row in get(world, "sources", tenant=world.b).json()["items"]] == ["whatsapp"]
    # Filtering by another tenant's business unit finds nothing rather than their candidates.
    assert get(world, "buckets", tenant=world.b, business_unit_id=ids["north"]).json()["total"] == 0
    world.services.funnel_cache.invalidate(world.b.id)
    assert get(world, "buckets").headers["X-Cache"] == "hit"  # b's invalidation leaves a's answers


def test_bad_filters_are_listed(world: ApiWorld) -> None:
    params = {
        "business_unit_id": 0,
        "location_id": "north",
        "role_id": 2**63,
        "entered_from": "2024-05-06T00:00:00",  # no time zone
    }
    response = world.request("GET", f"{FUNNEL}/buckets", params=params)

    assert response.status_code == 422
    locs = {error["loc"] for error in response.json()["errors"]}
    assert locs == {"query.business_unit_id", "query.location_id", "query.role_id", "query.entered_from"}
    far = world.request(
        "GET",
        f"{FUNNEL}/sources",
        params={"entered_from": "0001-01-01T00:00:00+05:00", "entered_to": "9999-12-31T23:00:00-05:00"},
    )
    assert far.status_code == 422
    assert [error["field"] for error in far.json()["errors"]] == ["entered_from", "entered_to"]
    backwards = world.request(
        "GET",
        f"{FUNNEL}/conversion",
        params={"entered_from": "2024-05-13T00:00:00Z", "entered_to": "2024-05-06T00:00:00Z"},
    )
    assert backwards.status_code == 422
    assert [error["field"] for error in backwards.json()["errors"]] == ["entered_to"]


def test_every_member_reads_analytics_but_only_inside_a_company_group(world: ApiWorld) -> None:
    for report in ("buckets", "conversion", "time-in-stage", "drop-off", "cohorts", "sources"):
        path = f"{FUNNEL}/{report}"
        assert world.request("GET", path, role=MembershipRole.VIEWER).status_code == 200
        assert world.client.get(path).status_code == 401
        refused = world.client.get(path, headers=world.superadmin_headers())  # signed in to no company group
        assert refused.status_code == 403
        assert world.client.get(path, headers=world.superadmin_headers(world.a)).status_code == 200
