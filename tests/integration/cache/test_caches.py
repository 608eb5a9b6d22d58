"""The cache adapters behind the ``Cache`` port: the same behaviour in-process and on a real Redis.

Redis tests use ``HIREFLOW_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``). Where no server answers they
skip with the reason, except in CI (``CI`` set), where a missing Redis is a failure. Each test works under a key
prefix of its own and deletes only the keys under it afterwards.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import TypeAdapter

from hireflow.domain.ports.cache import Cache
from hireflow.domain.services.funnel_cache import FunnelAnalyticsCache
from hireflow.infra.cache import InMemoryCache, RedisCache, build_cache
from hireflow.shared.config import Settings

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
IN_CI = bool(os.environ.get("CI"))


class Ticker:
    """A monotonic clock that moves only when told to, for the in-process cache's expiry."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def redis_url() -> str:
    return os.environ.get("HIREFLOW_TEST_REDIS_URL", DEFAULT_REDIS_URL)


def redis_client(**options: Any) -> Any:
    """A client of the test Redis; skips the test (fails it in CI) when none answers."""
    try:
        import redis
    except ImportError:
        reason = "the redis package is not installed (pip install 'hireflow[redis]')"
    else:
        client = redis.Redis.from_url(redis_url(), socket_connect_timeout=2, socket_timeout=2, **options)
        try:
            client.ping()
            return client
        except redis.RedisError as exc:
            client.close()
            reason = f"no Redis at {redis_url()} ({exc})"
    if IN_CI:
        pytest.fail(f"CI must run the Redis cache tests, but {reason}")
    pytest.skip(reason)


@pytest.fixture
def prefix() -> str:
    return f"hireflow-test:cache-{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def redis(prefix: str) -> Iterator[Any]:
    """A Redis client; every key under the test's prefix is deleted afterwards."""
    client = redis_client()
    yield client
    keys = list(client.scan_iter(match=f"{prefix}*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["memory", "redis"])
def cache(request: pytest.FixtureRequest) -> Cache:
    """Each adapter in turn; the contract tests below run on both."""
    if request.param == "memory":
        return InMemoryCache()
    return RedisCache(request.getfixturevalue("redis"))


def test_values_round_trip_as_bytes_and_can_be_overwritten(cache: Cache, prefix: str) -> None:
    key = f"{prefix}answer"
    assert cache.get(key) is None

    cache.set(key, b'{"total": 5}', 60)
    assert cache.get(key) == b'{"total": 5}'
    cache.set(key, b"\x00\xff binary", 60)

    assert cache.get(key) == b"\x00\xff binary"


def test_counters_start_at_one_and_count_on_from_a_stored_number(cache: Cache, prefix: str) -> None:
    assert [cache.incr(f"{prefix}n") for _ in range(3)] == [1, 2, 3]
    assert cache.get(f"{prefix}n") == b"3"
    cache.set(f"{prefix}m", b"41", 60)

    assert cache.incr(f"{prefix}m") == 42


def test_counters_are_atomic_across_threads(cache: Cache, prefix: str) -> None:
    def bump() -> None:
        for _ in range(100):
            cache.incr(f"{prefix}hits")

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert cache.get(f"{prefix}hits") == b"800"


def test_funnel_answers_are_shared_and_invalidated_across_processes(cache: Cache, prefix: str) -> None:
    # Two API processes sharing one cache: what one computes the other reuses, and one's invalidation
    # reaches the other (the in-process cache is shared by the threads of one process the same way).
    first = FunnelAnalyticsCache(cache, ttl_seconds=60, prefix=f"{prefix}funnel")
    second = FunnelAnalyticsCache(cache, ttl_seconds=60, prefix=f"{prefix}funnel")
    adapter = TypeAdapter(dict[str, int])

    assert first.get_or_compute(7, "buckets", {"role_id": 1}, lambda: {"lead": 3}, adapter) == {"lead": 3}
    assert second.get_or_compute(7, "buckets", {"role_id": 1}, lambda: {"lead": 99}, adapter) == {"lead": 3}
    second.invalidate(7)

    assert first.get_or_compute(7, "buckets", {"role_id": 1}, lambda: {"lead": 4}, adapter) == {"lead": 4}


# -- in-process only ------------------------------------------------------------------------------------------
def test_memory_entries_expire_after_their_ttl() -> None:
    ticker = Ticker()
    cache = InMemoryCache(monotonic=ticker)
    cache.set("a", b"1", 10)

    ticker.now += 9.9
    assert cache.get("a") == b"1"
    ticker.now += 0.1

    assert cache.get("a") is None


def test_memory_counters_restart_after_expiry_and_keep_a_live_expiry() -> None:
    ticker = Ticker()
    cache = InMemoryCache(monotonic=ticker)
    cache.set("n", b"41", 10)

    assert cache.incr("n") == 42  # as Redis does, the counter keeps the value's expiry time
    ticker.now += 10
    assert cache.get("n") is None
    assert cache.incr("n") == 1  # an expired value counts as missing
    ticker.now += 10_000
    assert cache.get("n") == b"1"  # a counter made by incr never expires


def test_memory_evicts_the_least_recently_used_entry_first() -> None:
    cache = InMemoryCache(max_entries=2)
    cache.set("a", b"1", 60)
    cache.set("b", b"2", 60)
    assert cache.get("a") == b"1"  # a is now the most recently used

    cache.set("c", b"3", 60)

    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1", None, b"3")


# -- Redis only --------------------------------------------------------------------------------------------
def test_redis_entries_carry_their_ttl_and_expire(redis: Any, prefix: str) -> None:
    cache = RedisCache(redis)
    cache.set(f"{prefix}long", b"x", 300)
    cache.set(f"{prefix}short", b"y", 0)  # Redis refuses 0; the adapter keeps it for the shortest time, 1 s

    assert 290 <= redis.ttl(f"{prefix}long") <= 300
    assert redis.ttl(f"{prefix}short") == 1
    assert redis.ttl(f"{prefix}counter") == -2
    cache.incr(f"{prefix}counter")
    assert redis.ttl(f"{prefix}counter") == -1  # no expiry
    time.sleep(1.1)
    assert cache.get(f"{prefix}short") is None
    assert cache.get(f"{prefix}long") == b"x"


def test_redis_works_with_a_client_that_decodes_responses(redis: Any, prefix: str) -> None:
    decoding = redis_client(decode_responses=True)
    try:
        cache = RedisCache(decoding)
        cache.set(f"{prefix}k", b"value", 60)

        assert cache.get(f"{prefix}k") == b"value"
        assert cache.incr(f"{prefix}n") == 1
    finally:
        decoding.close()


def test_build_cache_picks_redis_only_when_configured(redis: Any) -> None:
    assert isinstance(build_cache(Settings(), None), InMemoryCache)
    assert isinstance(build_cache(Settings(redis_url=redis_url()), redis), RedisCache)
    # A URL without a client (the client could not be built) falls back to the process's own cache.
    assert isinstance(build_cache(Settings(redis_url=redis_url()), None), InMemoryCache)
