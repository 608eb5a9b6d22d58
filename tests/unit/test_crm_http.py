"""The CRM clients' shared handling of response bodies: a body cut short is asked for again, within limits."""

from __future__ import annotations

import httpx
import pytest

from hireflow.infra.crm.http import RetryPolicy, json_object
from hireflow.shared.errors import ServiceUnavailable


def policy(waits: list[float]) -> RetryPolicy:
    return RetryPolicy(max_attempts=3, max_wait=1.0, base_wait=0.1, sleep=waits.append)


def test_a_json_object_is_returned_without_waiting() -> None:
    waits: list[float] = []
    response = httpx.Response(200, json={"data": [1]})

    assert json_object(response, crm="X", what="/a", policy=policy(waits), broken_before=0) == {"data": [1]}
    assert waits == []


def test_a_body_cut_short_is_asked_again_with_backoff_then_given_up() -> None:
    waits: list[float] = []
    cut = httpx.Response(200, content=b'{"data": [1, 2')

    assert json_object(cut, crm="X", what="/a", policy=policy(waits), broken_before=0) is None
    assert json_object(cut, crm="X", what="/a", policy=policy(waits), broken_before=1) is None
    with pytest.raises(ServiceUnavailable, match="X sent a body that is not JSON for /a 3 times"):
        json_object(cut, crm="X", what="/a", policy=policy(waits), broken_before=2)
    assert waits == [0.1, 0.2]


def test_json_that_is_not_an_object_is_refused_at_once() -> None:
    with pytest.raises(ServiceUnavailable, match="unexpected body for /a"):
        json_object(httpx.Response(200, json=[1, 2]), crm="X", what="/a", policy=policy([]), broken_before=0)
