"""The in-memory fakes keep the promises of the real adapters.

The ``check_*`` scenarios take any :class:`UnitOfWorkFactory`. They run here against the fakes and, in
``tests/integration/db/test_contract.py``, against SQLite and PostgreSQL: the same behaviour, proven on both.
The remaining tests pin the fakes' tables of references and unique keys to the real schema.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from datetime import date, timedelta, timezone

import pytest
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import ForeignKeyConstraint, UniqueConstraint
from sqlalchemy.orm import Session

from hireflow.domain.models.funnel import FunnelLogEntry, FunnelState
from hireflow.domain.models.identity import User
from hireflow.domain.models.org import (
    BusinessUnit,
    CompanyGroup,
)
from hireflow.domain.models.screening import (
    CandidateReference,
    QuestionKind,
    QuestionSet,
    ResponseTiming,
    ScreeningAnswer,
    ScreeningQuestion,
)
from hireflow.domain.ports.unit_of_work import TenantNotSelected, UnitOfWork, UnitOfWorkFactory
from hireflow.infra.db.base import metadata
from hireflow.infra.db.unit_of_work import SqlAlchemyUnitOfWork
from hireflow.shared.errors import Conflict, NotFound
from tests.builders import T0, candidate, new_tenant, objective, role
from tests.unit.fakes import (
    CHECKS,
    GLOBAL_TABLES,
    REFERENCES,
    REPOSITORIES,
    UNIQUE_KEYS,
    FakeDatabase,
    FakeUnitOfWork,
    FakeUnitOfWorkFactory,
)


# -- scenarios: each runs on the fakes here and on both databases in the integration suite -------------------
def check_add_then_get_round_trips(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        added = uow.candidates.add(
            candidate(cg, state_changed_at=T0.astimezone(timezone(timedelta(hours=2))))
        )
        uow.commit()
    assert added.id is not None
    assert added.created_at is not None
    assert added.created_at.utcoffset() == timedelta(0)
    assert added.state_changed_at == T0
    assert added.state_changed_at is not None
    assert added.state_changed_at.utcoffset() == timedelta(0)
    with factory(cg) as uow:
        assert uow.candidates.get(added.id) == added
        assert uow.candidates.get_by_phone("+15555550100") == added
        assert uow.candidates.find_by_email("ana.lopez@EXAMPLE.com") == [added]


def check_tenants_cannot_see_each_other(factory: UnitOfWorkFactory) -> None:
    a, b = new_tenant(factory, "acme"), new_tenant(factory, "globex")
    with factory(a) as uow:
        mine = uow.candidates.add(candidate(a))
        uow.commit()
    assert mine.id is not None
    with factory(b) as uow:
        assert uow.candidates.find(mine.id) is None
        assert uow.candidates.find_by_phone(mine.phone_e164) is None
        assert uow.candidates.list() == []
        assert uow.candidates.count() == 0
        with pytest.raises(NotFound):
            uow.candidates.get(mine.id)
        with pytest.raises(NotFound):
            uow.candidates.update(mine.model_copy(update={"first_name": "Mallory"}))
        with pytest.raises(NotFound):
            uow.candidates.update(mine.model_copy(update={"company_group_id": b}))
        with pytest.raises(NotFound):
            uow.candidates.delete(mine.id)
        with pytest.raises(NotFound):
            uow.candidates.add(candidate(a, phone="+15555550199"))
    with factory(a) as uow:
        assert uow.candidates.get(mine.id).first_name == "Ana"


def check_phone_is_unique_per_tenant_and_a_conflict_keeps_earlier_work(factory: UnitOfWorkFactory) -> None:
    a, b = new_tenant(factory, "acme"), new_tenant(factory, "globex")
    with factory(a) as uow:
        uow.candidates.add(candidate(a))
        uow.commit()
    with factory(a) as uow:
        kept = uow.candidates.add(candidate(a, phone="+15555550101"))
        with pytest.raises(Conflict):
            uow.candidates.add(candidate(a, first_name="Duplicate"))
        uow.commit()  # the conflict undid only the failing insert
    with factory(b) as uow:
        uow.candidates.add(candidate(b))  # the same phone in another tenant is fine
        uow.commit()
    with factory(a) as uow:
        assert [c.phone_e164 for c in uow.candidates.list()] == ["+15555550100", "+15555550101"]
        assert kept.id is not None
        assert uow.candidates.get(kept.id) == kept


def check_external_ids_are_unique_per_tenant(factory: UnitOfWorkFactory) -> None:
    a, b = new_tenant(factory, "acme"), new_tenant(factory, "globex")
    with factory(a) as uow:
        first = uow.candidates.add(candidate(a))
        second = uow.candidates.add(candidate(a, phone="+15555550101"))
        assert first.id is not None
        assert second.id is not None
        mapping = uow.candidates.add_external_id(first.id, "bullhorn", "BH-1001")
        uow.candidates.add_external_id(first.id, "hubspot", "501")
        with pytest.raises(Conflict):
            uow.candidates.add_external_id(second.id, "bullhorn", "BH-1001")
        assert uow.candidates.find_by_external_id("bullhorn", "BH-1001") == first
        assert uow.candidates.find_by_external_id("bullhorn", "BH-404") is None
        assert [m.source for m in uow.candidates.external_ids(first.id)] == ["bullhorn", "hubspot"]
        assert uow.candidate_external_ids.find_by_key("bullhorn", "BH-1001") == mapping
        uow.commit()
    with factory(b) as uow:
        other = uow.candidates.add(candidate(b))
        assert other.id is not None
        uow.candidates.add_external_id(other.id, "bullhorn", "BH-1001")
        assert uow.candidates.find_by_external_id("bullhorn", "BH-1001") == other
        with pytest.raises(NotFound):  # a tenant cannot attach ids to another tenant's candidate
            uow.candidates.add_external_id(first.id, "salesforce", "SF-1")


def check_global_keys_slug_and_case_insensitive_email(factory: UnitOfWorkFactory) -> None:
    new_tenant(factory, "acme")
    with factory() as uow:
        with pytest.raises(Conflict):
            uow.company_groups.add(CompanyGroup(name="Acme again", slug="acme"))
        assert uow.company_groups.get_by_slug("acme").name == "Acme"
        assert uow.company_groups.find_by_slug("nobody") is None
        assert uow.company_groups.count() == 1
        user = uow.users.add(User(email="Grace.Hopper@Example.com", full_name="Grace Hopper"))
        assert user.email == "grace.hopper@example.com"
        with pytest.raises(Conflict):
            uow.users.add(User(email="GRACE.HOPPER@example.com"))
        assert uow.users.get_by_email("grace.HOPPER@example.COM") == user
        with pytest.raises(NotFound):
            uow.users.get_by_email("nobody@example.com")
        assert user.id is not None
        assert uow.users.password_hash(user.id) is None
        uow.users.set_password_hash(user.id, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")
        assert uow.users.password_hash(user.id) == "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"
        assert "password_hash" not in uow.users.get(user.id).model_dump()
        uow.commit()


def check_references_into_another_tenant_are_refused(factory: UnitOfWorkFactory) -> None:
    a, b = new_tenant(factory, "acme"), new_tenant(factory, "globex")
    with factory(a) as uow:
        theirs = uow.roles.add(role(a))
        uow.commit()
    assert theirs.id is not None
    with factory(b) as uow:
        with pytest.raises(NotFound):
            uow.hiring_objectives.add(objective(b, theirs.id))
        with pytest.raises(NotFound):
            uow.hiring_objectives.add(objective(b, 987_654))
        mine = uow.roles.add(role(b))
        assert mine.id is not None
        goal = uow.hiring_objectives.add(objective(b, mine.id))
        with pytest.raises(NotFound):
            uow.hiring_objectives.update(goal.model_copy(update={"role_id": theirs.id}))


def check_deletes_cascade_and_set_null(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        unit = uow.business_units.add(BusinessUnit(company_group_id=cg, name="Logistics"))
        job = uow.roles.add(role(cg, business_unit_id=unit.id))
        assert job.id is not None
        uow.hiring_objectives.add(objective(cg, job.id))
        person = uow.candidates.add(candidate(cg, role_id=job.id))
        assert person.id is not None
        uow.funnel_log.add(
            FunnelLogEntry(company_group_id=cg, candidate_id=person.id, to_state="lead", occurred_at=T0)
        )
        uow.commit()
    with factory(cg) as uow:
        assert unit.id is not None
        uow.business_units.delete(unit.id)
        assert uow.roles.get(job.id).business_unit_id is None
        uow.roles.delete(job.id)
        assert uow.hiring_objectives.for_role(job.id) == []
        assert uow.hiring_objectives.count() == 0
        assert uow.candidates.get(person.id).role_id is None
        uow.candidates.delete(person.id)
        assert uow.funnel_log.for_candidate(person.id) == []
        uow.commit()


def check_unit_of_work_rolls_back_unless_committed(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        uow.candidates.add(candidate(cg))
    with factory(cg) as uow:
        assert uow.candidates.count() == 0
        uow.candidates.add(candidate(cg))
        uow.rollback()
        assert uow.candidates.count() == 0
        uow.candidates.add(candidate(cg, phone="+15555550101"))
        uow.commit()
        uow.candidates.add(candidate(cg, phone="+15555550102"))

    def fail_midway() -> None:
        with factory(cg) as uow:
            uow.candidates.add(candidate(cg, phone="+15555550103"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_midway()
    with factory(cg) as uow:
        assert [c.phone_e164 for c in uow.candidates.list()] == ["+15555550101"]


def check_tenant_repositories_need_a_company_group(factory: UnitOfWorkFactory) -> None:
    uow = factory()
    with pytest.raises(RuntimeError, match="not open"):
        uow.company_groups.count()
    with uow:
        assert uow.company_groups.count() == 0
        assert uow.users.count() == 0
        with pytest.raises(TenantNotSelected, match="candidates"):
            uow.candidates.count()
        with pytest.raises(TenantNotSelected):
            uow.memberships.list()


def check_json_and_dates_round_trip(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        stored_role = uow.roles.add(role(cg))
        assert stored_role.id is not None
        qset = uow.question_sets.add(QuestionSet(company_group_id=cg, role_id=stored_role.id, name="Intake"))
        assert qset.id is not None
        question = uow.screening_questions.add(
            ScreeningQuestion(
                company_group_id=cg,
                question_set_id=qset.id,
                position=0,
                key="start_date",
                kind=QuestionKind.DATE,
                prompt="When can you start?",
                validation={"min": "2024-01-01", "nested": {"list": [1, 2.5, None, True]}},
            )
        )
        person = uow.candidates.add(candidate(cg))
        assert question.id is not None
        assert person.id is not None
        answer = uow.screening_answers.add(
            ScreeningAnswer(
                company_group_id=cg,
                candidate_id=person.id,
                question_id=question.id,
                value=date(2024, 7, 1),
                raw_text="1 July",
                answered_at=T0,
            )
        )
        uow.commit()
    with factory(cg) as uow:
        assert uow.roles.get(stored_role.id) == stored_role
        assert uow.roles.get(stored_role.id).eligibility_criteria.max_commute_km == 25.5
        assert uow.screening_questions.get(question.id) == question
        assert answer.value == "2024-07-01"  # JSON has no dates: a date answer comes back as ISO text
        assert uow.screening_answers.find_for(person.id, question.id) == answer
        assert uow.candidates.get(person.id).birth_date == date(1998, 2, 14)


def check_queries_keep_their_order(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        person = uow.candidates.add(candidate(cg))
        assert person.id is not None
        for minutes, state in [(10, "screening"), (0, "lead"), (5, "contacted"), (5, "contacted")]:
            uow.funnel_log.add(
                FunnelLogEntry(
                    company_group_id=cg,
                    candidate_id=person.id,
                    to_state=state,
                    occurred_at=T0 + timedelta(minutes=minutes),
                    applied=state != "screening",
                )
            )
        log = uow.funnel_log.for_candidate(person.id)
        assert [e.to_state for e in log] == ["lead", "contacted", "contacted", "screening"]
        first_tie, second_tie = log[1].id, log[2].id
        assert first_tie is not None
        assert second_tie is not None
        assert first_tie < second_tie  # equal occurred_at: the order they were logged in
        last = uow.funnel_log.last_applied(person.id)  # the later screening event was not applied
        assert last is not None
        assert last.id == second_tie
        assert uow.candidates.count_by_state() == {FunnelState.LEAD: 1}


def check_update_writes_back_and_moves_updated_at(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        added = uow.candidates.add(candidate(cg))
        uow.commit()
    with factory(cg) as uow:
        changed = uow.candidates.update(added.model_copy(update={"funnel_state": FunnelState.CONTACTED}))
        uow.commit()
    assert changed.funnel_state == FunnelState.CONTACTED
    assert changed.created_at == added.created_at
    assert changed.updated_at is not None
    assert added.updated_at is not None
    assert changed.updated_at >= added.updated_at
    with factory(cg) as uow:
        assert uow.candidates.get_by_phone(added.phone_e164) == changed
        assert uow.candidates.in_state(FunnelState.CONTACTED) == [changed]


def check_rules_only_the_database_knows_become_conflict(factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        person = uow.candidates.add(candidate(cg))
        other = uow.candidates.add(candidate(cg, phone="+15555550101"))
        assert person.id is not None
        with pytest.raises(Conflict, match="not_merged_into_self"):
            uow.candidates.update(person.model_copy(update={"merged_into_id": person.id}))
        assert uow.candidates.update(person.model_copy(update={"merged_into_id": other.id})).merged_into_id
        # The domain models refuse these rows; a row built without validation is refused by the store too.
        with pytest.raises(PydanticValidationError, match="phone number or an email"):
            CandidateReference(company_group_id=cg, candidate_id=person.id, name="Jorge Ruiz")
        with pytest.raises(Conflict, match="reachable"):  # a referee needs a phone or an email
            uow.candidate_references.add(
                CandidateReference.model_construct(
                    company_group_id=cg,
                    candidate_id=person.id,
                    name="Jorge Ruiz",
                    phone_e164=None,
                    email=None,
                )
            )
        qset = uow.question_sets.add(QuestionSet(company_group_id=cg, name="Intake"))
        assert qset.id is not None
        question = uow.screening_questions.add(
            ScreeningQuestion(
                company_group_id=cg,
                question_set_id=qset.id,
                position=0,
                key="ok",
                kind="yes_no",
                prompt="OK?",
            )
        )
        assert question.id is not None
        timing = {
            "company_group_id": cg,
            "candidate_id": person.id,
            "question_id": question.id,
            "sent_at": T0,
            "answered_at": T0 - timedelta(seconds=1),
        }
        with pytest.raises(PydanticValidationError, match="answered_at must not be before sent_at"):
            ResponseTiming(**timing)
        with pytest.raises(Conflict, match="answered_after_sent"):
            uow.response_timings.add(ResponseTiming.model_construct(**timing, response_ms=None))
        uow.commit()
    with factory(cg) as uow:
        assert uow.candidate_references.count() == 0
        assert uow.response_timings.count() == 0


CONTRACT: list[Callable[[UnitOfWorkFactory], None]] = [
    check_add_then_get_round_trips,
    check_tenants_cannot_see_each_other,
    check_phone_is_unique_per_tenant_and_a_conflict_keeps_earlier_work,
    check_external_ids_are_unique_per_tenant,
    check_global_keys_slug_and_case_insensitive_email,
    check_references_into_another_tenant_are_refused,
    check_deletes_cascade_and_set_null,
    check_unit_of_work_rolls_back_unless_committed,
    check_tenant_repositories_need_a_company_group,
    check_json_and_dates_round_trip,
    check_queries_keep_their_order,
    check_update_writes_back_and_moves_updated_at,
    check_rules_only_the_database_knows_become_conflict,
]


@pytest.mark.parametrize("check", CONTRACT, ids=lambda check: check.__name__.removeprefix("check_"))
def test_the_fakes_keep_the_contract(check: Callable[[UnitOfWorkFactory], None]) -> None:
    check(FakeUnitOfWorkFactory())


# -- the fakes mirror the real schema and ports --------------------------------------------------------------
def _sql_tables() -> dict[str, str]:
    """Fake table (unit-of-work attribute) -> SQL table, read off the real unit of work's repositories."""
    with SqlAlchemyUnitOfWork(
        session_factory=Session, company_group_id=1
    ) as uow:  # an unbound session: no I/O
        return {name: getattr(uow, name).row_type.__table__.name for name in REPOSITORIES}


