"""Tokens, codes and sessions a sandbox has issued: lifetimes, single use, and use counts for token expiry."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

_FORGET_AFTER_SECONDS = 3600.0  # expired tokens are remembered this long, to answer "expired" not "unknown"


class TokenCheck(StrEnum):
    """What using a token found."""

    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"
    """It just reached its ``token-expiry`` use limit: from now on it is expired."""


@dataclass
class Token:
    """One issued secret and what it stands for."""

    value: str
    kind: str
    expires_at: float
    uses: int = 0
    data: dict[str, str] = field(default_factory=dict)


class TokenStore:
    """Issues and checks secrets. The clock is injectable so tests can expire tokens without sleeping."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tokens: dict[tuple[str, str], Token] = {}
        self.issued: Counter[str] = Counter()

    def issue(self, kind: str, lifetime: float, *, prefix: str = "", **data: str) -> Token:
        """A new secret of ``kind`` valid for ``lifetime`` seconds."""
        self._forget_old()
        token = Token(prefix + secrets.token_urlsafe(24), kind, self._clock() + lifetime, data=dict(data))
        self._tokens[(kind, token.value)] = token
        self.issued[kind] += 1
        return token

    def check(self, kind: str, value: str) -> tuple[TokenCheck, Token | None]:
        """Whether ``value`` is a live ``kind`` token, without using it."""
        token = self._tokens.get((kind, value))
        if token is None:
            return TokenCheck.UNKNOWN, None
        if token.expires_at <= self._clock():
            return TokenCheck.EXPIRED, token
        return TokenCheck.VALID, token

    def use(self, kind: str, value: str, max_uses: int | None) -> tuple[TokenCheck, Token | None]:
        """Count one data request on the token; past ``max_uses`` it expires (the ``token-expiry`` fault)."""
        status, token = self.check(kind, value)
        if status is not TokenCheck.VALID or token is None:
            return status, token
        if max_uses is not None and token.uses >= max_uses:
            token.expires_at = self._clock()
            return TokenCheck.EXHAUSTED, token
        token.uses += 1
        return TokenCheck.VALID, token

    def take(self, kind: str, value: str) -> Token | None:
        """Redeem a single-use secret (a code, a rotating refresh token): valid once, then gone."""
        status, token = self.check(kind, value)
        self._tokens.pop((kind, value), None)
        return token if status is TokenCheck.VALID else None

    def seconds_left(self, token: Token) -> float:
        return max(0.0, token.expires_at - self._clock())

    def _forget_old(self) -> None:
        if len(self._tokens) < 1024:
            return
        cutoff = self._clock() - _FORGET_AFTER_SECONDS
        for key in [key for key, token in self._tokens.items() if token.expires_at < cutoff]:
            del self._tokens[key]
