"""Fixtures of the contract tests: one demo database per module, and an app on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from hireflow.infra.db import migrate
from hireflow.infra.db import tables as t
from hireflow.infra.db.engine import build_engine
from hireflow.infra.db.seed import seed_demo


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """A migrated SQLite database with the demo data (company group A is its first)."""
    path: Path = tmp_path_factory.mktemp("contract") / "api.db"
    url = f"sqlite:///{path}"
    engine = build_engine(url)
    migrate.upgrade(engine)
    seed_demo(engine, candidates=2000, seed=11)
    add_a_resume(engine)
    yield url, engine
    engine.dispose()


def first_company_group(engine: Engine) -> int:
    with engine.connect() as connection:
        found = connection.execute(select(t.CompanyGroup.id).order_by(t.CompanyGroup.id)).scalars().first()
    assert found is not None
    return int(found)


def add_a_resume(engine: Engine) -> None:
    """The seeder stores no documents; give the first company group's first candidate one."""
    tenant = first_company_group(engine)
    with engine.begin() as connection:
        candidate = connection.execute(
            select(t.Candidate.id).where(t.Candidate.company_group_id == tenant).order_by(t.Candidate.id)
        ).scalar()
        connection.execute(
            t.CandidateMedia.__table__.insert().values(
                company_group_id=tenant,
                candidate_id=candidate,
                kind="resume",
                storage_key=f"{tenant}/resume.pdf",
                content_type="application/pdf",
                size_bytes=1234,
            )
        )
