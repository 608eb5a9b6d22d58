"""``/api/v1/roles``: CRUD with nested eligibility criteria, and the list filters, through HTTP."""

from __future__ import annotations

from typing import Any

from hireflow.domain.models.identity import MembershipRole
from tests.e2e.api.world import ApiWorld

ROLES = "/api/v1/roles"
CRITERIA = {
    "age": {"min_years": 18, "max_years": 65},
    "max_commute_km": 25.5,
    "required_documents": ["id_document"],
    "min_education": "secondary",
    "required_shifts": ["night", "weekend"],
    "min_experience_months": 6,
    "required_languages": ["es"],
    "work_authorization_required": True,
}


def create(world: ApiWorld, title: str, **fields: object) -> dict[str, Any]:
    response = world.request("POST", ROLES, json={"title": title, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def business_unit(world: ApiWorld, name: str) -> int:
    unit_id: int = world.request("POST", "/api/v1/business-units", json={"name": name}).json()["id"]
    return unit_id


def test_create_read_update_delete_with_eligibility_criteria(world: ApiWorld) -> None:
    created = create(
        world,
        "Picker",
        pay_min_minor=1500,
        pay_max_minor=1800,
        pay_currency="EUR",
        eligibility_criteria=CRITERIA,
    )
    assert created["eligibility_criteria"] == CRITERIA
    assert (created["employment_type"], created["pay_period"], created["is_active"]) == (
        "full_time",
        "hour",
        True,
    )
    path = f"{ROLES}/{created['id']}"
    assert world.request("GET", path, role=MembershipRole.VIEWER).json() == created

    replaced = {"max_commute_km": 10, "required_languages": ["en", "es"]}
    updated = world.request("PATCH", path, json={"eligibility_criteria": replaced, "pay_max_minor": 2000})

    assert updated.status_code == 200
    stored = world.request("GET", path).json()
    assert stored["eligibility_criteria"]["max_commute_km"] == 10
    assert stored["eligibility_criteria"]["age"] is None  # replaced as a whole
    assert stored["eligibility_criteria"]["required_languages"] == ["en", "es"]
    assert (stored["pay_min_minor"], stored["pay_max_minor"], stored["title"]) == (1500, 2000, "Picker")
    assert world.request("DELETE", path).status_code == 204
    assert world.request("GET", path).status_code == 404


def test_bad_input_lists_every_offending_field_including_nested_ones(world: ApiWorld) -> None:
    response = world.request(
        "POST",
        ROLES,
        json={
            "title": "",
            "pay_currency": "euro",
            "employment_type": "forever",
            "eligibility_criteria": {
                "age": {"min_years": 10, "extra": 1},
                "required_shifts": ["dawn"],
                "pets": 1,
            },
        },
    )
    assert response.status_code == 422
    assert {error["loc"] for error in response.json()["errors"]} == {
        "body.title",
        "body.pay_currency",
        "body.employment_type",
        "body.eligibility_criteria.age.min_years",
        "body.eligibility_criteria.age.extra",
        "body.eligibility_criteria.required_shifts.0",
        "body.eligibility_criteria.pets",
    }
    inverted = world.request("POST", ROLES, json={"title": "Odd", "pay_min_minor": 9, "pay_max_minor": 1})
    assert inverted.status_code == 422
    assert "pay_min_minor must not exceed pay_max_minor" in inverted.json()["detail"]
    assert world.request("GET", ROLES).json()["items"] == []
    bad_filter = world.request("GET", ROLES, params={"active": "perhaps", "business_unit_id": 0})
    assert {error["loc"] for error in bad_filter.json()["errors"]} == {
        "query.active",
        "query.business_unit_id",
    }


def test_an_update_is_validated_as_a_whole(world: ApiWorld) -> None:
    role = create(world, "Driver", pay_min_minor=1000, pay_max_minor=1200)
    path = f"{ROLES}/{role['id']}"

    response = world.request("PATCH", path, json={"pay_min_minor": 5000})

    assert response.status_code == 422
    assert world.request("GET", path).json()["pay_min_minor"] == 1000


def test_the_list_filters_by_business_unit_and_activity_and_pages(world: ApiWorld) -> None:
    north, south = business_unit(world, "North"), business_unit(world, "South")
    north_active = [create(world, f"North {n}", business_unit_id=north)["id"] for n in range(3)]
    north_closed = create(world, "North closed", business_unit_id=north, is_active=False)["id"]
    south_active = create(world, "South", business_unit_id=south)["id"]
    loose_closed = create(world, "Closed", is_active=False)["id"]

    def ids(**params: object) -> list[int]:
        found: list[int] = []
        cursor = None
        while True:
            query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = world.request("GET", ROLES, params=query).json()
            found += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return found

    assert ids(business_unit_id=north) == [*north_active, north_closed]
    assert ids(business_unit_id=north, active=True) == north_active
    assert ids(business_unit_id=north, active=False) == [north_closed]
    assert ids(active=True) == [*north_active, south_active]
    assert ids(active=False) == [north_closed, loose_closed]
    assert ids() == [*north_active, north_closed, south_active, loose_closed]


def test_only_admins_write(world: ApiWorld) -> None:
    role = create(world, "Picker")
    path = f"{ROLES}/{role['id']}"
    for member in (MembershipRole.VIEWER, MembershipRole.HIRING_MANAGER, MembershipRole.RECRUITER):
        assert world.request("GET", ROLES, role=member).status_code == 200
        assert world.request("POST", ROLES, role=member, json={"title": "Mine"}).status_code == 403
        assert world.request("PATCH", path, role=member, json={"title": "Mine"}).status_code == 403
        assert world.request("DELETE", path, role=member).status_code == 403
    assert world.request("GET", path).json()["title"] == "Picker"


def test_another_tenants_roles_are_not_found(world: ApiWorld) -> None:
    theirs = world.client.post(ROLES, headers=world.headers(tenant=world.b), json={"title": "Theirs"}).json()
    path = f"{ROLES}/{theirs['id']}"

    assert world.request("GET", path).status_code == 404
    assert world.request("PATCH", path, json={"title": "Ours"}).status_code == 404
    assert world.request("DELETE", path).status_code == 404
    assert world.request("GET", ROLES).json()["items"] == []
    assert world.client.get(path, headers=world.headers(tenant=world.b)).json()["title"] == "Theirs"
