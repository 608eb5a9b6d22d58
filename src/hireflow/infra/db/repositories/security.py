"""The SQLAlchemy refresh-token store: token families, tokens (hashes only) and the access-token denylist.

Each method runs in a transaction of its own, so a rotation is committed before the new token leaves the server,
and a reuse revocation sticks even though the request that caused it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hireflow.domain.models import security as m
from hireflow.infra.db import tables as t


class SqlAlchemyRefreshTokenStore:
    """A :class:`~hireflow.domain.ports.security.RefreshTokenStore` over a session factory."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def create_family(
        self, user_id: int, company_group_id: int | None, now: datetime
    ) -> m.RefreshTokenFamily:
        with self._transaction() as session:
            row = t.RefreshTokenFamily(
                user_id=user_id, company_group_id=company_group_id, created_at=now, updated_at=now
            )
            session.add(row)
            session.flush()
            return m.RefreshTokenFamily.model_validate(row)

    def add_token(
        self, family_id: int, token_hash: str, issued_at: datetime, expires_at: datetime
    ) -> m.RefreshToken:
        with self._transaction() as session:
            return self._add(session, family_id, token_hash, issued_at, expires_at)

    def find(self, token_hash: str) -> tuple[m.RefreshToken, m.RefreshTokenFamily] | None:
        with self._transaction() as session:
            query = (
                select(t.RefreshToken, t.RefreshTokenFamily)
                .join(t.RefreshTokenFamily, t.RefreshTokenFamily.id == t.RefreshToken.family_id)
                .where(t.RefreshToken.token_hash == token_hash)
            )
            found = session.execute(query).one_or_none()
            if found is None:
                return None
            return m.RefreshToken.model_validate(found[0]), m.RefreshTokenFamily.model_validate(found[1])

    def replace(
        self, token_id: int, token_hash: str, issued_at: datetime, expires_at: datetime
    ) -> m.RefreshToken | None:
        with self._transaction() as session:
            family_id = session.scalar(select(t.RefreshToken.family_id).where(t.RefreshToken.id == token_id))
            # Conditional on used_at IS NULL: of two requests racing with one token, only one wins.
            marked = session.execute(
                update(t.RefreshToken)
                .where(t.RefreshToken.id == token_id, t.RefreshToken.used_at.is_(None))
                .values(used_at=issued_at)
            )
            if family_id is None or marked.rowcount != 1:  # type: ignore[attr-defined]
                return None
            new = self._add(session, family_id, token_hash, issued_at, expires_at)
            session.execute(
                update(t.RefreshToken).where(t.RefreshToken.id == token_id).values(replaced_by_id=new.id)
            )
            return new

    def revoke_family(self, family_id: int, reason: str, now: datetime) -> None:
        with self._transaction() as session:
            session.execute(
                update(t.RefreshTokenFamily)
                .where(t.RefreshTokenFamily.id == family_id, t.RefreshTokenFamily.revoked_at.is_(None))
                .values(revoked_at=now, revoked_reason=reason, updated_at=now)
            )

    def revoke_user_families(
        self, user_id: int, reason: str, now: datetime, *, company_group_id: int | None = None
    ) -> int:
        families = t.RefreshTokenFamily
        statement = (
            update(families)
            .where(families.user_id == user_id, families.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason, updated_at=now)
        )
        if company_group_id is not None:
            statement = statement.where(families.company_group_id == company_group_id)
        with self._transaction() as session:
            return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]

    def deny(self, jti: str, expires_at: datetime) -> None:
        try:
            with self._transaction() as session:
                if session.get(t.RevokedAccessToken, jti) is None:
                    session.add(t.RevokedAccessToken(jti=jti, expires_at=expires_at))
        except IntegrityError:  # denied by a concurrent request: the outcome is the same
            pass

    def is_denied(self, jti: str) -> bool:
        with self._transaction() as session:
            found = session.scalar(select(t.RevokedAccessToken.jti).where(t.RevokedAccessToken.jti == jti))
            return found is not None

    def denied_jtis(self, now: datetime) -> set[str]:
        """Every access-token id still denied at ``now`` (the list is as short as the tokens' lifetime)."""
        with self._session_factory() as session:
            query = select(t.RevokedAccessToken.jti).where(t.RevokedAccessToken.expires_at > now)
            return set(session.scalars(query))

    def purge_expired(self, now: datetime) -> int:
        with self._transaction() as session:
            result = session.execute(
                delete(t.RevokedAccessToken).where(t.RevokedAccessToken.expires_at <= now)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._session_factory() as session, session.begin():
            yield session

    @staticmethod
    def _add(
        session: Session, family_id: int, token_hash: str, issued_at: datetime, expires_at: datetime
    ) -> m.RefreshToken:
        row = t.RefreshToken(
            family_id=family_id, token_hash=token_hash, issued_at=issued_at, expires_at=expires_at
        )
        session.add(row)
        session.flush()
        return m.RefreshToken.model_validate(row)
