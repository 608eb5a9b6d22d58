"""Per-client rate limits on the authentication routes, with the ``limits`` library.

A moving window per client address, in memory by default and in Redis when ``HIREFLOW_REDIS_URL`` is set (so
every API process shares one count). Over the limit, the request is refused with 429 and a ``Retry-After``.
If Redis cannot be reached the request is let through and the failure logged: the per-account lockout still
stands, and an outage of the cache should not lock every user out.
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from hireflow.shared.errors import RateLimited
from hireflow.shared.logging import get_logger

_log = get_logger(__name__)


class RateLimiter:
    """Counts requests per ``(scope, client)`` against one rate such as ``"20/minute"``."""

    def __init__(self, rate: str, storage_uri: str = "memory://") -> None:
        self._item = parse(rate)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def hit(self, scope: str, client: str) -> None:
        """Count one request; RateLimited (with the seconds to wait) when the client is over the limit."""
        try:
            allowed = self._limiter.hit(self._item, scope, client)
            if allowed:
                return
            reset_at = self._limiter.get_window_stats(self._item, scope, client).reset_time
        except Exception as exc:
            _log.warning("rate limit storage unavailable; request let through", error=type(exc).__name__)
            return
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise RateLimited(
            f"too many requests to {scope}; try again in {retry_after} s", retry_after=retry_after
        )
