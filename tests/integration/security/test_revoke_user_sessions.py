"""Revoking every session of a user (or those in one company group), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from hireflow.domain.models.identity import User
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.services.refresh_tokens import RefreshTokenService
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.security import SqlAlchemyRefreshTokenStore
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import AuthenticationFailed

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_revoke_user_ends_the_users_sessions_and_no_one_elses(engine: Engine) -> None:
    sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
    with sqlalchemy_uow_factory(sessions)() as uow:
        a, b = (
            uow.company_groups.add(CompanyGroup(name=s.title(), slug=s)).id or 0 for s in ("acme", "globex")
        )
        rita, sam = (uow.users.add(User(email=f"{n}@acme.example.com")).id or 0 for n in ("rita", "sam"))
        uow.commit()
    clock = FixedClock(T0)
    service = RefreshTokenService(SqlAlchemyRefreshTokenStore(sessions), clock, timedelta(days=30))
    rita_a, rita_b, rita_platform = service.issue(rita, a), service.issue(rita, b), service.issue(rita, None)
    sam_a = service.issue(sam, a)
    service.revoke_family(rita_platform.token)  # already revoked: keeps its reason

    assert service.revoke_user(rita, "membership_removed", a) == 1
    with pytest.raises(AuthenticationFailed):
        service.rotate(rita_a.token)
    rita_b = service.rotate(rita_b.token)

    clock.advance(timedelta(minutes=5))
    assert service.revoke_user(rita, "deactivated") == 1

    with pytest.raises(AuthenticationFailed):
        service.rotate(rita_b.token)
    service.rotate(sam_a.token)  # another user's session is untouched
    with Session(engine) as session:
        families = {row.id: row for row in session.scalars(select(t.RefreshTokenFamily))}
    assert families[rita_a.family_id].revoked_reason == "membership_removed"
    assert families[rita_b.family_id].revoked_reason == "deactivated"
    assert families[rita_platform.family_id].revoked_reason == "sign_out"
    assert families[sam_a.family_id].revoked_at is None
    assert service.revoke_user(rita, "deactivated") == 0
