"""``/api/v1/locations``: CRUD and the business-unit filter, through HTTP."""

from __future__ import annotations

from typing import Any

from hireflow.domain.models.identity import MembershipRole
from tests.e2e.api.world import ApiWorld

LOCATIONS = "/api/v1/locations"


def create(world: ApiWorld, name: str, **fields: object) -> dict[str, Any]:
    response = world.request("POST", LOCATIONS, json={"name": name, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def business_unit(world: ApiWorld, name: str) -> int:
    response = world.request("POST", "/api/v1/business-units", json={"name": name})
    assert response.status_code == 201
    unit_id: int = response.json()["id"]
    return unit_id


def test_create_read_update_delete(world: ApiWorld) -> None:
    unit = business_unit(world, "Logistics")
    created = create(
        world,
        "Madrid DC",
        business_unit_id=unit,
        city="Madrid",
        country_code="ES",
        latitude=40.4,
        longitude=-3.7,
    )
    assert (created["business_unit_id"], created["city"], created["latitude"]) == (unit, "Madrid", 40.4)
    path = f"{LOCATIONS}/{created['id']}"
    assert world.request("GET", path, role=MembershipRole.VIEWER).json() == created

    updated = world.request("PATCH", path, json={"postal_code": "28001", "is_active": False})

    assert updated.status_code == 200
    stored = world.request("GET", path).json()
    assert (stored["postal_code"], stored["is_active"], stored["city"]) == ("28001", False, "Madrid")
    assert world.request("DELETE", path).status_code == 204
    assert world.request("GET", path).status_code == 404


def test_bad_input_lists_every_offending_field(world: ApiWorld) -> None:
    response = world.request(
        "POST", LOCATIONS, json={"name": "", "country_code": "spain", "latitude": 91, "floor": 3}
    )
    one_coordinate = world.request("POST", LOCATIONS, json={"name": "Half", "latitude": 40.0})

    assert response.status_code == one_coordinate.status_code == 422
    assert {error["loc"] for error in response.json()["errors"]} == {
        "body.name",
        "body.country_code",
        "body.latitude",
        "body.floor",
    }
    assert "longitude" in one_coordinate.json()["detail"]
    assert world.request("GET", LOCATIONS).json()["items"] == []
    assert world.request("GET", LOCATIONS, params={"business_unit_id": "x"}).json()["errors"][0]["loc"] == (
        "query.business_unit_id"
    )


def test_a_duplicate_name_is_a_conflict(world: ApiWorld) -> None:
    create(world, "Madrid DC")
    assert world.request("POST", LOCATIONS, json={"name": "Madrid DC"}).status_code == 409


def test_the_list_filters_by_business_unit_and_pages(world: ApiWorld) -> None:
    north, south = business_unit(world, "North"), business_unit(world, "South")
    in_north = [create(world, f"North {n}", business_unit_id=north)["id"] for n in range(3)]
    create(world, "South 1", business_unit_id=south)
    create(world, "Nowhere")

    first = world.request("GET", LOCATIONS, params={"business_unit_id": north, "limit": 2}).json()
    second = world.request(
        "GET", LOCATIONS, params={"business_unit_id": north, "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    everything = world.request("GET", LOCATIONS, params={"limit": 3}).json()
    rest = world.request("GET", LOCATIONS, params={"limit": 3, "cursor": everything["next_cursor"]}).json()

    assert [item["id"] for item in first["items"] + second["items"]] == in_north
    assert second["next_cursor"] is None
    assert len(everything["items"] + rest["items"]) == 5
    assert rest["next_cursor"] is None


def test_only_admins_write(world: ApiWorld) -> None:
    location = create(world, "Madrid DC")
    path = f"{LOCATIONS}/{location['id']}"
    for role in (MembershipRole.VIEWER, MembershipRole.HIRING_MANAGER, MembershipRole.RECRUITER):
        assert world.request("GET", path, role=role).status_code == 200
        assert world.request("POST", LOCATIONS, role=role, json={"name": "Mine"}).status_code == 403
        assert world.request("PATCH", path, role=role, json={"name": "Mine"}).status_code == 403
        assert world.request("DELETE", path, role=role).status_code == 403
    assert world.request("GET", path).json()["name"] == "Madrid DC"


def test_another_tenants_locations_and_units_are_not_found(world: ApiWorld) -> None:
    theirs = world.client.post(
        LOCATIONS, headers=world.headers(tenant=world.b), json={"name": "Theirs"}
    ).json()
    their_unit = world.client.post(
        "/api/v1/business-units", headers=world.headers(tenant=world.b), json={"name": "Their unit"}
    ).json()
    path = f"{LOCATIONS}/{theirs['id']}"

    assert world.request("GET", path).status_code == 404
    assert world.request("PATCH", path, json={"name": "Ours now"}).status_code == 404
    assert world.request("DELETE", path).status_code == 404
    assert (
        world.request("POST", LOCATIONS, json={"name": "X", "business_unit_id": their_unit["id"]}).status_code
        == 404
    )
    assert (
        world.request("GET", LOCATIONS, params={"business_unit_id": their_unit["id"]}).json()["items"] == []
    )
    assert world.client.get(path, headers=world.headers(tenant=world.b)).json()["name"] == "Theirs"
