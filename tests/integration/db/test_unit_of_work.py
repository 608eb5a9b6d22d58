"""The SQLAlchemy unit of work on SQLite and PostgreSQL: one transaction, rolled back unless committed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.ports.unit_of_work import TenantNotSelected, UnitOfWork, UnitOfWorkFactory
from hireflow.infra.db import tables as t
from hireflow.infra.db.base import metadata
from hireflow.infra.db.session import LazySessionFactory, SessionLocal
from hireflow.infra.db.unit_of_work import SqlAlchemyUnitOfWork, sqlalchemy_uow_factory
from hireflow.shared.errors import Conflict

TENANT_REPOSITORIES = [
    "memberships", "business_units", "locations", "roles", "hiring_objectives", "candidates",
    "candidate_external_ids", "candidate_media", "funnel_log", "question_sets", "screening_questions",
    "screening_answers", "response_timings", "eligibility_evaluations", "phone_interviews",
    "phone_interview_questions", "candidate_references", "reference_messages", "onboarding_responses",
    "message_templates", "screening_messages", "whatsapp_status_updates", "email_logs", "ad_templates",
    "product_usage", "dashboard_configurations",
]  # fmt: skip


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


@pytest.fixture
def factory(sessions: sessionmaker[Session]) -> UnitOfWorkFactory:
    return sqlalchemy_uow_factory(sessions)


def _groups(engine: Engine) -> list[str]:
    """The slugs stored, read outside any unit of work."""
    with engine.connect() as connection:
        return list(connection.scalars(select(t.CompanyGroup.slug).order_by(t.CompanyGroup.id)))


def _group(slug: str) -> CompanyGroup:
    return CompanyGroup(name=slug.title(), slug=slug)


def test_leaving_without_commit_rolls_back_even_when_a_write_opened_the_transaction(
    engine: Engine, factory: UnitOfWorkFactory
) -> None:
    # The first statement of this transaction is the SAVEPOINT around the insert. On SQLite that once
    # committed the insert on release: the driver had not begun a transaction for the savepoint to live in.
    with factory() as uow:
        uow.company_groups.add(_group("acme"))
    assert _groups(engine) == []


def test_commit_persists(engine: Engine, factory: UnitOfWorkFactory) -> None:
    with factory() as uow:
        uow.company_groups.add(_group("acme"))
        uow.commit()
        uow.company_groups.add(_group("globex"))  # after the commit and never committed
    assert _groups(engine) == ["acme"]
    with factory() as uow:
        assert uow.company_groups.get_by_slug("acme").name == "Acme"


def test_an_exception_rolls_back_and_propagates(engine: Engine, factory: UnitOfWorkFactory) -> None:
    def sign_up_then_fail() -> None:
        with factory() as uow:
            uow.company_groups.add(_group("acme"))
            raise LookupError("the payment provider is down")

    with pytest.raises(LookupError, match="payment provider"):
        sign_up_then_fail()
    assert _groups(engine) == []


def test_rollback_discards_and_the_unit_of_work_stays_usable(
    engine: Engine, factory: UnitOfWorkFactory
) -> None:
    with factory() as uow:
        uow.company_groups.add(_group("acme"))
        uow.rollback()
        assert uow.company_groups.count() == 0
        uow.company_groups.add(_group("globex"))
        uow.commit()
    assert _groups(engine) == ["globex"]


def test_a_conflict_undoes_only_the_failing_write(engine: Engine, factory: UnitOfWorkFactory) -> None:
    with factory() as uow:
        uow.company_groups.add(_group("acme"))
        uow.commit()
    with factory() as uow:
        with pytest.raises(Conflict, match="company group breaks a database rule"):
            uow.company_groups.add(_group("acme"))  # the first write of this transaction
        uow.company_groups.add(_group("globex"))
        with pytest.raises(Conflict):
            uow.company_groups.add(_group("globex"))
        uow.company_groups.add(_group("initech"))
        uow.commit()
    assert _groups(engine) == ["acme", "globex", "initech"]


def test_uncommitted_work_is_invisible_to_another_unit_of_work(factory: UnitOfWorkFactory) -> None:
    with factory() as writer:
        writer.company_groups.add(_group("acme"))
        with factory() as reader:
            assert reader.company_groups.find_by_slug("acme") is None
        writer.commit()
    with factory() as reader:
        assert reader.company_groups.find_by_slug("acme") is not None


def test_tenant_repositories_need_a_company_group(factory: UnitOfWorkFactory) -> None:
    with factory() as uow:
        assert uow.company_group_id is None
        assert uow.company_groups.count() == 0
        assert uow.users.count() == 0
        for name in TENANT_REPOSITORIES:
            with pytest.raises(TenantNotSelected, match=f"'{name}' holds rows of one company group"):
                getattr(uow, name)


def test_tenant_repositories_are_bound_to_the_company_group(factory: UnitOfWorkFactory) -> None:
    with factory() as uow:
        group = uow.company_groups.add(_group("acme"))
        uow.commit()
    assert group.id is not None
    with factory(group.id) as uow:
        assert uow.company_group_id == group.id
        for name in TENANT_REPOSITORIES:
            assert getattr(uow, name).company_group_id == group.id
        assert uow.candidates is uow.candidates  # one repository per name and open block
        uow.candidates.add(Candidate(company_group_id=group.id, first_name="Ana", phone_e164="+15555550100"))
        uow.commit()
    with factory(group.id) as uow:
        assert uow.candidates.get_by_phone("+15555550100").first_name == "Ana"


def test_the_session_lives_only_inside_the_block(sessions: sessionmaker[Session]) -> None:
    uow = SqlAlchemyUnitOfWork(sessions)
    with pytest.raises(RuntimeError, match="not open"):
        _ = uow.company_groups
    with uow:
        session = uow.session
        first = uow.company_groups
        with pytest.raises(RuntimeError, match="already open"), uow:
            pass
    with pytest.raises(RuntimeError, match="not open"):
        uow.commit()
    assert not session.in_transaction()
    with uow:  # a closed unit of work can be opened again, with a new session and new repositories
        assert uow.session is not session
        assert uow.company_groups is not first


def test_the_factory_and_the_default_session_factory(engine: Engine) -> None:
    lazy = LazySessionFactory()
    lazy.configure(engine)  # what SessionLocal.configure(url) does for the application
    uow: UnitOfWork = sqlalchemy_uow_factory(lazy)(None)
    with uow:
        uow.company_groups.add(_group("acme"))
        uow.commit()
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(t.CompanyGroup)) == 1
    assert SqlAlchemyUnitOfWork()._session_factory is SessionLocal  # importing opened no connection


def test_rollback_holds_on_a_sqlite_engine_not_built_by_build_engine(tmp_path: Path) -> None:
    # A plain engine leaves transactions to the sqlite3 driver, which begins none before a SAVEPOINT.
    plain = create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    metadata.create_all(plain)
    try:
        factory = sqlalchemy_uow_factory(sessionmaker(bind=plain))
        with factory() as uow:
            uow.company_groups.add(_group("acme"))
        assert _groups(plain) == []
        with factory() as uow:
            uow.company_groups.add(_group("acme"))
            uow.commit()
        assert _groups(plain) == ["acme"]
    finally:
        plain.dispose()


def test_sqlite_connections_get_hireflow_s_settings(tmp_path: Path) -> None:
    from hireflow.infra.db.engine import SQLITE_CACHE_KIB, SQLITE_WAL_CHECKPOINT_PAGES, build_engine

    engine = build_engine(f"sqlite:///{tmp_path / 'settings.db'}")
    try:
        with engine.connect() as connection:
            pragma = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                for name in (
                    "foreign_keys",
                    "journal_mode",
                    "synchronous",
                    "wal_autocheckpoint",
                    "cache_size",
                )
            }
    finally:
        engine.dispose()
    assert pragma == {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL
        "wal_autocheckpoint": SQLITE_WAL_CHECKPOINT_PAGES,
        "cache_size": -SQLITE_CACHE_KIB,
    }
