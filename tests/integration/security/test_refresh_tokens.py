"""Refresh tokens on SQLite and PostgreSQL: issue, rotate, reuse detection, expiry, hashing, and the denylist."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import structlog
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from hireflow.domain.models.identity import User
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.ports.security import RefreshTokenStore
from hireflow.domain.services.refresh_tokens import RefreshTokenService, hash_token
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.security import SqlAlchemyRefreshTokenStore
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.infra.security.denylist import SnapshotDenylist
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import AuthenticationFailed

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LIFETIME = timedelta(days=30)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> SqlAlchemyRefreshTokenStore:
    return SqlAlchemyRefreshTokenStore(sessions)


@pytest.fixture
def service(store: SqlAlchemyRefreshTokenStore, clock: FixedClock) -> RefreshTokenService:
    return RefreshTokenService(store, clock, LIFETIME)


@pytest.fixture
def ids(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """A user and a company group: ``(user_id, company_group_id)``."""
    with sqlalchemy_uow_factory(sessions)() as uow:
        group = uow.company_groups.add(CompanyGroup(name="Acme Logistics", slug="acme"))
        user = uow.users.add(User(email="rita@acme.example"))
        uow.commit()
    assert user.id is not None
    assert group.id is not None
    return user.id, group.id


def test_the_store_is_a_refresh_token_store(store: SqlAlchemyRefreshTokenStore) -> None:
    port: RefreshTokenStore = store
    assert port is store


def test_issue_then_rotate_in_the_same_family(
    service: RefreshTokenService, clock: FixedClock, ids: tuple[int, int], sessions: sessionmaker[Session]
) -> None:
    user_id, group_id = ids
    first = service.issue(user_id, group_id)
    assert (first.user_id, first.company_group_id, first.expires_at) == (user_id, group_id, T0 + LIFETIME)
    assert len(first.token) >= 43
    clock.advance(timedelta(minutes=20))
    second = service.rotate(first.token)
    assert second.token != first.token
    assert (second.family_id, second.user_id, second.company_group_id) == (first.family_id, user_id, group_id)
    assert second.expires_at == clock.now() + LIFETIME
    third = service.rotate(second.token)
    assert third.family_id == first.family_id
    with sessions() as session:
        rows = {row.token_hash: row for row in session.scalars(select(t.RefreshToken))}
    old, new = rows[hash_token(first.token)], rows[hash_token(second.token)]
    assert old.used_at == T0 + timedelta(minutes=20)
    assert old.replaced_by_id == new.id
    assert rows[hash_token(third.token)].used_at is None


def test_each_sign_in_starts_its_own_family(service: RefreshTokenService, ids: tuple[int, int]) -> None:
    user_id, _group = ids
    assert service.issue(user_id, None).family_id != service.issue(user_id, None).family_id


def test_reuse_revokes_the_whole_family(
    service: RefreshTokenService,
    ids: tuple[int, int],
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user_id, group_id = ids
    stolen = service.issue(user_id, group_id)
    newest = service.rotate(stolen.token)
    other_sign_in = service.issue(user_id, group_id)
    with structlog.testing.capture_logs() as logs, pytest.raises(AuthenticationFailed):
        service.rotate(stolen.token)
    with pytest.raises(AuthenticationFailed):
        service.rotate(newest.token)  # the legitimate holder must sign in again
    service.rotate(other_sign_in.token)  # other families are untouched
    events = [entry for entry in logs if entry["event"] == "security.refresh_token_reuse"]
    assert len(events) == 1
    assert events[0]["log_level"] == "warning"
    assert events[0]["family_id"] == stolen.family_id
    assert stolen.token not in repr(logs)
    assert newest.token not in repr(logs)
    with sessions() as session:
        family = session.get(t.RefreshTokenFamily, stolen.family_id)
    assert family is not None
    assert family.revoked_reason == "reuse"
    assert family.revoked_at is not None


def test_a_lost_race_counts_as_reuse(
    store: SqlAlchemyRefreshTokenStore, service: RefreshTokenService, ids: tuple[int, int]
) -> None:
    issued = service.issue(ids[0], None)
    found = store.find(hash_token(issued.token))
    assert found is not None
    assert found[0].id is not None
    assert store.replace(found[0].id, "a" * 64, T0, T0 + LIFETIME) is not None
    assert store.replace(found[0].id, "b" * 64, T0, T0 + LIFETIME) is None


def test_expiry(service: RefreshTokenService, clock: FixedClock, ids: tuple[int, int]) -> None:
    issued = service.issue(ids[0], None)
    clock.advance(LIFETIME - timedelta(seconds=1))
    fresh = service.rotate(issued.token)
    clock.advance(LIFETIME)
    with pytest.raises(AuthenticationFailed, match="sign in again"):
        service.rotate(fresh.token)


def test_unknown_tokens_are_refused(service: RefreshTokenService, ids: tuple[int, int]) -> None:
    service.issue(ids[0], None)
    for token in ["", "not-a-token", "x" * 43]:
        with pytest.raises(AuthenticationFailed):
            service.rotate(token)
        with pytest.raises(AuthenticationFailed):
            service.revoke_family(token)


def test_sign_out_revokes_the_family(
    service: RefreshTokenService, ids: tuple[int, int], sessions: sessionmaker[Session]
) -> None:
    first = service.issue(ids[0], ids[1])
    second = service.rotate(first.token)
    service.revoke_family(first.token)
    with pytest.raises(AuthenticationFailed):
        service.rotate(second.token)
    service.revoke_family(second.token)  # twice is harmless and keeps the first reason
    with sessions() as session:
        family = session.get(t.RefreshTokenFamily, first.family_id)
    assert family is not None
    assert family.revoked_reason == "sign_out"


def test_only_a_hash_is_stored(service: RefreshTokenService, ids: tuple[int, int], engine: Engine) -> None:
    issued = service.issue(ids[0], ids[1])
    rotated = service.rotate(issued.token)
    with engine.connect() as connection:
        dump = repr(connection.execute(text("SELECT * FROM refresh_tokens")).all())
        dump += repr(connection.execute(text("SELECT * FROM refresh_token_families")).all())
    for token in (issued.token, rotated.token):
        assert token not in dump
        assert hash_token(token) in dump
        assert len(hash_token(token)) == 64


def test_deleting_the_user_deletes_their_tokens(
    service: RefreshTokenService, ids: tuple[int, int], sessions: sessionmaker[Session]
) -> None:
    issued = service.issue(ids[0], ids[1])
    with sessions.begin() as session:
        session.execute(text("DELETE FROM users WHERE id = :id"), {"id": ids[0]})
    with pytest.raises(AuthenticationFailed):
        service.rotate(issued.token)


def test_denylist(service: RefreshTokenService, clock: FixedClock) -> None:
    service.deny("jti-1", T0 + timedelta(minutes=15))
    service.deny("jti-1", T0 + timedelta(minutes=15))  # twice is harmless
    service.deny("jti-2", T0 + timedelta(minutes=30))
    assert service.is_denied("jti-1")
    assert service.is_denied("jti-2")
    assert not service.is_denied("jti-3")
    clock.advance(timedelta(minutes=15))
    assert service.purge_expired() == 1
    assert not service.is_denied("jti-1")
    assert service.is_denied("jti-2")
    assert service.purge_expired() == 0


def test_the_snapshot_denylist_sees_other_processes_denials_within_its_refresh(
    store: SqlAlchemyRefreshTokenStore, sessions: sessionmaker[Session]
) -> None:
    clock = FixedClock(T0)
    here = SnapshotDenylist(store, clock, refresh_seconds=0.05)
    elsewhere = SnapshotDenylist(SqlAlchemyRefreshTokenStore(sessions), clock, refresh_seconds=0.05)
    assert not here.is_denied("jti-a")

    elsewhere.deny("jti-a", T0 + timedelta(minutes=15))
    here.deny("jti-b", T0 + timedelta(minutes=15))

    assert here.is_denied("jti-b")  # its own denials count at once
    time.sleep(0.06)
    assert here.is_denied("jti-a")  # another process's, after one refresh
    clock.advance(timedelta(minutes=16))
    time.sleep(0.06)
    assert not here.is_denied("jti-a")  # expired tokens drop out of the list


def test_the_snapshot_denylist_refuses_a_users_older_tokens_in_every_process(
    store: SqlAlchemyRefreshTokenStore, sessions: sessionmaker[Session]
) -> None:
    clock = FixedClock(T0)
    here = SnapshotDenylist(store, clock, refresh_seconds=0.05)
    elsewhere = SnapshotDenylist(SqlAlchemyRefreshTokenStore(sessions), clock, refresh_seconds=0.05)

    here.refuse_user(7, T0, T0 + timedelta(minutes=15))
    here.refuse_user(7, T0 - timedelta(minutes=5), T0 + timedelta(minutes=10))  # an older, narrower one

    assert here.is_refused("jti", 7, T0 - timedelta(seconds=1))
    assert not here.is_refused("jti", 7, T0)
    time.sleep(0.06)
    assert elsewhere.is_refused("jti", 7, T0 - timedelta(seconds=1))
    assert not elsewhere.is_refused("jti", 8, T0 - timedelta(seconds=1))
