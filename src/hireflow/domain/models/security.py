"""Security context models: access-token claims and refresh-token families."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from hireflow.domain.models.base import DomainModel


class AccessClaims(DomainModel):
    """The claims of a signed access token. ``sub`` is the user id as a string (RFC 7519 wants a string)."""

    sub: str = Field(min_length=1)
    tenant: int | None = None
    role: str | None = None
    superadmin: bool = False
    jti: str = Field(min_length=1, max_length=64)
    iat: AwareDatetime
    exp: AwareDatetime
    iss: str
    aud: str

    @property
    def user_id(self) -> int:
        """``sub`` as the integer user id."""
        return int(self.sub)


class RefreshTokenFamily(DomainModel):
    """Every refresh token descended from one sign-in; reuse of any used member revokes them all."""

    id: int | None = None
    user_id: int
    company_group_id: int | None = None
    created_at: AwareDatetime | None = None
    revoked_at: AwareDatetime | None = None
    revoked_reason: str | None = None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class RefreshToken(DomainModel):
    """One refresh token as stored: only the SHA-256 hex digest of the opaque value is kept."""

    id: int | None = None
    family_id: int
    token_hash: str = Field(min_length=64, max_length=64)
    issued_at: AwareDatetime
    expires_at: AwareDatetime
    used_at: AwareDatetime | None = None
    replaced_by_id: int | None = None


class IssuedRefreshToken(DomainModel):
    """A refresh token just issued: the opaque value (shown once, to the client) and whom it belongs to."""

    token: str
    family_id: int
    user_id: int
    company_group_id: int | None = None
    expires_at: AwareDatetime
