"""Fixtures of the job-runner tests: Dramatiq installed, and a queue of each test's own (Redis comes from
tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.redis_support import unique_name


@pytest.fixture(autouse=True)
def _dramatiq_installed() -> None:
    pytest.importorskip("dramatiq", reason="the Dramatiq runner needs the 'jobs' extra")


@pytest.fixture
def queue_name() -> str:
    """A Dramatiq queue of this test's own."""
    return unique_name("q")
