"""The scenarios the in-memory fakes are tested with, run against the real unit of work on both databases.

Passing here and in ``tests/unit/test_fakes.py`` is what lets domain tests trust the fakes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from tests.unit.test_fakes import CONTRACT


@pytest.mark.parametrize("check", CONTRACT, ids=lambda check: check.__name__.removeprefix("check_"))
def test_the_database_keeps_the_contract(engine: Engine, check: Callable[[UnitOfWorkFactory], None]) -> None:
    check(sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)))
