"""Sign-in, refresh, sign-out and token checks, through HTTP."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest
from starlette.testclient import TestClient

from hireflow.apps.api.app import create_app
from hireflow.domain.models.identity import MembershipRole
from hireflow.infra.db.repositories.security import SqlAlchemyRefreshTokenStore
from hireflow.infra.db.session import SessionLocal
from hireflow.infra.security import Argon2PasswordHasher
from hireflow.shared.clock import FixedClock
from hireflow.shared.config import get_settings
from tests.builders import T0
from tests.e2e.api.world import PASSWORD, ApiWorld, build_world

TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
PROTECTED = "/api/v1/business-units"


def sign_in(client: TestClient, email: str, password: str = PASSWORD, **form: object) -> dict[str, object]:
    response = client.post(TOKEN, data={"username": email, "password": password, **form})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def bearer(token: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_password_form_returns_a_working_token_pair(world: ApiWorld) -> None:
    tokens = sign_in(world.client, "Recruiter@Acme.example.com")

    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 15 * 60
    assert isinstance(tokens["refresh_token"], str)
    assert len(tokens["refresh_token"]) >= 40
    response = world.client.get(PROTECTED, headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    claims = jwt.decode(str(tokens["access_token"]), options={"verify_signature": False})
    assert claims["tenant"] == world.a.id
    assert claims["role"] == "recruiter"
    assert claims["sub"] == str(world.a.users[MembershipRole.RECRUITER])
    assert {"iss", "aud", "jti", "exp", "iat"} <= claims.keys()


def test_sign_in_failures_are_generic_and_carry_www_authenticate(world: ApiWorld) -> None:
    wrong = world.client.post(
        TOKEN, data={"username": "admin@acme.example.com", "password": "not the password"}
    )
    unknown = world.client.post(TOKEN, data={"username": "nobody@acme.example.com", "password": PASSWORD})

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert wrong.headers["WWW-Authenticate"] == "Bearer"
    assert wrong.headers["content-type"] == "application/problem+json"


def test_a_missing_form_field_is_listed(world: ApiWorld) -> None:
    response = world.client.post(TOKEN, data={"username": "admin@acme.example.com"})

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == ["body.password"]


def test_an_account_locks_after_repeated_failures_and_unlocks_later(make_client) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(T0)
    get_settings.cache_clear()
    app = create_app(clock=clock)
    world = build_world(app, make_client(app))
    for _ in range(5):
        world.client.post(TOKEN, data={"username": "viewer@acme.example.com", "password": "wrong password!"})

    locked = world.client.post(TOKEN, data={"username": "viewer@acme.example.com", "password": PASSWORD})
    assert locked.status_code == 401
    other_user = world.client.post(TOKEN, data={"username": "admin@acme.example.com", "password": PASSWORD})
    assert other_user.status_code == 200

    clock.advance(timedelta(seconds=61))
    assert (
        world.client.post(
            TOKEN, data={"username": "viewer@acme.example.com", "password": PASSWORD}
        ).status_code
        == 200
    )
    with world.services.uow_factory() as uow:
        state = uow.users.login_state(world.a.users[MembershipRole.VIEWER])
    assert (state.failed_count, state.locked_until) == (0, None)


def test_lockouts_double_with_every_further_failure(make_client) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock(T0)
    get_settings.cache_clear()
    app = create_app(clock=clock)
    world = build_world(app, make_client(app))
    for _ in range(6):
        world.client.post(TOKEN, data={"username": "viewer@acme.example.com", "password": "wrong password!"})
        clock.advance(timedelta(seconds=61))  # each failure lands after the previous lock ran out

    with world.services.uow_factory() as uow:
        state = uow.users.login_state(world.a.users[MembershipRole.VIEWER])
    assert state.failed_count == 6
    assert state.locked_until == T0 + timedelta(seconds=61 * 5) + timedelta(seconds=120)


def test_refresh_rotates_and_reuse_revokes_the_whole_family(world: ApiWorld) -> None:
    first = sign_in(world.client, "admin@acme.example.com")
    second = world.client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert world.client.get(PROTECTED, headers=bearer(rotated["access_token"])).status_code == 200

    replay = world.client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401

    # The replay revoked the family: the token handed out by the honest rotation is dead too.
    assert world.client.post(REFRESH, json={"refresh_token": rotated["refresh_token"]}).status_code == 401


def test_refresh_keeps_the_tenant_and_picks_up_a_changed_role(world: ApiWorld) -> None:
    tokens = sign_in(world.client, "viewer@acme.example.com")
    with world.services.uow_factory(world.a.id) as uow:
        membership = uow.memberships.get_for(world.a.users[MembershipRole.VIEWER])
        uow.memberships.update(membership.model_copy(update={"role": MembershipRole.RECRUITER}))
        uow.commit()

    refreshed = world.client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]}).json()

    claims = jwt.decode(refreshed["access_token"], options={"verify_signature": False})
    assert (claims["tenant"], claims["role"]) == (world.a.id, "recruiter")


def test_refresh_fails_once_the_user_left_the_company_group(world: ApiWorld) -> None:
    tokens = sign_in(world.client, "viewer@acme.example.com")
    with world.services.uow_factory(world.a.id) as uow:
        membership = uow.memberships.get_for(world.a.users[MembershipRole.VIEWER])
        assert membership.id is not None
        uow.memberships.delete(membership.id)
        uow.commit()

    assert world.client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]}).status_code == 403


def test_logout_denies_the_access_token_and_revokes_the_refresh_family(world: ApiWorld) -> None:
    tokens = sign_in(world.client, "admin@acme.example.com")
    headers = bearer(tokens["access_token"])

    response = world.client.post(LOGOUT, headers=headers, json={"refresh_token": tokens["refresh_token"]})

    assert response.status_code == 204
    assert world.client.get(PROTECTED, headers=headers).status_code == 401
    assert world.client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_logout_needs_a_token(world: ApiWorld) -> None:
    assert world.client.post(LOGOUT).status_code == 401


@pytest.mark.parametrize(
    "tamper",
    ["expired", "forged", "alg_none", "payload_edited", "wrong_audience", "garbage"],
)
def test_bad_access_tokens_are_refused(world: ApiWorld, tamper: str) -> None:
    codec = world.services.token_codec
    user_id = world.a.users[MembershipRole.ADMIN]
    claims = codec.claims_for(user_id, world.a.id, "admin")
    good = codec.encode(claims)
    payload = {**claims.model_dump(), "iat": int(claims.iat.timestamp()), "exp": int(claims.exp.timestamp())}
    if tamper == "expired":
        token = codec.encode(claims.model_copy(update={"exp": claims.iat - timedelta(seconds=1)}))
    elif tamper == "forged":
        token = jwt.encode(payload, "a key that is not the server's, but long enough", algorithm="HS256")
    elif tamper == "alg_none":
        token = jwt.encode(payload, None, algorithm="none")  # type: ignore[arg-type]
    elif tamper == "payload_edited":
        header, _, signature = good.split(".")
        edited = base64.urlsafe_b64encode(
            json.dumps({**payload, "role": "admin", "tenant": world.b.id}).encode()
        )
        token = f"{header}.{edited.decode().rstrip('=')}.{signature}"
    elif tamper == "wrong_audience":
        token = codec.encode(claims.model_copy(update={"aud": "someone-else"}))
    else:
        token = "not-a-jwt"

    response = world.client.get(PROTECTED, headers=bearer(token))

    assert response.status_code == 401
    assert response.json()["detail"] == "the access token is invalid or expired"


def test_routes_need_a_bearer_token(world: ApiWorld) -> None:
    response = world.client.get(PROTECTED)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_auth_routes_are_rate_limited_per_client(monkeypatch: pytest.MonkeyPatch, make_client) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HIREFLOW_AUTH_RATE_LIMIT", "3/minute")
    get_settings.cache_clear()
    app = create_app()
    world = build_world(app, make_client(app))
    for _ in range(3):
        world.client.post(TOKEN, data={"username": "admin@acme.example.com", "password": "wrong password!"})

    refused = world.client.post(TOKEN, data={"username": "admin@acme.example.com", "password": PASSWORD})

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["type"] == "https://hireflow.dev/problems/rate-limited"
    # Other routes are not counted against the allowance.
    assert world.client.get(PROTECTED, headers=world.headers()).status_code == 200


def test_sign_in_rehashes_a_password_stored_with_old_parameters(world: ApiWorld) -> None:
    user_id = world.a.users[MembershipRole.ADMIN]
    with world.services.uow_factory() as uow:
        old_hash = uow.users.password_hash(user_id)
    # The world's users were hashed with cheap parameters; the app now wants stronger ones.
    world.services.password_hasher = Argon2PasswordHasher(memory_cost=2048, time_cost=1)

    sign_in(world.client, "admin@acme.example.com")

    with world.services.uow_factory() as uow:
        new_hash = uow.users.password_hash(user_id)
    assert new_hash != old_hash
    assert "m=2048" in str(new_hash)


def test_a_user_chooses_the_company_group_at_sign_in(world: ApiWorld) -> None:
    refused = world.client.post(
        TOKEN,
        data={"username": "admin@acme.example.com", "password": PASSWORD, "company_group_id": world.b.id},
    )
    assert refused.status_code == 403

    root = sign_in(world.client, "root@hireflow.example.com", company_group_id=world.b.id)
    claims = jwt.decode(str(root["access_token"]), options={"verify_signature": False})
    assert (claims["tenant"], claims["superadmin"]) == (world.b.id, True)


def test_a_superadmin_signed_in_to_the_platform_is_told_to_pick_a_company_group(world: ApiWorld) -> None:
    root = sign_in(world.client, "root@hireflow.example.com")

    response = world.client.get(PROTECTED, headers=bearer(root["access_token"]))

    assert response.status_code == 403
    assert "company_group_id" in response.json()["detail"]


def test_with_redis_the_denylist_and_the_rate_limit_live_there(
    monkeypatch: pytest.MonkeyPatch,
    make_client,  # type: ignore[no-untyped-def]
    redis_url: str,
) -> None:
    import redis

    monkeypatch.setenv("HIREFLOW_REDIS_URL", redis_url)
    get_settings.cache_clear()
    app = create_app()
    world = build_world(app, make_client(app))
    tokens = sign_in(world.client, "admin@acme.example.com")
    jti = jwt.decode(str(tokens["access_token"]), options={"verify_signature": False})["jti"]

    assert world.client.post(LOGOUT, headers=bearer(tokens["access_token"])).status_code == 204

    client = redis.Redis.from_url(redis_url)
    try:
        assert client.exists(f"hireflow:denied-jti:{jti}") == 1
        assert world.client.get(PROTECTED, headers=bearer(tokens["access_token"])).status_code == 401
        assert not SqlAlchemyRefreshTokenStore(SessionLocal).is_denied(jti)  # not in the database's list
    finally:
        client.delete(f"hireflow:denied-jti:{jti}")
        client.close()
