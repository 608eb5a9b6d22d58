"""Cache adapters: in-process (the default) and Redis (when ``HIREFLOW_REDIS_URL`` is set)."""

from __future__ import annotations

from functools import cache
from typing import Any

from hireflow.domain.ports.cache import Cache
from hireflow.domain.services.funnel_cache import FunnelAnalyticsCache
from hireflow.infra.cache.memory import InMemoryCache
from hireflow.infra.cache.redis_cache import RedisCache
from hireflow.shared.config import Settings
from hireflow.shared.extras import require

__all__ = ["InMemoryCache", "RedisCache", "build_cache", "funnel_analytics_cache", "redis_client"]


def build_cache(settings: Settings, redis_client: Any | None) -> Cache:
    """Redis when the settings name one (``redis_client`` is its client), else this process's cache of the
    settings' database: the API and the jobs it runs in its own process share it, so a job's writes can
    invalidate what the API cached."""
    if settings.redis_url and redis_client is not None:
        return RedisCache(redis_client)
    return process_cache(settings.database_url)


@cache
def process_cache(database_url: str) -> InMemoryCache:
    """One in-process cache per database (never two databases' answers under one key); ``cache_clear()``
    forgets them all, as a test that builds a new application on a new database does."""
    return InMemoryCache()


def redis_client(settings: Settings) -> Any | None:
    """A Redis client when ``HIREFLOW_REDIS_URL`` is set (it connects on first command), else None."""
    if not settings.redis_url:
        return None
    redis = require("redis", "redis", "the Redis cache")
    return redis.Redis.from_url(settings.redis_url, socket_connect_timeout=3, socket_timeout=3)


def funnel_analytics_cache(settings: Settings, redis: Any | None) -> FunnelAnalyticsCache:
    """Funnel analytics cached per company group, in the cache :func:`build_cache` picks."""
    return FunnelAnalyticsCache(build_cache(settings, redis), ttl_seconds=settings.analytics_cache_seconds)
