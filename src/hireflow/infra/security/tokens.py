"""HS256-signed JWT access tokens through PyJWT.

The algorithm is pinned: tokens are decoded with ``algorithms=["HS256"]`` only, so ``alg: none`` and algorithm
confusion are refused, and every registered claim Hireflow relies on is required. Any failure raises
:class:`AuthenticationFailed` with one generic message, so a caller learns nothing about why.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from hireflow.domain.models.security import AccessClaims
from hireflow.shared.clock import Clock
from hireflow.shared.errors import AuthenticationFailed, MissingExtraError

try:
    import jwt
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("server", "access tokens") from exc

ALGORITHM = "HS256"
REQUIRED = ["iss", "aud", "sub", "exp", "iat", "jti"]
INVALID = "the access token is invalid or expired"
KEY_PURPOSE = b"hireflow access tokens"
VERIFIED_CACHE_SIZE = 4096


class JwtTokenCodec:
    """A :class:`~hireflow.domain.ports.security.TokenCodec` for HS256 JWTs with issuer and audience."""

    def __init__(self, secret: str, issuer: str, audience: str, minutes: int, clock: Clock) -> None:
        if not secret:
            raise ValueError("the signing secret is empty; set HIREFLOW_SECRET_KEY")
        self._key = signing_key(secret)
        self._issuer = issuer
        self._audience = audience
        self._lifetime = timedelta(minutes=minutes)
        self._clock = clock
        # Only valid tokens are kept (lru_cache does not keep exceptions); at most VERIFIED_CACHE_SIZE of them.
        self._verified = functools.lru_cache(maxsize=VERIFIED_CACHE_SIZE)(self._verify)

    def claims_for(
        self, user_id: int, tenant: int | None = None, role: str | None = None, superadmin: bool = False
    ) -> AccessClaims:
        """Fresh claims for a user: a random ``jti``, issued now, expiring after the configured minutes."""
        now = self._clock.now().replace(microsecond=0)
        return AccessClaims(
            sub=str(user_id),
            tenant=tenant,
            role=role,
            superadmin=superadmin,
            jti=secrets.token_urlsafe(16),
            iat=now,
            exp=now + self._lifetime,
            iss=self._issuer,
            aud=self._audience,
        )

    @property
    def lifetime(self) -> timedelta:
        """How long the tokens it issues stay valid."""
        return self._lifetime

    def encode(self, claims: AccessClaims) -> str:
        """The signed compact token for ``claims``."""
        payload: dict[str, Any] = claims.model_dump()
        payload["iat"] = int(claims.iat.timestamp())
        payload["exp"] = int(claims.exp.timestamp())
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    def decode(self, token: str) -> AccessClaims:
        """The claims of a valid token signed by us, for our audience, not expired; else AuthenticationFailed.

        A client sends the same token on every request until it expires, so the verified claims of recent
        tokens are kept (the signature check and JSON parsing are the costly part); expiry is checked each time.
        """
        claims = self._verified(token)
        if claims.exp <= self._clock.now():
            raise AuthenticationFailed(INVALID)
        return claims

    def _verify(self, token: str) -> AccessClaims:
        """Check signature, algorithm, issuer, audience and the required claims (not expiry); parse the claims."""
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=0,
                options={"require": REQUIRED, "verify_exp": False, "verify_iat": False},
            )
            return AccessClaims.model_validate(
                {**payload, "iat": _time(payload["iat"]), "exp": _time(payload["exp"])}
            )
        except (jwt.PyJWTError, ValidationError, TypeError, ValueError, OverflowError):
            raise AuthenticationFailed(INVALID) from None


def signing_key(secret: str) -> bytes:
    """The HMAC key of access tokens, derived from the secret key.

    HS256 wants a 32-byte key (RFC 7518 3.2), and the secret key may sign other things too, whose signatures must
    never pass for access tokens; a key of their own gives both.
    """
    return hmac.new(secret.encode(), KEY_PURPOSE, hashlib.sha256).digest()


def _time(value: Any) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("a NumericDate is a number")
    return datetime.fromtimestamp(value, UTC)
