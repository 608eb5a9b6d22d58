"""Redis for the tests: where it is, whether it answers, and keys of each test's own.

Redis tests use ``HIREFLOW_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``). Where no server answers they
skip with the reason, except in CI (``CI`` set), where a missing Redis is a failure: CI must run them. Each test
works under a random key prefix and deletes only the keys under it afterwards.
"""

from __future__ import annotations

import os
import uuid

import pytest

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
IN_CI = bool(os.environ.get("CI"))


def redis_test_url() -> str:
    return os.environ.get("HIREFLOW_TEST_REDIS_URL", DEFAULT_REDIS_URL)


def redis_unavailable_reason() -> str | None:
    """Why Redis tests cannot run here, or None when they can."""
    try:
        import redis
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install 'hireflow[redis]')"
    client = redis.Redis.from_url(redis_test_url(), socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"no Redis at {redis_test_url()} ({exc})"
    finally:
        client.close()
    return None


def require_redis() -> str:
    """The test Redis URL; skip the test (fail it in CI) when Redis is unavailable."""
    reason = redis_unavailable_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI must run the Redis tests, but {reason}")
        pytest.skip(reason)
    return redis_test_url()


def delete_keys(url: str, pattern: str) -> int:
    """Delete the keys matching the glob ``pattern`` (a test's own prefix); how many there were."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=pattern, count=500))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()


def unique_name(kind: str) -> str:
    """A name no other test run uses: ``<kind>_<12 hex digits>``."""
    return f"{kind}_{uuid.uuid4().hex[:12]}"
