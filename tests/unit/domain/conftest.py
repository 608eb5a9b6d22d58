"""Fixtures of the domain-service unit tests: a fixed clock and in-memory units of work sharing one database."""

from __future__ import annotations

import pytest

from hireflow.shared.clock import FixedClock
from tests.builders import T0
from tests.unit.fakes import FakeDatabase, FakeUnitOfWorkFactory


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def factory(clock: FixedClock) -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory(FakeDatabase(clock))
