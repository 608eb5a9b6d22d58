"""The in-process cache: a bounded dict with expiry times, safe across threads."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

DEFAULT_MAX_ENTRIES = 10_000


class InMemoryCache:
    """A :class:`~hireflow.domain.ports.cache.Cache` in this process; least recently used entries go first."""

    def __init__(
        self, max_entries: int = DEFAULT_MAX_ENTRIES, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._entries: OrderedDict[str, tuple[float | None, bytes]] = OrderedDict()
        self._max_entries = max_entries
        self._monotonic = monotonic
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._live(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        with self._lock:
            self._store(key, value, self._monotonic() + ttl_seconds)

    def incr(self, key: str) -> int:
        with self._lock:
            # As in Redis: an expired value counts as missing, and a live one keeps its expiry time.
            current = self._live(key)
            count = int(current) + 1 if current is not None else 1
            expires = self._entries[key][0] if current is not None else None
            self._store(key, str(count).encode(), expires)
            return count

    def _live(self, key: str) -> bytes | None:
        """The value under ``key`` unless it expired (then it is dropped); the lock is held."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires is not None and expires <= self._monotonic():
            del self._entries[key]
            return None
        return value

    def _store(self, key: str, value: bytes, expires: float | None) -> None:
        self._entries[key] = (expires, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
