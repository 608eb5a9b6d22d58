"""Fixtures of the job-runner tests: the tasks every runner is tested with, and a queue of each test's own for
Dramatiq (Redis comes from tests/conftest.py)."""

from __future__ import annotations

import pytest

from hireflow.domain.services.background_jobs import TaskRegistry
from tests.integration.jobs.tasks import Gates, build_registry
from tests.redis_support import unique_name


@pytest.fixture
def gates() -> Gates:
    return Gates()


@pytest.fixture
def registry(gates: Gates) -> TaskRegistry:
    return build_registry(gates)


@pytest.fixture
def queue_name() -> str:
    """A Dramatiq queue of this test's own."""
    return unique_name("q")
