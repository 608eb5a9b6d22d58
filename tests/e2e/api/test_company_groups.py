"""``/api/v1/company-groups``: tenants, managed by superadmins only, through HTTP."""

from __future__ import annotations

from typing import Any

from hireflow.domain.models.identity import MembershipRole
from tests.e2e.api.world import ApiWorld

GROUPS = "/api/v1/company-groups"


def as_root(world: ApiWorld, method: str, path: str, **kwargs: Any) -> Any:
    return world.client.request(method, path, headers=world.superadmin_headers(), **kwargs)


def create(world: ApiWorld, slug: str, **fields: object) -> dict[str, Any]:
    response = as_root(world, "POST", GROUPS, json={"name": slug.title(), "slug": slug, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_read_update(world: ApiWorld) -> None:
    created = create(world, "initech", timezone="Europe/Madrid", default_phone_region="ES")
    assert (created["name"], created["timezone"], created["default_phone_region"]) == (
        "Initech",
        "Europe/Madrid",
        "ES",
    )
    path = f"{GROUPS}/{created['id']}"
    assert as_root(world, "GET", path).json() == created

    updated = as_root(world, "PATCH", path, json={"name": "Initech Corp", "slug": "initech-corp"})

    assert updated.status_code == 200
    again = as_root(world, "GET", path).json()
    assert (again["name"], again["slug"], again["timezone"]) == (
        "Initech Corp",
        "initech-corp",
        "Europe/Madrid",
    )


def test_a_taken_slug_is_a_conflict_on_create_and_update(world: ApiWorld) -> None:
    taken = as_root(world, "POST", GROUPS, json={"name": "Acme again", "slug": "acme"})
    assert taken.status_code == 409
    assert "acme" in taken.json()["detail"]

    renamed = as_root(world, "PATCH", f"{GROUPS}/{world.b.id}", json={"slug": "acme"})

    assert renamed.status_code == 409
    assert as_root(world, "GET", f"{GROUPS}/{world.b.id}").json()["slug"] == "globex"
    assert as_root(world, "PATCH", f"{GROUPS}/{world.b.id}", json={"slug": "globex"}).status_code == 200


def test_bad_input_lists_every_offending_field(world: ApiWorld) -> None:
    response = as_root(
        world,
        "POST",
        GROUPS,
        json={"name": "", "slug": "Not A Slug", "default_phone_region": "usa", "colour": "red"},
    )
    assert response.status_code == 422
    assert {error["loc"] for error in response.json()["errors"]} == {
        "body.name",
        "body.slug",
        "body.default_phone_region",
        "body.colour",
    }
    patch = as_root(world, "PATCH", f"{GROUPS}/{world.a.id}", json={"slug": "-bad-", "timezone": ""})
    assert {error["loc"] for error in patch.json()["errors"]} == {"body.slug", "body.timezone"}
    assert as_root(world, "GET", f"{GROUPS}/{world.a.id}").json()["slug"] == "acme"


def test_pages_follow_the_cursor_to_the_end(world: ApiWorld) -> None:
    ids = [world.a.id, world.b.id] + [create(world, f"tenant-{n}")["id"] for n in range(3)]

    first = as_root(world, "GET", GROUPS, params={"limit": 3}).json()
    second = as_root(world, "GET", GROUPS, params={"limit": 3, "cursor": first["next_cursor"]}).json()

    assert [item["id"] for item in first["items"] + second["items"]] == ids
    assert first["next_cursor"] is not None
    assert second["next_cursor"] is None


def test_only_superadmins_manage_company_groups(world: ApiWorld) -> None:
    for role in MembershipRole:
        headers = world.headers(role)
        assert world.client.get(GROUPS, headers=headers).status_code == 403, role
        assert world.client.get(f"{GROUPS}/{world.a.id}", headers=headers).status_code == 403
        refused = world.client.post(GROUPS, headers=headers, json={"name": "Mine", "slug": "mine"})
        assert refused.status_code == 403
        assert "platform:manage" in refused.json()["detail"]
        patch = world.client.patch(f"{GROUPS}/{world.a.id}", headers=headers, json={"name": "Hacked"})
        assert patch.status_code == 403
        delete = world.client.delete(f"{GROUPS}/{world.a.id}", headers=headers, params={"confirm": "acme"})
        assert delete.status_code == 403
    assert as_root(world, "GET", f"{GROUPS}/{world.a.id}").json()["name"] == "Acme"
    # A superadmin signed in to a company group still manages the platform.
    inside = world.client.get(GROUPS, headers=world.superadmin_headers(world.a))
    assert inside.status_code == 200


def test_an_unknown_id_is_not_found(world: ApiWorld) -> None:
    missing = f"{GROUPS}/999999"
    assert as_root(world, "GET", missing).status_code == 404
    assert as_root(world, "PATCH", missing, json={"name": "X"}).status_code == 404
    assert as_root(world, "DELETE", missing, params={"confirm": "x"}).status_code == 404


def test_a_delete_must_repeat_the_slug(world: ApiWorld) -> None:
    path = f"{GROUPS}/{world.b.id}"

    missing = as_root(world, "DELETE", path)
    wrong = as_root(world, "DELETE", path, params={"confirm": "acme"})

    assert missing.status_code == wrong.status_code == 422
    assert [error["loc"] for error in missing.json()["errors"]] == ["query.confirm"]
    assert wrong.json()["errors"] == [{"field": "confirm", "message": "must repeat the company group's slug"}]
    assert "confirm=globex" in wrong.json()["detail"]
    assert as_root(world, "GET", path).status_code == 200


def test_deleting_a_company_group_deletes_its_data_but_not_its_users(world: ApiWorld) -> None:
    unit = world.client.post(
        "/api/v1/business-units", headers=world.headers(tenant=world.b), json={"name": "Doomed"}
    )
    assert unit.status_code == 201
    b_admin = world.b.users[MembershipRole.ADMIN]

    response = as_root(world, "DELETE", f"{GROUPS}/{world.b.id}", params={"confirm": "globex"})

    assert response.status_code == 204
    assert as_root(world, "GET", f"{GROUPS}/{world.b.id}").status_code == 404
    with world.services.uow_factory(world.b.id) as uow:
        assert uow.business_units.count() == 0
        assert uow.memberships.count() == 0
        assert uow.users.find(b_admin) is not None
    # Tenant a is untouched.
    assert world.request("GET", "/api/v1/users").json()["items"]
