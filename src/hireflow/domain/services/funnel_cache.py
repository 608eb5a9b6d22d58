"""Funnel analytics, cached per company group and invalidated by every write that moves candidates.

Invalidation is by generation: each company group has a counter, and every cached answer's key carries the
counter's value when it was computed. :meth:`FunnelAnalyticsCache.invalidate` bumps the counter, so every answer
computed before is unreachable at once (and expires on its own), on every process sharing the cache. An answer
computed while a transition lands is stored under the generation read before computing, so it can never hide
the transition. If the cache itself fails, analytics are computed directly: a cache outage costs speed only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import TypeAdapter

from hireflow.domain.ports.cache import Cache
from hireflow.shared.logging import get_logger

T = TypeVar("T")

_log = get_logger(__name__)


class FunnelAnalyticsCache:
    """Computes funnel analytics once per company group, generation and parameters, for ``ttl_seconds``."""

    def __init__(self, cache: Cache, ttl_seconds: int, prefix: str = "hireflow:funnel") -> None:
        self._cache = cache
        self._ttl = ttl_seconds
        self._prefix = prefix

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
            return adapter.validate_json(cached)
        value = compute()
        try:
            self._cache.set(key, adapter.dump_json(value), self._ttl)
        except Exception as exc:
            _log.warning("analytics cache unavailable", error=type(exc).__name__)
        return value

    def invalidate(self, company_group_id: int) -> None:
        """Forget every cached answer of the company group (a candidate moved, arrived or left)."""
        try:
            self._cache.incr(self._generation_key(company_group_id))
        except Exception as exc:
            # Answers cached before expire within the TTL; nothing better can be done without the cache.
            _log.warning("analytics cache not invalidated", error=type(exc).__name__)

    def _key(self, company_group_id: int, name: str, parameters: Mapping[str, Any]) -> str:
        generation = (self._cache.get(self._generation_key(company_group_id)) or b"0").decode()
        digest = hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode()).hexdigest()[:32]
        return f"{self._prefix}:{company_group_id}:{generation}:{name}:{digest}"

    def _generation_key(self, company_group_id: int) -> str:
        return f"{self._prefix}:{company_group_id}:generation"
