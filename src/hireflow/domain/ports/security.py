"""Security ports: password hashing, access-token signing, and the refresh-token and denylist store."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from hireflow.domain.models.security import AccessClaims, RefreshToken, RefreshTokenFamily


class PasswordHasher(Protocol):
    """Hashes passwords with a slow, salted algorithm and checks them."""

    def hash(self, password: str) -> str:
        """A self-describing hash of ``password`` (algorithm, parameters, salt)."""
        ...

    def verify(self, password: str, password_hash: str) -> bool:
        """True when ``password`` matches; False for a wrong password or a malformed hash."""
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters; rehash at the next successful sign-in."""
        ...


class TokenCodec(Protocol):
    """Signs and checks access tokens."""

    def claims_for(
        self, user_id: int, tenant: int | None = None, role: str | None = None, superadmin: bool = False
    ) -> AccessClaims:
        """Fresh claims for a user: a random ``jti``, issued now, expiring after the configured lifetime."""
        ...

    def encode(self, claims: AccessClaims) -> str:
        """The signed, compact token for these claims."""
        ...

    def decode(self, token: str) -> AccessClaims:
        """The claims of a valid token; raises AuthenticationFailed (generic message) for any other."""
        ...

    @property
    def lifetime(self) -> timedelta:
        """How long the tokens it issues stay valid."""
        ...


class RefreshTokenStore(Protocol):
    """Refresh-token families, their tokens (by SHA-256 hash only), and the access-token denylist."""

    def create_family(self, user_id: int, company_group_id: int | None, now: datetime) -> RefreshTokenFamily:
        """Start a new family (one sign-in)."""
        ...

    def add_token(
        self, family_id: int, token_hash: str, issued_at: datetime, expires_at: datetime
    ) -> RefreshToken:
        """Store a new token of the family."""
        ...

    def find(self, token_hash: str) -> tuple[RefreshToken, RefreshTokenFamily] | None:
        """The token with this hash and its family, or None."""
        ...

    def replace(
        self, token_id: int, token_hash: str, issued_at: datetime, expires_at: datetime
    ) -> RefreshToken | None:
        """Atomically mark the token used and add its successor; None when it was already used (a race)."""
        ...

    def revoke_family(self, family_id: int, reason: str, now: datetime) -> None:
        """Revoke every token of the family; a family already revoked keeps its first reason."""
        ...

    def revoke_user_families(
        self, user_id: int, reason: str, now: datetime, *, company_group_id: int | None = None
    ) -> int:
        """Revoke every family of the user that is not revoked yet (only those opened in ``company_group_id``
        when one is given); returns how many were revoked. Families already revoked keep their first reason."""
        ...

    def deny(self, jti: str, expires_at: datetime) -> None:
        """Deny the access token with this id until it expires anyway; denying twice is harmless."""
        ...

    def is_denied(self, jti: str) -> bool:
        """True when the access token with this id was denied."""
        ...

    def purge_expired(self, now: datetime) -> int:
        """Forget denied ids whose tokens have expired by ``now``; returns how many were removed."""
        ...


class AccessTokenDenylist(Protocol):
    """Access tokens revoked before they expire: one by one (by ``jti``), or every token of a user issued before
    a moment (after a role change, a deactivation, a password reset). In Redis when configured, else the
    database."""

    def deny(self, jti: str, expires_at: datetime) -> None:
        """Deny the access token with this id until it expires anyway; denying twice is harmless."""
        ...

    def is_denied(self, jti: str) -> bool:
        """True when the access token with this id was denied."""
        ...

    def refuse_user(self, user_id: int, issued_before: datetime, until: datetime) -> None:
        """Refuse every access token of the user issued before ``issued_before``; remembered until ``until``
        (when the last such token has expired anyway)."""
        ...

    def is_refused(self, jti: str, user_id: int, issued_at: datetime) -> bool:
        """True when this token was denied, or its user's tokens issued before ``issued_at`` were refused."""
        ...
