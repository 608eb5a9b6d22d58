"""The cache port: bytes under string keys with a time to live, and counters (for generation-based
invalidation). In-process by default, Redis when configured; a cache may forget anything at any time."""

from __future__ import annotations

from typing import Protocol


class Cache(Protocol):
    """A shared key-value cache."""

    def get(self, key: str) -> bytes | None:
        """The value under ``key``, or None when it is missing or expired."""
        ...

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        """Store ``value`` under ``key`` for ``ttl_seconds``."""
        ...

    def incr(self, key: str) -> int:
        """Add one to the counter under ``key`` (missing counts as 0) and return the new value; no expiry."""
        ...
