"""The Redis cache: shared by every API process and worker."""

from __future__ import annotations

from typing import Any


class RedisCache:
    """A :class:`~hireflow.domain.ports.cache.Cache` on a Redis client."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def get(self, key: str) -> bytes | None:
        value = self._client.get(key)
        if value is None:
            return None
        # A client made with decode_responses=True answers str; bytes(str) would raise TypeError.
        return value.encode() if isinstance(value, str) else bytes(value)

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        self._client.set(key, value, ex=max(1, ttl_seconds))

    def incr(self, key: str) -> int:
        return int(self._client.incr(key))