def test_the_fake_references_are_the_schema_foreign_keys() -> None:
    sql_tables = _sql_tables()
    fake_names = {sql: fake for fake, sql in sql_tables.items()}
    expected = set()
    for fake, sql in sql_tables.items():
        for constraint in metadata.tables[sql].constraints:
            # A key onto (id, company_group_id) is a reference within the tenant, as every fake reference is.
            columns = [key for key in getattr(constraint, "column_keys", ()) if key != "company_group_id"]
            if isinstance(constraint, ForeignKeyConstraint) and columns:
                (column,) = columns
                on_delete = (constraint.ondelete or "").lower().replace(" ", "_")
                expected.add((fake, column, fake_names[constraint.referred_table.name], on_delete))
    assert {(r.table, r.field, r.target, r.on_delete) for r in REFERENCES} == expected


def test_the_fake_unique_keys_are_the_schema_unique_constraints() -> None:
    expected: dict[str, set[frozenset[str]]] = {}
    for fake, sql in _sql_tables().items():
        table = metadata.tables[sql]
        keys = {
            frozenset(c.name for c in u.columns) for u in table.constraints if isinstance(u, UniqueConstraint)
        }
        keys |= {frozenset([c.name]) for c in table.columns if c.unique}
        keys |= {frozenset(c.name for c in i.columns) for i in table.indexes if i.unique}
        # A key that holds the primary key is unique by construction, in the fakes as in the database.
        keys = {key for key in keys if "id" not in key}
        if keys:
            expected[fake] = keys
    assert {fake: {frozenset(key) for key in keys} for fake, keys in UNIQUE_KEYS.items()} == expected
    assert set(CHECKS) <= set(REPOSITORIES)


