"""The Redis-backed security pieces against a real Redis: the access-token denylist and the auth rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis

from hireflow.apps.api.rate_limit import RateLimiter
from hireflow.infra.security.denylist import RedisAccessTokenDenylist
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import RateLimited
from tests.builders import T0


@pytest.fixture
def client(redis_url: str) -> redis.Redis:
    connection = redis.Redis.from_url(redis_url)
    yield connection
    connection.close()


def test_a_denied_token_is_denied_until_it_expires(client: redis.Redis, key_prefix: str) -> None:
    clock = FixedClock(T0)
    denylist = RedisAccessTokenDenylist(client, clock, prefix=key_prefix)

    denylist.deny("jti-1", T0 + timedelta(minutes=15))
    denylist.deny("jti-1", T0 + timedelta(minutes=15))  # twice is harmless

    assert denylist.is_denied("jti-1")
    assert not denylist.is_denied("jti-2")
    assert 14 * 60 < client.ttl(f"{key_prefix}jti-1") <= 15 * 60


def test_an_already_expired_token_is_not_stored(client: redis.Redis, key_prefix: str) -> None:
    denylist = RedisAccessTokenDenylist(client, FixedClock(T0), prefix=key_prefix)

    denylist.deny("old", T0 - timedelta(seconds=1))

    assert client.exists(f"{key_prefix}old") == 0


def test_two_limiters_on_one_redis_share_the_count(redis_url: str, key_prefix: str) -> None:
    """Two API processes see one allowance per client."""
    first, second = RateLimiter("3/minute", redis_url), RateLimiter("3/minute", redis_url)
    scope = f"{key_prefix}auth"

    first.hit(scope, "10.0.0.1")
    second.hit(scope, "10.0.0.1")
    first.hit(scope, "10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        second.hit(scope, "10.0.0.1")

    assert 1 <= refused.value.retry_after <= 60
    second.hit(scope, "10.0.0.2")  # another client has its own allowance


def test_an_unreachable_redis_lets_requests_through() -> None:
    limiter = RateLimiter("1/minute", "redis://127.0.0.1:1/0")

    limiter.hit("auth", "10.0.0.1")
    limiter.hit("auth", "10.0.0.1")


def test_refusing_a_users_tokens_covers_those_issued_before(client: redis.Redis, key_prefix: str) -> None:
    clock = FixedClock(T0)
    denylist = RedisAccessTokenDenylist(client, clock, prefix=key_prefix)

    denylist.refuse_user(7, T0, T0 + timedelta(minutes=15))

    assert denylist.is_refused("jti", 7, T0 - timedelta(seconds=1))
    assert not denylist.is_refused("jti", 7, T0)  # signed at or after the moment
    assert not denylist.is_refused("jti", 8, T0 - timedelta(seconds=1))
    denylist.deny("jti-x", T0 + timedelta(minutes=15))
    assert denylist.is_refused("jti-x", 8, T0)
