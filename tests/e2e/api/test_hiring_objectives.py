"""``/api/v1/hiring-objectives``: CRUD, the list filters, and progress against hires, through HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.identity import MembershipRole
from hireflow.domain.services.funnel_transitions import transition
from tests.builders import candidate
from tests.e2e.api.world import ApiWorld, Tenant

OBJECTIVES = "/api/v1/hiring-objectives"
TODAY = datetime.now(UTC).date()


def role(world: ApiWorld, title: str, tenant: Tenant | None = None) -> int:
    response = world.client.post("/api/v1/roles", headers=world.headers(tenant=tenant), json={"title": title})
    assert response.status_code == 201
    role_id: int = response.json()["id"]
    return role_id


def create(world: ApiWorld, role_id: int, **fields: object) -> dict[str, Any]:
    body = {
        "role_id": role_id,
        "objective_amount": 4,
        "start_date": str(TODAY - timedelta(days=10)),
        **fields,
    }
    response = world.request("POST", OBJECTIVES, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def hire(world: ApiWorld, role_id: int, count: int) -> None:
    """``count`` candidates of the role, hired yesterday."""
    with world.services.uow_factory(world.a.id) as uow:
        for n in range(count):
            offered = uow.candidates.add(
                candidate(world.a.id, f"+1555555{n:04d}", role_id=role_id, funnel_state=FunnelState.OFFERED)
            )
            assert offered.id is not None
            transition(uow, offered.id, FunnelState.HIRED, at=datetime.now(UTC) - timedelta(days=1))
        uow.commit()


def test_create_read_update_delete(world: ApiWorld) -> None:
    picker = role(world, "Picker")
    created = create(world, picker, deadline=str(TODAY + timedelta(days=30)), notes="Peak season")
    assert (created["role_id"], created["objective_amount"], created["status"]) == (picker, 4, "open")
    path = f"{OBJECTIVES}/{created['id']}"
    assert world.request("GET", path, role=MembershipRole.VIEWER).json() == created

    updated = world.request("PATCH", path, json={"objective_amount": 6, "status": "closed"})

    assert updated.status_code == 200
    stored = world.request("GET", path).json()
    assert (stored["objective_amount"], stored["status"], stored["notes"]) == (6, "closed", "Peak season")
    assert world.request("DELETE", path).status_code == 204
    assert world.request("GET", path).status_code == 404


def test_bad_input_lists_every_offending_field(world: ApiWorld) -> None:
    picker = role(world, "Picker")
    response = world.request(
        "POST",
        OBJECTIVES,
        json={"role_id": 0, "objective_amount": 0, "start_date": "someday", "status": "done", "x": 1},
    )
    early = world.request(
        "POST",
        OBJECTIVES,
        json={"role_id": picker, "objective_amount": 1, "start_date": "2024-06-10", "deadline": "2024-06-01"},
    )

    assert response.status_code == early.status_code == 422
    assert {error["loc"] for error in response.json()["errors"]} == {
        "body.role_id",
        "body.objective_amount",
        "body.start_date",
        "body.status",
        "body.x",
    }
    assert "deadline must not be before start_date" in early.json()["detail"]
    assert world.request("GET", OBJECTIVES).json()["items"] == []
    bad_filter = world.request("GET", OBJECTIVES, params={"status": "done", "role_id": -1})
    assert {error["loc"] for error in bad_filter.json()["errors"]} == {"query.status", "query.role_id"}


def test_the_list_filters_by_status_and_role_and_pages(world: ApiWorld) -> None:
    picker, driver = role(world, "Picker"), role(world, "Driver")
    open_pickers = [create(world, picker)["id"] for _ in range(3)]
    met_picker = create(world, picker, status="met")["id"]
    open_driver = create(world, driver)["id"]

    def ids(**params: object) -> list[int]:
        first = world.request("GET", OBJECTIVES, params={**params, "limit": 2}).json()
        if first["next_cursor"] is None:
            return [item["id"] for item in first["items"]]
        rest = world.request(
            "GET", OBJECTIVES, params={**params, "limit": 50, "cursor": first["next_cursor"]}
        )
        assert rest.json()["next_cursor"] is None
        return [item["id"] for item in first["items"] + rest.json()["items"]]

    assert ids(role_id=picker) == [*open_pickers, met_picker]
    assert ids(role_id=picker, status="open") == open_pickers
    assert ids(status="open") == [*open_pickers, open_driver]
    assert ids(status="met") == [met_picker]
    assert ids(status="cancelled") == []
    assert ids() == [*open_pickers, met_picker, open_driver]


def test_progress_counts_hires_and_rolls_up_by_role(world: ApiWorld) -> None:
    picker, driver = role(world, "Picker"), role(world, "Driver")
    on_track = create(world, picker, deadline=str(TODAY + timedelta(days=60)))
    stalled = create(world, driver, objective_amount=2, deadline=str(TODAY + timedelta(days=5)))
    hire(world, picker, 2)

    report = world.request("GET", f"{OBJECTIVES}/progress", role=MembershipRole.VIEWER, params={"by": "role"})

    assert report.status_code == 200
    body = report.json()
    items = {item["objective_id"]: item for item in body["items"]}
    assert (items[on_track["id"]]["hired"], items[on_track["id"]]["remaining"]) == (2, 2)
    assert items[on_track["id"]]["attainment_pct"] == 50.0
    assert items[on_track["id"]]["at_risk"] is False
    assert (items[stalled["id"]]["hired"], items[stalled["id"]]["at_risk"]) == (0, True)
    rollup = {row["key_id"]: row for row in body["rollup"]}
    assert (rollup[picker]["objectives"], rollup[picker]["hired"], rollup[driver]["at_risk"]) == (1, 2, 1)
    assert world.request("GET", f"{OBJECTIVES}/progress").json()["rollup"] is None
    assert world.request("GET", f"{OBJECTIVES}/progress", params={"by": "colour"}).status_code == 422

    one = world.request("GET", f"{OBJECTIVES}/{on_track['id']}/progress").json()
    assert (one["objective_id"], one["hired"], one["remaining"]) == (on_track["id"], 2, 2)
    b_progress = world.client.get(f"{OBJECTIVES}/progress", headers=world.headers(tenant=world.b)).json()
    assert b_progress["items"] == []


def test_only_admins_write(world: ApiWorld) -> None:
    objective = create(world, role(world, "Picker"))
    path = f"{OBJECTIVES}/{objective['id']}"
    for member in (MembershipRole.VIEWER, MembershipRole.HIRING_MANAGER, MembershipRole.RECRUITER):
        assert world.request("GET", f"{path}/progress", role=member).status_code == 200
        body = {"role_id": objective["role_id"], "objective_amount": 1, "start_date": "2024-06-01"}
        assert world.request("POST", OBJECTIVES, role=member, json=body).status_code == 403
        assert world.request("PATCH", path, role=member, json={"objective_amount": 9}).status_code == 403
        assert world.request("DELETE", path, role=member).status_code == 403
    assert world.request("GET", path).json()["objective_amount"] == 4


def test_another_tenants_objectives_and_roles_are_not_found(world: ApiWorld) -> None:
    their_role = role(world, "Theirs", world.b)
    theirs = world.client.post(
        OBJECTIVES,
        headers=world.headers(tenant=world.b),
        json={"role_id": their_role, "objective_amount": 3, "start_date": str(date(2024, 6, 1))},
    ).json()
    path = f"{OBJECTIVES}/{theirs['id']}"

    assert world.request("GET", path).status_code == 404
    assert world.request("GET", f"{path}/progress").status_code == 404
    assert world.request("PATCH", path, json={"objective_amount": 1}).status_code == 404
    assert world.request("DELETE", path).status_code == 404
    body = {"role_id": their_role, "objective_amount": 1, "start_date": "2024-06-01"}
    assert world.request("POST", OBJECTIVES, json=body).status_code == 404
    assert world.request("GET", OBJECTIVES, params={"role_id": their_role}).json()["items"] == []
    assert world.client.get(path, headers=world.headers(tenant=world.b)).json()["objective_amount"] == 3