def test_every_port_method_has_a_fake_and_every_repository_an_attribute() -> None:
    for name, kind in REPOSITORIES.items():
        port = typing.get_type_hints(getattr(UnitOfWork, name).fget)["return"]
        wanted = {member for member in dir(port) if not member.startswith("_")}
        assert wanted <= set(dir(kind)), (name, wanted - set(dir(kind)))
    attributes = {
        name
        for name, value in inspect.getmembers(UnitOfWork)
        if isinstance(value, property) and name != "company_group_id"
    }
    assert attributes == set(REPOSITORIES)
    assert attributes >= GLOBAL_TABLES


def test_stored_rows_are_copies_the_caller_cannot_change() -> None:
    factory = FakeUnitOfWorkFactory()
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        added = uow.candidates.add(candidate(cg))
        added.languages.append("fr")
        assert added.id is not None
        assert uow.candidates.get(added.id).languages == ["es", "en"]


def test_one_open_unit_of_work_at_a_time_and_commit_is_counted() -> None:
    factory = FakeUnitOfWorkFactory(FakeDatabase())
    with factory() as uow:
        with pytest.raises(RuntimeError, match="one open unit of work"), factory():
            pass
        uow.company_groups.add(CompanyGroup(name="Acme", slug="acme"))
        uow.commit()
    assert isinstance(uow, FakeUnitOfWork)
    assert uow.committed
    assert factory.commits == 1
    with pytest.raises(AttributeError):
        _ = uow.no_such_repository
