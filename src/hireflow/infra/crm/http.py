"""HTTP for every CRM client: timeouts, and retries with tenacity on 429, 5xx, timeouts and dropped connections.

A retry waits what the server's ``Retry-After`` says (seconds or an HTTP date), else an exponential backoff with
jitter, never longer than ``max_wait``. After ``max_attempts`` tries the last failure becomes
:class:`~hireflow.shared.errors.ServiceUnavailable` naming the CRM and what it answered. Authentication is the
clients' own business (each CRM refreshes differently): a 401 is returned to the caller, never retried here.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from hireflow.shared.errors import ServiceUnavailable
from hireflow.shared.logging import get_logger

log = get_logger(__name__)

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts in all, the longest wait, and the first backoff step (doubled each time)."""

    max_attempts: int = 6
    max_wait: float = 60.0
    base_wait: float = 0.5
    sleep: Callable[[float], None] = time.sleep


class _Retryable(Exception):
    """A response worth another try (429, 5xx), carried through tenacity."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def request(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    crm: str,
    policy: RetryPolicy,
    **kwargs: Any,
) -> httpx.Response:
    """Send a request, retrying what is worth retrying; the final response (any status but 429/5xx)."""
    retrying = Retrying(
        stop=stop_after_attempt(policy.max_attempts),
        wait=lambda state: _wait(state, policy),
        retry=retry_if_exception(_worth_retrying),
        sleep=policy.sleep,
        before_sleep=lambda state: _log_retry(state, crm, method, url),
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                response = client.request(method, url, **kwargs)
                if response.status_code in RETRIED_STATUSES:
                    raise _Retryable(response)
                return response
    except _Retryable as exc:
        raise ServiceUnavailable(
            f"{crm} kept answering HTTP {exc.response.status_code} to {method} {_path(url)} "
            f"after {policy.max_attempts} tries: {_snippet(exc.response)}"
        ) from None
    except httpx.TransportError as exc:
        raise ServiceUnavailable(
            f"{crm} could not be reached ({type(exc).__name__}: {exc or 'no detail'}) "
            f"for {method} {_path(url)} after {policy.max_attempts} tries"
        ) from None
    raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover


def _worth_retrying(exc: BaseException) -> bool:
    return isinstance(
        exc, _Retryable | httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError
    )


def _wait(state: RetryCallState, policy: RetryPolicy) -> float:
    outcome = state.outcome
    failure = outcome.exception() if outcome is not None else None
    if isinstance(failure, _Retryable):
        advised = retry_after(failure.response)
        if advised is not None:
            return float(min(advised, policy.max_wait))
    backoff = policy.base_wait * 2 ** (state.attempt_number - 1)
    return float(min(backoff * (0.5 + random.random()), policy.max_wait))  # noqa: S311 - jitter, not security


def retry_after(response: httpx.Response) -> float | None:
    """Seconds the server asks to wait (``Retry-After`` as seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _log_retry(state: RetryCallState, crm: str, method: str, url: str) -> None:
    outcome = state.outcome
    failure = outcome.exception() if outcome is not None else None
    what = str(failure) if failure is not None else "unknown"
    wait = state.next_action.sleep if state.next_action is not None else 0.0
    log.info("crm request retried", crm=crm, method=method, path=_path(url), error=what, wait=round(wait, 2))


def _path(url: str) -> str:
    """The URL without its query string (which may carry a token)."""
    return url.split("?", 1)[0]


def _snippet(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:200] if text else "(empty body)"


def json_object(
    response: httpx.Response, *, crm: str, what: str, policy: RetryPolicy, broken_before: int
) -> dict[str, Any] | None:
    """The JSON object of a successful response, or None when its body was cut short (a proxy or the server
    dropped it) and the request is worth sending again: that is treated like a 5xx, waited for with the same
    backoff and given up (ServiceUnavailable) after ``policy.max_attempts`` broken bodies in a row.
    ``broken_before`` is how many bodies of this request were broken already. A body that is JSON but not an
    object is ServiceUnavailable at once."""
    try:
        body = response.json()
    except ValueError:
        broken = broken_before + 1
        if broken >= policy.max_attempts:
            raise ServiceUnavailable(
                f"{crm} sent a body that is not JSON for {what} {broken} times"
            ) from None
        log.info("crm sent a broken body; asking again", crm=crm, what=_path(what), attempt=broken)
        policy.sleep(min(policy.base_wait * 2 ** (broken - 1), policy.max_wait))
        return None
    if not isinstance(body, dict):
        raise ServiceUnavailable(f"{crm} sent an unexpected body for {what}")
    return body
