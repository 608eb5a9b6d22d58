"""Refresh tokens with rotation and reuse detection (OAuth 2.0 Security BCP, section 4.14).

Each sign-in starts a family. Every refresh hands out a new opaque token and marks the old one used; presenting a
used token again means it was stolen (or replayed), so the whole family is revoked and the user must sign in
again. Only the SHA-256 digest of a token is stored, so a database leak yields no usable tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NoReturn

import structlog

from hireflow.domain.models.security import IssuedRefreshToken, RefreshToken, RefreshTokenFamily
from hireflow.domain.ports.security import RefreshTokenStore
from hireflow.shared.clock import Clock
from hireflow.shared.errors import AuthenticationFailed

logger = structlog.get_logger(__name__)

INVALID = "the refresh token is invalid or expired; sign in again"
REUSE = "reuse"
SIGN_OUT = "sign_out"


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a refresh token is stored (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


class RefreshTokenService:
    """Issues, rotates and revokes refresh tokens, and keeps the access-token denylist."""

    def __init__(self, store: RefreshTokenStore, clock: Clock, lifetime: timedelta) -> None:
        self._store = store
        self._clock = clock
        self._lifetime = lifetime

    def issue(self, user_id: int, company_group_id: int | None) -> IssuedRefreshToken:
        """Start a new family for a sign-in and return its first token."""
        now = self._clock.now()
        family = self._store.create_family(user_id, company_group_id, now)
        assert family.id is not None
        token = secrets.token_urlsafe(32)
        stored = self._store.add_token(family.id, hash_token(token), now, now + self._lifetime)
        return self._issued(token, stored, family)

    def rotate(self, token: str) -> IssuedRefreshToken:
        """Exchange a valid token for a new one of the same family; reuse of a used token revokes the family."""
        now = self._clock.now()
        stored, family = self._valid(token, now)
        if stored.used_at is not None:
            self._revoke_for_reuse(family, now)
        assert stored.id is not None
        new_token = secrets.token_urlsafe(32)
        replaced = self._store.replace(stored.id, hash_token(new_token), now, now + self._lifetime)
        if replaced is None:  # another request used it first: the same token was presented twice
            self._revoke_for_reuse(family, now)
        return self._issued(new_token, replaced, family)

    def revoke_family(self, token: str) -> None:
        """Sign out: revoke the family of this token. An unknown token raises AuthenticationFailed."""
        found = self._store.find(hash_token(token))
        if found is None:
            raise AuthenticationFailed(INVALID)
        family = found[1]
        assert family.id is not None
        self._store.revoke_family(family.id, SIGN_OUT, self._clock.now())

    def revoke_user(self, user_id: int, reason: str, company_group_id: int | None = None) -> int:
        """End every session of a user (deactivated, password changed), or with ``company_group_id`` only those
        opened in that company group (removed from it): their refresh tokens stop working. Returns how many
        families were revoked. Access tokens already handed out live on until they expire (minutes)."""
        revoked = self._store.revoke_user_families(
            user_id, reason, self._clock.now(), company_group_id=company_group_id
        )
        logger.info(
            "security.user_sessions_revoked",
            user_id=user_id,
            company_group_id=company_group_id,
            reason=reason,
            families=revoked,
        )
        return revoked

    def deny(self, jti: str, expires_at: datetime) -> None:
        """Deny an access token (by its ``jti``) until it expires."""
        self._store.deny(jti, expires_at)

    def is_denied(self, jti: str) -> bool:
        """True when the access token with this ``jti`` was denied."""
        return self._store.is_denied(jti)

    def purge_expired(self) -> int:
        """Forget denied access tokens that have expired anyway."""
        return self._store.purge_expired(self._clock.now())

    def _valid(self, token: str, now: datetime) -> tuple[RefreshToken, RefreshTokenFamily]:
        found = self._store.find(hash_token(token))
        if found is None:
            raise AuthenticationFailed(INVALID)
        stored, family = found
        if family.is_revoked or stored.expires_at <= now:
            raise AuthenticationFailed(INVALID)
        return stored, family

    def _revoke_for_reuse(self, family: RefreshTokenFamily, now: datetime) -> NoReturn:
        assert family.id is not None
        self._store.revoke_family(family.id, REUSE, now)
        logger.warning(
            "security.refresh_token_reuse",
            family_id=family.id,
            user_id=family.user_id,
            company_group_id=family.company_group_id,
        )
        raise AuthenticationFailed(INVALID)

    @staticmethod
    def _issued(token: str, stored: RefreshToken, family: RefreshTokenFamily) -> IssuedRefreshToken:
        return IssuedRefreshToken(
            token=token,
            family_id=stored.family_id,
            user_id=family.user_id,
            company_group_id=family.company_group_id,
            expires_at=stored.expires_at,
        )
