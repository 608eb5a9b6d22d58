"""Cache adapters: in-process (the default) and Redis (when ``HIREFLOW_REDIS_URL`` is set)."""

from __future__ import annotations

from typing import Any

from hireflow.domain.ports.cache import Cache
from hireflow.infra.cache.memory import InMemoryCache
from hireflow.infra.cache.redis_cache import RedisCache
from hireflow.shared.config import Settings

__all__ = ["InMemoryCache", "RedisCache", "build_cache"]


def build_cache(settings: Settings, redis_client: Any | None) -> Cache:
    """Redis when the settings name one (``redis_client`` is its client), else the in-process cache."""
    if settings.redis_url and redis_client is not None:
        return RedisCache(redis_client)
    return InMemoryCache()
