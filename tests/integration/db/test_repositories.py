"""The SQLAlchemy repositories on SQLite and PostgreSQL: every model round-trips, tenants stay apart, and the
database's rules (unique keys, checks, cascades, UTC timestamps) hold."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from hireflow.domain.models.base import Entity
from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.identity import Membership, MembershipRole, User
from hireflow.domain.models.org import CompanyGroup, Role
from hireflow.domain.models.screening import Channel, MessageDirection, ScreeningQuestion
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories import SqlAlchemyCandidateRepository, SqlAlchemyCompanyGroupRepository
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from tests.integration.db.samples import T0, UPDATES, Seeded, seed

MANAGED = {"id", "created_at", "updated_at"}


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


@pytest.fixture
def factory(sessions: sessionmaker[Session]) -> UnitOfWorkFactory:
    return sqlalchemy_uow_factory(sessions)


@pytest.fixture
def world(factory: UnitOfWorkFactory) -> tuple[int, int, Seeded]:
    """Tenants A and B, a user, and one committed row of every model in tenant A: ``(a, b, seeded)``."""
    with factory() as uow:
        a = uow.company_groups.add(CompanyGroup(name="Acme Logistics", slug="acme", timezone="Europe/Madrid"))
        b = uow.company_groups.add(CompanyGroup(name="Globex", slug="globex", default_phone_region="GB"))
        user = uow.users.add(User(email="recruiter@acme.example", full_name="Rita Recruiter"))
        uow.commit()
    assert a.id is not None
    assert b.id is not None
    assert user.id is not None
    with factory(a.id) as uow:
        seeded = seed(uow, user.id)
        uow.commit()
    return a.id, b.id, seeded


def _fields(entity: Entity) -> dict[str, Any]:
    return entity.model_dump(exclude=MANAGED)


# Optional fields the samples leave empty on purpose (they describe failures or later events).
LEFT_EMPTY = {
    "candidates": {"merged_into_id", "deleted_at"},
    "screening_messages": {"error_code"},
    "whatsapp_status_updates": {"error_code", "error_title"},
    "email_logs": {"error"},
    "client_companies": {"deleted_at"},
    "job_openings": {"deleted_at"},
    "applications": {"deleted_at"},
    "placements": {"deleted_at"},
}


def test_the_samples_fill_every_column_of_every_tenant_repository(
    factory: UnitOfWorkFactory, world: tuple[int, int, Seeded]
) -> None:
    a, _, seeded = world
    tenant_repositories = {
        name
        for name, value in inspect.getmembers(UnitOfWork)
        if isinstance(value, property) and name not in {"company_group_id", "company_groups", "users"}
    }
    assert set(seeded) == set(UPDATES) == tenant_repositories
    with factory(a) as uow:
        for name, (given, _) in seeded.items():
            columns = set(getattr(uow, name).row_type.__table__.columns.keys())
            assert set(type(given).model_fields) <= columns, name  # every domain field has a column
            empty = {field for field, value in given if value is None and field not in MANAGED}
            assert empty == LEFT_EMPTY.get(name, set()), name


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_every_model_round_trips_create_read_update_delete(
    factory: UnitOfWorkFactory, world: tuple[int, int, Seeded], name: str
) -> None:
    a, _, seeded = world
    given, stored = seeded[name]
    assert stored.id is not None
    assert _fields(stored) == _fields(given)
    with factory(a) as uow:
        repository = getattr(uow, name)
        assert repository.get(stored.id) == stored
        assert stored in repository.list()
        changed = repository.update(stored.model_copy(update=UPDATES[name]))
        uow.commit()
    assert _fields(changed) == _fields(given.model_copy(update=UPDATES[name]))
    assert {key: getattr(changed, key) for key in UPDATES[name]} == UPDATES[name]
    with factory(a) as uow:
        repository = getattr(uow, name)
        assert repository.get(stored.id) == changed
        before = repository.count()
        repository.delete(stored.id)
        assert repository.find(stored.id) is None
        assert repository.count() == before - 1
        with pytest.raises(NotFound):
            repository.delete(stored.id)
        uow.commit()


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_another_tenant_cannot_reach_any_row(
    factory: UnitOfWorkFactory, world: tuple[int, int, Seeded], name: str
) -> None:
    a, b, seeded = world
    _, stored = seeded[name]
    assert stored.id is not None
    with factory(b) as uow:
        repository = getattr(uow, name)
        assert repository.find(stored.id) is None
        assert repository.list() == []
        assert repository.count() == 0
        for attempt in (
            lambda: repository.get(stored.id),
            lambda: repository.update(stored),
            lambda: repository.update(stored.model_copy(update={"company_group_id": b})),
            lambda: repository.delete(stored.id),
            lambda: repository.add(stored),
        ):
            with pytest.raises(NotFound):
                attempt()
        uow.commit()
    with factory(a) as uow:
        assert getattr(uow, name).get(stored.id) == stored


def test_every_timestamp_comes_back_aware_utc(
    factory: UnitOfWorkFactory, world: tuple[int, int, Seeded]
) -> None:
    a, _, seeded = world
    with factory(a) as uow:
        for name, (_, stored) in seeded.items():
            assert stored.id is not None
            read = getattr(uow, name).get(stored.id)
            stamps = [value for _, value in read if isinstance(value, datetime)]
            assert len(stamps) >= 2, name  # created_at and updated_at at least
            assert all(stamp.utcoffset() == timedelta(0) for stamp in stamps), name


def test_naive_datetimes_are_refused(engine: Engine, sessions: sessionmaker[Session]) -> None:
    with pytest.raises(ValidationError):
        Candidate(
            company_group_id=1, first_name="Ana", phone_e164="+15555550100", entered_at=datetime(2024, 5, 6)
        )
    with sessions() as session:
        group = SqlAlchemyCompanyGroupRepository(session).add(CompanyGroup(name="Acme", slug="acme"))
        assert group.id is not None
        naive = Candidate.model_construct(
            company_group_id=group.id,
            first_name="Ana",
            phone_e164="+15555550100",
            entered_at=datetime(2024, 5, 6),
        )
        with pytest.raises(StatementError, match="naive datetime"):
            SqlAlchemyCandidateRepository(session, group.id).add(naive)
        with pytest.raises(StatementError, match="naive datetime"):
            session.execute(
                insert(t.ProductUsage).values(
                    company_group_id=group.id, event_name="x", occurred_at=datetime.now()
                )
            )


def test_unique_keys_become_conflict(factory: UnitOfWorkFactory, world: tuple[int, int, Seeded]) -> None:
    a, b, seeded = world
    _, person = seeded["candidates"]
    _, question = seeded["screening_questions"]
    _, message = seeded["screening_messages"]
    _, membership = seeded["memberships"]
    assert isinstance(question, ScreeningQuestion)
    assert isinstance(membership, Membership)
    with factory(a) as uow:
        with pytest.raises(Conflict, match="candidate breaks a database rule"):
            uow.candidates.add(person)
        with pytest.raises(Conflict):
            uow.screening_questions.add(question.model_copy(update={"key": "other_key"}))  # same position
        with pytest.raises(Conflict):
            uow.memberships.add(membership.model_copy(update={"role": MembershipRole.VIEWER}))
        uow.candidates.add(person.model_copy(update={"phone_e164": "+34612345679"}))
        uow.commit()
    with factory(b) as uow:
        # The same phone in another tenant is fine (without A's unit, location and role: B cannot see them).
        elsewhere = {"company_group_id": b, "business_unit_id": None, "location_id": None, "role_id": None}
        other = uow.candidates.add(person.model_copy(update=elsewhere))
        assert other.id != person.id
        assert uow.memberships.add(membership.model_copy(update={"company_group_id": b})).id is not None
        # Provider message ids are unique within a tenant only, so a clash never reveals another tenant's data.
        copied = uow.screening_messages.add(
            message.model_copy(
                update={
                    "company_group_id": b,
                    "candidate_id": other.id,
                    "template_id": None,
                    "question_id": None,
                }
            )
        )
        assert copied.external_message_id == message.external_message_id
        with pytest.raises(Conflict):
            uow.screening_messages.add(copied.model_copy(update={"id": None}))
        uow.commit()
    with factory(a) as uow:
        assert uow.candidates.count() == 2


def test_check_constraints_refuse_bad_rows_at_the_database(
    engine: Engine, world: tuple[int, int, Seeded]
) -> None:
    a, _, seeded = world
    _, job = seeded["roles"]
    for amount in (0, -3):
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                insert(t.HiringObjective).values(
                    company_group_id=a,
                    role_id=job.id,
                    objective_amount=amount,
                    start_date=date(2024, 6, 1),
                    status="open",
                )
            )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            insert(t.HiringObjective).values(
                company_group_id=a,
                role_id=job.id,
                objective_amount=1,
                start_date=date(2024, 6, 1),
                status="paused",
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            insert(t.Candidate).values(
                company_group_id=a,
                first_name="X",
                phone_e164="612345678",
                source="other",
                funnel_state="lead",
            )
        )


def test_deleting_a_role_cascades_to_its_objectives_on_the_database(
    engine: Engine, world: tuple[int, int, Seeded]
) -> None:
    a, _, seeded = world
    _, job = seeded["roles"]
    with engine.begin() as connection:
        assert connection.scalar(select(t.HiringObjective.id).where(t.HiringObjective.role_id == job.id))
        connection.execute(text("DELETE FROM roles WHERE id = :id"), {"id": job.id})
        assert (
            connection.scalar(select(t.HiringObjective.id).where(t.HiringObjective.role_id == job.id)) is None
        )
        # ...and SET NULL where a role is only referred to.
        ad = connection.execute(
            select(t.AdTemplate.role_id).where(t.AdTemplate.company_group_id == a)
        ).scalar_one()
        assert ad is None


def test_values_longer_than_their_column_fail_validation_on_postgresql(
    engine: Engine, factory: UnitOfWorkFactory, world: tuple[int, int, Seeded]
) -> None:
    a, _, seeded = world
    _, person = seeded["candidates"]
    long_city = "Villanueva de la Cañada " * 8  # the column holds 100 characters
    with pytest.raises(ValidationError, match="at most 100 characters"):
        Candidate.model_validate(person.model_dump() | {"city": long_city})
    if engine.dialect.name != "postgresql":
        return  # SQLite does not enforce VARCHAR lengths: the domain model above is the guard there
    # model_copy skips validation, as code building rows by hand might: PostgreSQL still refuses cleanly.
    with (
        factory(a) as uow,
        pytest.raises(ValidationFailed, match="candidate has a value the database refuses"),
    ):
        uow.candidates.update(person.model_copy(update={"city": long_city}))


def test_counts_of_global_repositories(factory: UnitOfWorkFactory, world: tuple[int, int, Seeded]) -> None:
    with factory() as uow:
        assert uow.company_groups.count() == 2
        assert uow.users.count() == 1
        assert [g.slug for g in uow.company_groups.list(limit=1)] == ["acme"]
        first = uow.company_groups.list(limit=1)[0]
        assert [g.slug for g in uow.company_groups.list(after_id=first.id)] == ["globex"]


def test_user_memberships_across_tenants_and_password_hash_stays_out_of_user(
    factory: UnitOfWorkFactory, world: tuple[int, int, Seeded]
) -> None:
    a, b, seeded = world
    _, membership = seeded["memberships"]
    assert isinstance(membership, Membership)
    with factory(b) as uow:
        uow.memberships.add(
            Membership(company_group_id=b, user_id=membership.user_id, role=MembershipRole.VIEWER)
        )
        assert uow.memberships.get_for(membership.user_id).role == MembershipRole.VIEWER
        with pytest.raises(NotFound):
            uow.memberships.get_for(987_654)
        uow.users.set_password_hash(membership.user_id, "$argon2id$hash")
        uow.commit()
    with factory() as uow:
        assert [m.company_group_id for m in uow.users.memberships(membership.user_id)] == [a, b]
        assert uow.users.password_hash(membership.user_id) == "$argon2id$hash"
        assert "password_hash" not in User.model_fields
        with pytest.raises(NotFound):
            uow.users.password_hash(987_654)


def test_extra_queries(factory: UnitOfWorkFactory, world: tuple[int, int, Seeded]) -> None:
    a, _, seeded = world
    ids = {name: stored.id for name, (_, stored) in seeded.items()}
    with factory(a) as uow:
        assert uow.business_units.find_by_name("Logistics") == seeded["business_units"][1]
        assert uow.locations.for_business_unit(ids["business_units"]) == [seeded["locations"][1]]
        assert uow.roles.active() == [seeded["roles"][1]]
        assert uow.hiring_objectives.for_role(ids["roles"]) == [seeded["hiring_objectives"][1]]
        assert uow.question_sets.current_for_role(ids["roles"], "es") == seeded["question_sets"][1]
        assert uow.question_sets.current_for_role(ids["roles"], "en") is None
        assert (
            uow.screening_questions.find_by_key(ids["question_sets"], "shift")
            == seeded["screening_questions"][1]
        )
        assert (
            uow.eligibility_evaluations.latest_for(ids["candidates"], ids["roles"])
            == seeded["eligibility_evaluations"][1]
        )
        assert (
            uow.phone_interviews.find_by_provider_call("elevenlabs", "call_01HX")
            == seeded["phone_interviews"][1]
        )
        assert uow.phone_interview_questions.for_interview(ids["phone_interviews"]) == [
            seeded["phone_interview_questions"][1]
        ]
        assert uow.reference_messages.for_reference(ids["candidate_references"]) == [
            seeded["reference_messages"][1]
        ]
        assert (
            uow.onboarding_responses.find_for(ids["candidates"], "uniform_size")
            == seeded["onboarding_responses"][1]
        )
        assert uow.message_templates.find_by_name("screening_invite", Channel.WHATSAPP, "es") is not None
        assert (
            uow.screening_messages.find_by_external_id(Channel.WHATSAPP, f"wamid.{a}.1")
            == seeded["screening_messages"][1]
        )
        assert len(uow.whatsapp_status_updates.for_external_message(f"wamid.{a}.1")) == 1
        assert uow.email_logs.for_candidate(ids["candidates"]) == [seeded["email_logs"][1]]
        assert uow.ad_templates.for_role(ids["roles"]) == [seeded["ad_templates"][1]]
        assert uow.product_usage.between(T0, T0 + timedelta(days=1), event_name="dashboard.viewed") == [
            seeded["product_usage"][1]
        ]
        assert uow.product_usage.between(T0, T0 + timedelta(minutes=1)) == []
        user_id = seeded["memberships"][1].model_dump()["user_id"]
        assert uow.dashboard_configurations.find_default(user_id) == seeded["dashboard_configurations"][1]
        assert uow.dashboard_configurations.for_user(None) == []
        assert (
            uow.candidate_media.find_by_storage_key(f"cg/{a}/candidates/{ids['candidates']}/cv.pdf")
            is not None
        )
        assert uow.reference_messages.list()[0].direction == MessageDirection.OUTBOUND
        assert uow.screening_answers.for_candidate(ids["candidates"])[0].value == ["noche"]
        assert uow.response_timings.find_for(ids["candidates"], ids["screening_questions"]) is not None


def test_timestamps_are_utc_whatever_offset_they_were_given_in(
    factory: UnitOfWorkFactory, world: tuple[int, int, Seeded]
) -> None:
    a, _, seeded = world
    _, event = seeded["product_usage"]
    madrid = datetime(2024, 5, 6, 11, 30, tzinfo=ZoneInfo("Europe/Madrid"))
    with factory(a) as uow:
        changed = uow.product_usage.update(event.model_copy(update={"occurred_at": madrid}))
        uow.commit()
    assert changed.model_dump()["occurred_at"] == datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
    assert changed.model_dump()["occurred_at"].tzinfo == UTC


def test_role_titles_and_company_dashboards_are_unique_even_without_a_unit_or_user(
    factory: UnitOfWorkFactory, world: tuple[int, int, Seeded]
) -> None:
    from hireflow.domain.models.analytics import DashboardConfiguration

    a, b, _ = world
    with factory(a) as uow:
        uow.roles.add(Role(company_group_id=a, title="Night Picker"))
        with pytest.raises(Conflict):
            uow.roles.add(Role(company_group_id=a, title="Night Picker"))
        uow.dashboard_configurations.add(DashboardConfiguration(company_group_id=a, name="Weekly"))
        with pytest.raises(Conflict):
            uow.dashboard_configurations.add(DashboardConfiguration(company_group_id=a, name="Weekly"))
        uow.commit()
    with factory(b) as uow:  # another tenant may use the same names
        uow.roles.add(Role(company_group_id=b, title="Night Picker"))
        uow.dashboard_configurations.add(DashboardConfiguration(company_group_id=b, name="Weekly"))
        uow.commit()
