"""``/api/v1/audit-log``: every write shows up with who made it and which ids it touched, per tenant."""

from __future__ import annotations

from typing import Any

from hireflow.domain.models.identity import MembershipRole
from tests.e2e.api.world import PASSWORD, ApiWorld

AUDIT = "/api/v1/audit-log"


def entries(world: ApiWorld, **params: object) -> Any:
    response = world.request("GET", AUDIT, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_writes_are_listed_newest_first_with_actor_route_and_ids(world: ApiWorld) -> None:
    created = world.request("POST", "/api/v1/locations", json={"name": "Madrid DC"}).json()
    path = f"/api/v1/locations/{created['id']}"
    assert world.request("PATCH", path, json={"city": "Madrid"}).status_code == 200
    assert world.request("PATCH", path, json={"latitude": 1}).status_code == 422  # failures are not writes
    assert world.request("GET", path).status_code == 200  # reads are not audited
    member = world.a.users[MembershipRole.VIEWER]
    assert world.request("PATCH", f"/api/v1/users/{member}", json={"role": "recruiter"}).status_code == 200

    promoted, patched, posted = entries(world)["items"]

    admin = world.a.users[MembershipRole.ADMIN]
    assert posted["actor_user_id"] == patched["actor_user_id"] == promoted["actor_user_id"] == admin
    assert (posted["action"], posted["route"], posted["resource"]) == (
        "POST",
        "/api/v1/locations",
        "locations",
    )
    assert (posted["result_id"], posted["target_id"], posted["status_code"]) == (
        str(created["id"]),
        None,
        201,
    )
    assert (patched["action"], patched["route"]) == ("PATCH", "/api/v1/locations/{location_id}")
    assert patched["target_id"] == patched["result_id"] == str(created["id"])
    assert (promoted["route"], promoted["target_id"], promoted["resource"]) == (
        "/api/v1/users/{user_id}",
        str(member),
        "users",
    )
    assert all(entry["company_group_id"] == world.a.id for entry in (posted, patched, promoted))
    assert posted["id"] < patched["id"] < promoted["id"]
    assert posted["occurred_at"] is not None
    assert posted["request_id"]


def test_a_write_by_a_viewer_is_audited_too(world: ApiWorld) -> None:
    change = {"current_password": PASSWORD, "new_password": "a new and long passphrase 9"}
    viewer = world.headers(MembershipRole.VIEWER)
    assert world.client.put("/api/v1/users/me/password", headers=viewer, json=change).status_code == 204

    (entry,) = entries(world)["items"]

    assert (entry["actor_user_id"], entry["action"], entry["route"]) == (
        world.a.users[MembershipRole.VIEWER],
        "PUT",
        "/api/v1/users/me/password",
    )
    assert (entry["target_id"], entry["result_id"], entry["status_code"]) == (None, None, 204)


def test_pages_go_from_newest_to_oldest(world: ApiWorld) -> None:
    ids = [world.request("POST", "/api/v1/roles", json={"title": f"Role {n}"}).json()["id"] for n in range(5)]

    first = entries(world, limit=3)
    second = entries(world, limit=3, cursor=first["next_cursor"])

    listed = [entry["result_id"] for entry in first["items"] + second["items"]]
    assert listed == [str(role_id) for role_id in reversed(ids)]
    assert second["next_cursor"] is None


def test_each_tenant_sees_only_its_own_entries(world: ApiWorld) -> None:
    world.request("POST", "/api/v1/business-units", json={"name": "A's unit"})
    b_admin = world.headers(MembershipRole.ADMIN, world.b)

    b_entries = world.client.get(AUDIT, headers=b_admin).json()

    assert b_entries == {"items": [], "next_cursor": None}
    world.client.post("/api/v1/business-units", headers=b_admin, json={"name": "B's unit"})
    (only,) = world.client.get(AUDIT, headers=b_admin).json()["items"]
    assert (only["company_group_id"], only["actor_user_id"]) == (
        world.b.id,
        world.b.users[MembershipRole.ADMIN],
    )
    assert [entry["company_group_id"] for entry in entries(world)["items"]] == [world.a.id]


def test_only_admins_read_the_audit_log(world: ApiWorld) -> None:
    for role in (MembershipRole.VIEWER, MembershipRole.HIRING_MANAGER, MembershipRole.RECRUITER):
        refused = world.request("GET", AUDIT, role=role)
        assert refused.status_code == 403
        assert "audit:read" in refused.json()["detail"]
    assert world.client.get(AUDIT).status_code == 401
    bad = world.request("GET", AUDIT, params={"limit": 500, "cursor": "!!"})
    assert {error["loc"] for error in bad.json()["errors"]} == {"query.limit"}
