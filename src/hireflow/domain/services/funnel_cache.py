"""Funnel analytics, cached per company group and invalidated by every write that moves candidates.

Invalidation is by generation: each company group has a generation token, and every cached answer's key carries
the token read before it was computed. :meth:`FunnelAnalyticsCache.invalidate` replaces the token with a new one,
so every answer computed before is unreachable at once (and expires on its own), on every process sharing the
cache. An answer computed while a transition lands is stored under the token read before computing, so it can
never hide the transition.

Tokens are random, never a counter: a cache may forget anything at any time (an LRU eviction, a Redis
``allkeys-lru`` policy), and a counter that is forgotten restarts at a value whose old answers may still be cached,
which would serve numbers from before the last invalidation. A forgotten token is simply replaced by a fresh one.
If the cache itself fails, or holds something unreadable, analytics are computed directly: a cache fault costs
speed only.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from hireflow.domain.ports.cache import Cache
from hireflow.shared.logging import get_logger

T = TypeVar("T")

GENERATION_TTL_SECONDS = 30 * 24 * 3600
"""How long a generation token is kept; when it expires the next read starts a new one (answers recomputed)."""

_log = get_logger(__name__)


def _random_generation() -> str:
    return uuid.uuid4().hex


class FunnelAnalyticsCache:
    """Computes funnel analytics once per company group, generation and parameters, for ``ttl_seconds``.

    ``new_generation`` makes a generation token that was never used before (random by default).
    """

    def __init__(
        self,
        cache: Cache,
        ttl_seconds: int,
        prefix: str = "hireflow:funnel",
        new_generation: Callable[[], str] = _random_generation,
    ) -> None:
        self._cache = cache
        self._ttl = ttl_seconds
        self._prefix = prefix
        self._new_generation = new_generation

    def get_or_compute(
        self,
        company_group_id: int,
        name: str,
        parameters: Mapping[str, Any],
        compute: Callable[[], T],
        adapter: TypeAdapter[T],
    ) -> T:
        """The cached answer of ``name`` for these parameters, or ``compute()`` stored for next time."""
        if self._ttl <= 0:
            return compute()
        try:
            key = self._key(company_group_id, name, parameters)
            cached = self._cache.get(key)
        except Exception as exc:
            _log.warning("analytics cache unavailable", error=type(exc).__name__)
            return compute()
        if cached is not None:
            try:
                return adapter.validate_json(cached)
            except ValidationError:
                # Written by another version of the code (or damaged): recompute and overwrite it.
                _log.warning("analytics cache entry unreadable; recomputing", name=name)
        value = compute()
        try:
            self._cache.set(key, adapter.dump_json(value), self._ttl)
        except Exception as exc:
            _log.warning("analytics cache unavailable", error=type(exc).__name__)
        return value

    def invalidate(self, company_group_id: int) -> None:
        """Forget every cached answer of the company group (a candidate moved, arrived or left)."""
        try:
            self._start_generation(company_group_id)
        except Exception as exc:
            # Answers cached before expire within the TTL; nothing better can be done without the cache.
            _log.warning("analytics cache not invalidated", error=type(exc).__name__)

    def _key(self, company_group_id: int, name: str, parameters: Mapping[str, Any]) -> str:
        stored = self._cache.get(self._generation_key(company_group_id))
        generation = stored.decode() if stored is not None else self._start_generation(company_group_id)
        digest = hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode()).hexdigest()[:32]
        return f"{self._prefix}:{company_group_id}:{generation}:{name}:{digest}"

    def _start_generation(self, company_group_id: int) -> str:
        generation = self._new_generation()
        self._cache.set(self._generation_key(company_group_id), generation.encode(), GENERATION_TTL_SECONDS)
        return generation

    def _generation_key(self, company_group_id: int) -> str:
        return f"{self._prefix}:{company_group_id}:generation"
