"""``/api/v1/business-units``: the CRUD pattern every simple resource follows, through HTTP."""

from __future__ import annotations

from hireflow.domain.models.identity import MembershipRole
from tests.e2e.api.world import ApiWorld

UNITS = "/api/v1/business-units"


def create(world: ApiWorld, name: str, **fields: object) -> dict[str, object]:
    response = world.request("POST", UNITS, json={"name": name, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_create_read_update_delete(world: ApiWorld) -> None:
    created = create(world, "Logistics", code="LOG")
    assert created["name"] == "Logistics"
    assert created["is_active"] is True
    path = f"{UNITS}/{created['id']}"

    assert world.request("GET", path).json() == created

    updated = world.request("PATCH", path, json={"description": "Warehouses and drivers", "is_active": False})
    assert updated.status_code == 200
    assert updated.json()["description"] == "Warehouses and drivers"
    assert updated.json()["code"] == "LOG"  # untouched by a partial update
    assert world.request("GET", path).json()["is_active"] is False

    assert world.request("DELETE", path).status_code == 204
    assert world.request("GET", path).status_code == 404


def test_bad_input_lists_every_offending_field(world: ApiWorld) -> None:
    response = world.request("POST", UNITS, json={"name": "", "code": "x" * 51, "colour": "red"})

    assert response.status_code == 422
    assert {error["loc"] for error in response.json()["errors"]} == {"body.name", "body.code", "body.colour"}
    assert world.request("GET", UNITS).json()["items"] == []


def test_a_duplicate_name_is_a_conflict(world: ApiWorld) -> None:
    create(world, "Retail")

    response = world.request("POST", UNITS, json={"name": "Retail"})

    assert response.status_code == 409
    assert response.json()["type"] == "https://hireflow.dev/problems/conflict"


def test_pages_follow_the_cursor_to_the_end(world: ApiWorld) -> None:
    ids = [create(world, f"Unit {n}")["id"] for n in range(5)]

    first = world.request("GET", UNITS, params={"limit": 2}).json()
    second = world.request("GET", UNITS, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    third = world.request("GET", UNITS, params={"limit": 2, "cursor": second["next_cursor"]}).json()

    assert [item["id"] for item in first["items"] + second["items"] + third["items"]] == ids
    assert third["next_cursor"] is None


def test_a_malformed_cursor_or_limit_is_a_validation_error(world: ApiWorld) -> None:
    bad_cursor = world.request("GET", UNITS, params={"cursor": "not-a-cursor"})
    bad_limit = world.request("GET", UNITS, params={"limit": 0})

    assert bad_cursor.status_code == bad_limit.status_code == 422
    assert bad_cursor.json()["errors"] == [{"field": "cursor", "message": "malformed cursor"}]
    assert [error["loc"] for error in bad_limit.json()["errors"]] == ["query.limit"]


def test_readers_read_and_only_admins_write(world: ApiWorld) -> None:
    unit = create(world, "Retail")
    for role in (MembershipRole.VIEWER, MembershipRole.HIRING_MANAGER, MembershipRole.RECRUITER):
        assert world.request("GET", f"{UNITS}/{unit['id']}", role=role).status_code == 200
        refused = world.request("POST", UNITS, role=role, json={"name": f"By {role}"})
        assert refused.status_code == 403, role
        assert "org:manage" in refused.json()["detail"]
        assert world.request("DELETE", f"{UNITS}/{unit['id']}", role=role).status_code == 403
    assert [item["name"] for item in world.request("GET", UNITS).json()["items"]] == ["Retail"]


def test_another_tenants_unit_is_not_found_and_untouched(world: ApiWorld) -> None:
    theirs = create(world, "Acme only")
    path = f"{UNITS}/{theirs['id']}"
    other = world.headers(MembershipRole.ADMIN, world.b)

    assert world.client.get(path, headers=other).status_code == 404
    assert world.client.patch(path, headers=other, json={"name": "Taken"}).status_code == 404
    assert world.client.delete(path, headers=other).status_code == 404
    assert world.client.get(UNITS, headers=other).json()["items"] == []
    assert world.request("GET", path).json() == theirs


def test_writes_are_audited(world: ApiWorld) -> None:
    unit = create(world, "Audited")
    world.request("PATCH", f"{UNITS}/{unit['id']}", json={"code": "AUD"})
    world.request("DELETE", f"{UNITS}/{unit['id']}")

    entries = world.services.audit_log.entries(world.a.id)

    assert [(e.action, e.route, e.target_id, e.result_id) for e in entries] == [
        ("DELETE", "/api/v1/business-units/{business_unit_id}", str(unit["id"]), None),
        ("PATCH", "/api/v1/business-units/{business_unit_id}", str(unit["id"]), str(unit["id"])),
        ("POST", "/api/v1/business-units", None, str(unit["id"])),
    ]
    assert {e.actor_user_id for e in entries} == {world.a.users[MembershipRole.ADMIN]}
    assert {e.resource for e in entries} == {"business-units"}
    assert all(e.request_id for e in entries)
    assert world.services.audit_log.entries(world.b.id) == []


def test_refused_writes_are_not_audited(world: ApiWorld) -> None:
    world.request("POST", UNITS, role=MembershipRole.VIEWER, json={"name": "Nope"})
    world.request("POST", UNITS, json={"name": ""})

    assert world.services.audit_log.entries(world.a.id) == []


def test_an_id_beyond_64_bits_is_a_validation_error_not_a_crash(world: ApiWorld) -> None:
    response = world.request("GET", f"{UNITS}/{2**70}")

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
