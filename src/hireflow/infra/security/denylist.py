"""The access-token denylist in Redis: one key per denied ``jti``, expiring with the token itself."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from hireflow.shared.clock import Clock

KEY_PREFIX = "hireflow:denied-jti:"


class RedisAccessTokenDenylist:
    """An :class:`~hireflow.domain.ports.security.AccessTokenDenylist` on a Redis client.

    Keys expire when the token would have, so the list cleans itself and never outgrows the live tokens.
    """

    def __init__(self, client: Any, clock: Clock, prefix: str = KEY_PREFIX) -> None:
        self._client = client
        self._clock = clock
        self._prefix = prefix

    def deny(self, jti: str, expires_at: datetime) -> None:
        seconds = math.ceil((expires_at - self._clock.now()).total_seconds())
        if seconds > 0:
            self._client.set(self._prefix + jti, b"1", ex=seconds)

    def is_denied(self, jti: str) -> bool:
        return bool(self._client.exists(self._prefix + jti))
