"""``/api/v1/users``: the caller themself, and the members of their company group, through HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hireflow.apps.api.app import create_app
from hireflow.domain.models.identity import MembershipRole
from hireflow.shared.config import get_settings
from tests.e2e.api.world import PASSWORD, ApiWorld, build_world

USERS = "/api/v1/users"
TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
NEW_PASSWORD = "a brand new passphrase 7"
ADMIN, RECRUITER, VIEWER = MembershipRole.ADMIN, MembershipRole.RECRUITER, MembershipRole.VIEWER
HIRING_MANAGER = MembershipRole.HIRING_MANAGER


def sign_in(world: ApiWorld, email: str, password: str = PASSWORD, **form: object) -> Any:
    return world.client.post(TOKEN, data={"username": email, "password": password, **form})


def refresh_token_of(world: ApiWorld, email: str, **form: object) -> str:
    response = sign_in(world, email, **form)
    assert response.status_code == 200, response.text
    token: str = response.json()["refresh_token"]
    return token


def add(
    world: ApiWorld, email: str, role: str = "recruiter", by: MembershipRole = ADMIN, **fields: object
) -> Any:
    body = {"email": email, "role": role, "password": NEW_PASSWORD, **fields}
    return world.request("POST", USERS, role=by, json=body)


def test_me_shows_the_account_its_company_groups_role_and_permissions(world: ApiWorld) -> None:
    me = world.client.get(f"{USERS}/me", headers=world.headers(RECRUITER)).json()

    assert (me["id"], me["email"], me["is_superadmin"]) == (
        world.a.users[RECRUITER],
        "recruiter@acme.example.com",
        False,
    )
    membership = {"company_group_id": world.a.id, "company_group_name": "Acme", "company_group_slug": "acme"}
    assert me["memberships"] == [{**membership, "role": "recruiter"}]
    assert me["company_group"] == {"id": world.a.id, "name": "Acme", "slug": "acme"}
    assert me["role"] == "recruiter"
    assert {"candidates:write", "jobs:run"} <= set(me["permissions"])
    assert "users:manage" not in me["permissions"]
    assert not {"password", "password_hash"} & me.keys()


def test_me_for_a_superadmin_on_the_platform(world: ApiWorld) -> None:
    me = world.client.get(f"{USERS}/me", headers=world.superadmin_headers()).json()

    assert (me["is_superadmin"], me["company_group"], me["role"], me["memberships"]) == (True, None, None, [])
    assert "platform:manage" in me["permissions"]
    assert world.client.get(f"{USERS}/me").status_code == 401


def test_members_are_listed_in_pages_without_secrets(world: ApiWorld) -> None:
    first = world.request("GET", USERS, role=HIRING_MANAGER, params={"limit": 3}).json()
    second = world.request(
        "GET", USERS, role=HIRING_MANAGER, params={"limit": 3, "cursor": first["next_cursor"]}
    ).json()

    items = first["items"] + second["items"]
    assert [item["id"] for item in items] == [world.a.users[role] for role in MembershipRole]
    assert second["next_cursor"] is None
    assert {item["email"] for item in items} == {f"{role}@acme.example.com" for role in MembershipRole}
    admin = items[0]
    assert (admin["role"], admin["is_active"], admin["full_name"], admin["last_login_at"]) == (
        "admin",
        True,
        "admin",
        None,
    )
    assert all(not {"password", "password_hash"} & item.keys() for item in items)
    assert world.request("GET", USERS, role=VIEWER).status_code == 403


def test_get_one_member_and_not_another_tenants(world: ApiWorld) -> None:
    mine = world.request("GET", f"{USERS}/{world.a.users[VIEWER]}", role=HIRING_MANAGER)
    theirs = world.request("GET", f"{USERS}/{world.b.users[VIEWER]}")

    assert (mine.status_code, mine.json()["role"]) == (200, "viewer")
    assert theirs.status_code == 404
    assert world.request("GET", f"{USERS}/{world.a.users[ADMIN]}", role=VIEWER).status_code == 403
    assert world.request("GET", f"{USERS}/0").status_code == 422


def test_adding_a_new_user_creates_an_account_that_signs_in(world: ApiWorld) -> None:
    response = add(world, "New.Hire@Acme.example.com", full_name="New Hire")

    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["email"], created["full_name"], created["role"]) == (
        "new.hire@acme.example.com",
        "New Hire",
        "recruiter",
    )
    assert world.request("GET", f"{USERS}/{created['id']}").json()["email"] == "new.hire@acme.example.com"
    assert sign_in(world, "new.hire@acme.example.com", NEW_PASSWORD).status_code == 200


def test_adding_an_existing_account_adds_a_membership_and_keeps_its_password(world: ApiWorld) -> None:
    response = add(world, "viewer@globex.example.com", role="hiring_manager", full_name="Renamed?")

    assert response.status_code == 201
    member = response.json()
    assert (member["id"], member["full_name"], member["role"]) == (
        world.b.users[VIEWER],
        "viewer",
        "hiring_manager",
    )
    assert sign_in(world, "viewer@globex.example.com", NEW_PASSWORD).status_code == 401
    assert sign_in(world, "viewer@globex.example.com", company_group_id=world.a.id).status_code == 200

    again = add(world, "VIEWER@globex.example.com")
    assert again.status_code == 409
    assert "already a member" in again.json()["detail"]


def test_adding_refuses_bad_input_and_weak_passwords(world: ApiWorld) -> None:
    bad = world.request("POST", USERS, json={"email": "nope", "role": "boss", "password": "", "x": 1})
    weak = add(world, "someone@acme.example.com", password="password")

    assert bad.status_code == weak.status_code == 422
    assert {error["loc"] for error in bad.json()["errors"]} == {
        "body.email",
        "body.role",
        "body.password",
        "body.x",
    }
    assert {error["field"] for error in weak.json()["errors"]} == {"password"}
    assert len(world.request("GET", USERS).json()["items"]) == len(MembershipRole)
    assert add(world, "someone@acme.example.com", role=RECRUITER).status_code == 201


def test_only_admins_manage_members(world: ApiWorld) -> None:
    target = f"{USERS}/{world.a.users[VIEWER]}"
    for role in (VIEWER, HIRING_MANAGER, RECRUITER):
        assert add(world, f"by-{role}@acme.example.com", by=role).status_code == 403
        assert world.request("POST", USERS, role=role, json={}).status_code == 403
        assert world.request("PATCH", target, role=role, json={"role": "admin"}).status_code == 403
        reset = world.request("PUT", f"{target}/password", role=role, json={"password": NEW_PASSWORD})
        assert reset.status_code == 403
        assert world.request("DELETE", target, role=role).status_code == 403
    assert world.request("GET", target).json()["role"] == "viewer"


def test_patch_changes_role_name_and_activation(world: ApiWorld) -> None:
    path = f"{USERS}/{world.a.users[VIEWER]}"

    response = world.request("PATCH", path, json={"role": "recruiter", "full_name": "Vera Viewer"})

    assert response.status_code == 200
    stored = world.request("GET", path).json()
    assert (stored["role"], stored["full_name"], stored["is_active"]) == ("recruiter", "Vera Viewer", True)
    bad = world.request("PATCH", path, json={"role": "owner", "is_active": "maybe", "email": "x@y.z"})
    assert {error["loc"] for error in bad.json()["errors"]} == {"body.role", "body.is_active", "body.email"}
    nulls = world.request("PATCH", path, json={"role": None})
    assert (nulls.status_code, nulls.json()["errors"][0]["field"]) == (422, "role")
    assert (
        world.request("PATCH", f"{USERS}/{world.b.users[VIEWER]}", json={"role": "admin"}).status_code == 404
    )
    b_viewer = world.client.get(f"{USERS}/{world.b.users[VIEWER]}", headers=world.headers(ADMIN, world.b))
    assert b_viewer.json()["role"] == "viewer"


def test_deactivating_ends_the_users_sessions(world: ApiWorld) -> None:
    token = refresh_token_of(world, "recruiter@acme.example.com")
    path = f"{USERS}/{world.a.users[RECRUITER]}"

    assert world.request("PATCH", path, json={"is_active": False}).json()["is_active"] is False
    assert sign_in(world, "recruiter@acme.example.com").status_code == 401
    assert world.request("PATCH", path, json={"is_active": True}).status_code == 200

    # Active again, but the session from before stays dead: its refresh-token family was revoked.
    assert world.client.post(REFRESH, json={"refresh_token": token}).status_code == 401
    assert sign_in(world, "recruiter@acme.example.com").status_code == 200


def test_the_last_active_admin_cannot_be_demoted_deactivated_or_removed(world: ApiWorld) -> None:
    admin = f"{USERS}/{world.a.users[ADMIN]}"
    for change in ({"role": "viewer"}, {"is_active": False}):
        refused = world.request("PATCH", admin, json=change)
        assert refused.status_code == 409, change
        assert "last active admin" in refused.json()["detail"]
    assert world.request("DELETE", admin).status_code == 409
    assert world.request("GET", admin).json()["role"] == "admin"

    # With a second admin, the first may step down.
    second = f"{USERS}/{world.a.users[RECRUITER]}"
    assert world.request("PATCH", second, json={"role": "admin"}).status_code == 200
    assert world.request("PATCH", admin, json={"role": "viewer"}).json()["role"] == "viewer"
    assert world.request("GET", second).json()["role"] == "admin"


def test_accounts_shared_with_other_company_groups_keep_their_name_and_password(world: ApiWorld) -> None:
    shared = add(world, "admin@globex.example.com").json()
    path = f"{USERS}/{shared['id']}"

    renamed = world.request("PATCH", path, json={"full_name": "Taken over"})
    reset = world.request("PUT", f"{path}/password", json={"password": NEW_PASSWORD})

    assert renamed.status_code == reset.status_code == 403
    assert "other company groups" in renamed.json()["detail"]
    assert world.request("PATCH", path, json={"role": "viewer"}).status_code == 200  # the membership is ours
    assert sign_in(world, "admin@globex.example.com").status_code == 200
    by_root = world.client.patch(
        path, headers=world.superadmin_headers(world.a), json={"full_name": "Gl Admin"}
    )
    assert (by_root.status_code, by_root.json()["full_name"]) == (200, "Gl Admin")


def test_an_admin_resets_a_members_password(world: ApiWorld) -> None:
    token = refresh_token_of(world, "viewer@acme.example.com")
    path = f"{USERS}/{world.a.users[VIEWER]}/password"

    weak = world.request("PUT", path, json={"password": "short"})
    assert (weak.status_code, {e["rule"] for e in weak.json()["errors"]}) == (
        422,
        {"min_length", "one_class"},
    )
    assert world.request("PUT", path, json={"password": NEW_PASSWORD}).status_code == 204

    assert sign_in(world, "viewer@acme.example.com").status_code == 401
    assert sign_in(world, "viewer@acme.example.com", NEW_PASSWORD).status_code == 200
    assert world.client.post(REFRESH, json={"refresh_token": token}).status_code == 401
    other = world.request("PUT", f"{USERS}/{world.b.users[VIEWER]}/password", json={"password": NEW_PASSWORD})
    assert other.status_code == 404


def test_users_change_their_own_password_with_the_current_one(world: ApiWorld) -> None:
    token = refresh_token_of(world, "viewer@acme.example.com")
    headers = world.headers(VIEWER)

    wrong = world.client.put(
        f"{USERS}/me/password",
        headers=headers,
        json={"current_password": "not my password", "new_password": "viewer-is-weak"},
    )
    assert wrong.status_code == 422
    assert {error["field"] for error in wrong.json()["errors"]} == {"current_password", "new_password"}
    assert sign_in(world, "viewer@acme.example.com").status_code == 200

    changed = world.client.put(
        f"{USERS}/me/password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert changed.status_code == 204
    assert sign_in(world, "viewer@acme.example.com", NEW_PASSWORD).status_code == 200
    assert world.client.post(REFRESH, json={"refresh_token": token}).status_code == 401
    assert world.client.put(f"{USERS}/me/password", json={}).status_code == 401


def test_removing_a_member_keeps_the_account_and_ends_its_sessions_here(world: ApiWorld) -> None:
    shared = add(world, "recruiter@globex.example.com").json()
    here = refresh_token_of(world, "recruiter@globex.example.com", company_group_id=world.a.id)
    there = refresh_token_of(world, "recruiter@globex.example.com", company_group_id=world.b.id)
    path = f"{USERS}/{shared['id']}"

    assert world.request("DELETE", path).status_code == 204

    assert world.request("GET", path).status_code == 404
    assert world.client.post(REFRESH, json={"refresh_token": there}).status_code == 200
    assert add(world, "recruiter@globex.example.com").status_code == 201  # back, but the old session is not
    assert world.client.post(REFRESH, json={"refresh_token": here}).status_code == 401
    b_member = world.client.get(path, headers=world.headers(ADMIN, world.b))
    assert b_member.json()["role"] == "recruiter"
    assert world.request("DELETE", f"{USERS}/{world.b.users[VIEWER]}").status_code == 404
    assert (
        world.client.get(
            f"{USERS}/{world.b.users[VIEWER]}", headers=world.headers(ADMIN, world.b)
        ).status_code
        == 200
    )


def _token_issued_a_second_ago(world: ApiWorld, user_id: int, role: str) -> dict[str, str]:
    codec = world.services.token_codec
    claims = codec.claims_for(user_id, world.a.id, role)
    earlier = claims.model_copy(update={"iat": claims.iat - timedelta(seconds=1)})
    return {"Authorization": f"Bearer {codec.encode(earlier)}"}


def test_a_role_change_ends_the_old_roles_access_at_once(world: ApiWorld) -> None:
    user_id = world.a.users[RECRUITER]
    old = _token_issued_a_second_ago(world, user_id, "recruiter")
    assert world.client.get(USERS, headers=old).status_code == 200

    assert world.request("PATCH", f"{USERS}/{user_id}", json={"role": "viewer"}).status_code == 200

    assert world.client.get(USERS, headers=old).status_code == 401
    assert world.client.get(USERS, headers=world.headers(RECRUITER)).status_code == 200  # a token signed now


def test_removing_or_deactivating_ends_access_at_once(world: ApiWorld) -> None:
    removed, deactivated = world.a.users[RECRUITER], world.a.users[VIEWER]
    removed_token = _token_issued_a_second_ago(world, removed, "recruiter")
    deactivated_token = _token_issued_a_second_ago(world, deactivated, "viewer")

    assert world.request("DELETE", f"{USERS}/{removed}").status_code == 204
    assert world.request("PATCH", f"{USERS}/{deactivated}", json={"is_active": False}).status_code == 200

    assert world.client.get("/api/v1/business-units", headers=removed_token).status_code == 401
    assert world.client.get("/api/v1/business-units", headers=deactivated_token).status_code == 401


def test_password_changes_are_rate_limited_like_sign_ins(
    monkeypatch: pytest.MonkeyPatch,
    make_client,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("HIREFLOW_AUTH_RATE_LIMIT", "2/minute")
    get_settings.cache_clear()
    app = create_app()
    world = build_world(app, make_client(app))
    wrong = {"current_password": "not my password at all", "new_password": NEW_PASSWORD}
    for _ in range(2):
        assert world.request("PUT", f"{USERS}/me/password", json=wrong).status_code == 422

    refused = world.request("PUT", f"{USERS}/me/password", json=wrong)

    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
