"""The access-token denylist: in Redis (a key per denied ``jti``), or a snapshot of the database's list."""

from __future__ import annotations

import math
import threading
import time
from datetime import datetime
from typing import Any, Protocol

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

    def refuse_user(self, user_id: int, issued_before: datetime, until: datetime) -> None:
        seconds = math.ceil((until - self._clock.now()).total_seconds())
        if seconds > 0:
            key = self._prefix + _user_key(user_id)
            # Keep the latest moment: a later refusal covers every token an earlier one did.
            self._client.set(key, str(issued_before.timestamp()), ex=seconds)

    def is_refused(self, jti: str, user_id: int, issued_at: datetime) -> bool:
        denied, refused_before = self._client.mget(self._prefix + jti, self._prefix + _user_key(user_id))
        if denied is not None:
            return True
        return refused_before is not None and issued_at.timestamp() < float(refused_before)


class DatabaseDenylistStore(Protocol):
    """The database side of the denylist: the refresh-token store keeps it."""

    def deny(self, jti: str, expires_at: datetime) -> None: ...

    def denied_jtis(self, now: datetime) -> set[str]: ...


class SnapshotDenylist:
    """The database denylist, read once a second instead of once a request.

    Every request checks an in-memory set of the denied ids, reloaded from the database at most every
    ``refresh_seconds``. A sign-out through this process is in the set at once; one through another process
    takes effect here within ``refresh_seconds``. Without Redis this keeps a query off every request's path.
    """

    def __init__(self, store: DatabaseDenylistStore, clock: Clock, refresh_seconds: float = 1.0) -> None:
        self._store = store
        self._clock = clock
        self._refresh = refresh_seconds
        self._denied: frozenset[str] = frozenset()
        self._refused: dict[int, float] = {}
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()

    def deny(self, jti: str, expires_at: datetime) -> None:
        self._store.deny(jti, expires_at)
        with self._lock:
            self._denied = self._denied | {jti}

    def is_denied(self, jti: str) -> bool:
        self._reload_if_stale()
        return jti in self._denied

    def refuse_user(self, user_id: int, issued_before: datetime, until: datetime) -> None:
        # Stored as a denied id of its own, so the database needs no second table.
        marker = f"{_user_key(user_id)}:{issued_before.timestamp():.6f}"
        self._store.deny(marker, until)
        with self._lock:
            self._denied = self._denied | {marker}
            self._refused = _refusals(self._denied)

    def is_refused(self, jti: str, user_id: int, issued_at: datetime) -> bool:
        self._reload_if_stale()
        if jti in self._denied:
            return True
        refused_before = self._refused.get(user_id)
        return refused_before is not None and issued_at.timestamp() < refused_before

    def _reload_if_stale(self) -> None:
        now = time.monotonic()
        if now - self._loaded_at >= self._refresh:
            with self._lock:
                if now - self._loaded_at >= self._refresh:
                    self._denied = frozenset(self._store.denied_jtis(self._clock.now()))
                    self._refused = _refusals(self._denied)
                    self._loaded_at = now


def _user_key(user_id: int) -> str:
    return f"user:{user_id}"


def _refusals(denied: frozenset[str]) -> dict[int, float]:
    """From the user markers among the denied ids: each user's latest 'refuse tokens issued before' time."""
    refused: dict[int, float] = {}
    for entry in denied:
        if entry.startswith("user:"):
            _, user, moment = entry.split(":", 2)
            refused[int(user)] = max(refused.get(int(user), 0.0), float(moment))
    return refused
