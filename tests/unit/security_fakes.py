"""In-memory fakes of the security ports: hasher, token codec, refresh-token store and denylist."""

from __future__ import annotations

import itertools
import json
import secrets
from datetime import datetime, timedelta

from hireflow.domain.models.security import AccessClaims, RefreshToken, RefreshTokenFamily
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.domain.services.authentication import Authentication
from hireflow.domain.services.refresh_tokens import RefreshTokenService
from hireflow.shared.clock import Clock
from hireflow.shared.errors import AuthenticationFailed


class FakeHasher:
    """A recognisable, instant stand-in for argon2; ``version`` plays the hashing parameters."""

    def __init__(self, version: int = 1) -> None:
        self.version = version

    def hash(self, password: str) -> str:
        return f"v{self.version}${password[::-1]}"

    def verify(self, password: str, password_hash: str) -> bool:
        return password_hash.split("$", 1)[-1] == password[::-1]

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(f"v{self.version}$")


class FakeTokenCodec:
    """Tokens are the claims' JSON behind a prefix; anything else, or an expired token, is refused."""

    PREFIX = "fake."

    def __init__(self, clock: Clock, minutes: int = 15) -> None:
        self._clock = clock
        self._lifetime = timedelta(minutes=minutes)

    def claims_for(
        self, user_id: int, tenant: int | None = None, role: str | None = None, superadmin: bool = False
    ) -> AccessClaims:
        now = self._clock.now()
        return AccessClaims(
            sub=str(user_id),
            tenant=tenant,
            role=role,
            superadmin=superadmin,
            jti=secrets.token_hex(8),
            iat=now,
            exp=now + self._lifetime,
            iss="test",
            aud="test",
        )

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime

    def encode(self, claims: AccessClaims) -> str:
        return self.PREFIX + claims.model_dump_json()

    def decode(self, token: str) -> AccessClaims:
        if not token.startswith(self.PREFIX):
            raise AuthenticationFailed("the access token is invalid or expired")
        claims = AccessClaims.model_validate(json.loads(token.removeprefix(self.PREFIX)))
        if claims.exp <= self._clock.now():
            raise AuthenticationFailed("the access token is invalid or expired")
        return claims


class FakeRefreshTokenStore:
    """The RefreshTokenStore port in dicts; also an AccessTokenDenylist, like the SQLAlchemy store."""

    def __init__(self) -> None:
        self.families: dict[int, RefreshTokenFamily] = {}
        self.tokens: dict[int, RefreshToken] = {}
        self.denied: dict[str, datetime] = {}
        self.refused: dict[int, datetime] = {}
        self._ids = itertools.count(1)

    def create_family(self, user_id: int, company_group_id: int | None, now: datetime) -> RefreshTokenFamily:
        family = RefreshTokenFamily(
            id=next(self._ids), user_id=user_id, company_group_id=company_group_id, created_at=now
        )
        assert family.id is not None
        self.families[family.id] = family
        return family

    def add_token(
        self, family_id: int, token_hash: str, issued_at: datetime, expires_at: datetime
    ) -> RefreshToken:
        token = RefreshToken(
            id=next(self._ids),
            family_id=family_id,
            token_hash=token_hash,
            issued_at=issued_at,
            expires_at=expires_at,
        )
        assert token.id is not None
        self.tokens[token.id] = token
        return token

    def find(self, token_hash: str) -> tuple[RefreshToken, RefreshTokenFamily] | None:
        for token in self.tokens.values():
            if token.token_hash == token_hash:
                return token, self.families[token.family_id]
        return None

    def replace(
        self, token_id: int, token_hash: str, issued_at: datetime, expires_at: datetime
    ) -> RefreshToken | None:
        old = self.tokens[token_id]
        if old.used_at is not None:
            return None
        new = self.add_token(old.family_id, token_hash, issued_at, expires_at)
        self.tokens[token_id] = old.model_copy(update={"used_at": issued_at, "replaced_by_id": new.id})
        return new

    def revoke_family(self, family_id: int, reason: str, now: datetime) -> None:
        family = self.families[family_id]
        if family.revoked_at is None:
            self.families[family_id] = family.model_copy(update={"revoked_at": now, "revoked_reason": reason})

    def revoke_user_families(
        self, user_id: int, reason: str, now: datetime, *, company_group_id: int | None = None
    ) -> int:
        ids = [
            f.id
            for f in self.families.values()
            if f.user_id == user_id
            and f.revoked_at is None
            and (company_group_id is None or f.company_group_id == company_group_id)
        ]
        for family_id in ids:
            assert family_id is not None
            self.revoke_family(family_id, reason, now)
        return len(ids)

    def live(self, user_id: int) -> list[int | None]:
        """The company groups of the user's sessions that still work."""
        return [
            f.company_group_id for f in self.families.values() if f.user_id == user_id and not f.is_revoked
        ]

    def deny(self, jti: str, expires_at: datetime) -> None:
        self.denied[jti] = expires_at

    def is_denied(self, jti: str) -> bool:
        return jti in self.denied

    def refuse_user(self, user_id: int, issued_before: datetime, until: datetime) -> None:
        self.refused[user_id] = max(self.refused.get(user_id, issued_before), issued_before)

    def is_refused(self, jti: str, user_id: int, issued_at: datetime) -> bool:
        return self.is_denied(jti) or (user_id in self.refused and issued_at < self.refused[user_id])

    def purge_expired(self, now: datetime) -> int:
        expired = [jti for jti, at in self.denied.items() if at <= now]
        for jti in expired:
            del self.denied[jti]
        return len(expired)


def fake_authentication(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    store: FakeRefreshTokenStore,
    hasher: FakeHasher | None = None,
) -> Authentication:
    """The real sign-in service on fakes of every port it uses (the store is also the denylist)."""
    return Authentication(
        uow_factory,
        hasher=hasher or FakeHasher(),
        codec=FakeTokenCodec(clock),
        refresh_tokens=RefreshTokenService(store, clock, timedelta(days=30)),
        denylist=store,
        clock=clock,
    )
