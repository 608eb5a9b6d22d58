"""The CRM sync on SQLite and PostgreSQL, below HTTP: the service, the store and the bulk loader against an
in-memory CRM. Each test states what the CRM holds and checks what Hireflow ends up holding."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.crm_sync import CrmEntity, SyncStatus
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.services.crm_sync import CrmSync
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.crm_sync import SqlAlchemySyncStore
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.clock import SystemClock
from hireflow.shared.errors import ServiceUnavailable, ValidationFailed
from tests.integration.crm_sync.memory_crm import MemoryCrm

C, J, CC, A, P = (
    CrmEntity.CANDIDATES,
    CrmEntity.JOBS,
    CrmEntity.CLIENT_COMPANIES,
    CrmEntity.APPLICATIONS,
    CrmEntity.PLACEMENTS,
)


class World:
    def __init__(self, engine: Engine) -> None:
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.uow = sqlalchemy_uow_factory(self.sessions)
        with self.uow() as uow:
            self.a = _id(uow.company_groups.add(CompanyGroup(name="A", slug="a")).id)
            self.b = _id(uow.company_groups.add(CompanyGroup(name="B", slug="b")).id)
            uow.commit()
        self.store = SqlAlchemySyncStore(self.sessions)
        self.sync = CrmSync(self.store, SystemClock())
        self.crm = MemoryCrm()

    def run(self, **options: Any) -> Any:
        return self.sync.run(self.a, self.crm, **options)

    def candidates(self, tenant: int | None = None) -> dict[str, tuple[Any, ...]]:
        """Live and deleted candidates linked to the CRM, by CRM id: (name, phone, email, skills, deleted)."""
        with self.sessions() as session:
            rows = session.execute(
                select(t.CandidateExternalId.external_id, t.Candidate)
                .join(t.Candidate, t.Candidate.id == t.CandidateExternalId.candidate_id)
                .where(t.Candidate.company_group_id == (tenant or self.a))
            ).all()
            return {
                external_id: (
                    f"{c.first_name} {c.last_name}",
                    c.phone_e164,
                    c.email,
                    c.skills,
                    c.deleted_at is not None,
                    c.id,
                )
                for external_id, c in rows
            }

    def rows(self, table: Any) -> dict[str, Any]:
        with self.sessions() as session:
            return {
                row.external_id: row
                for row in session.scalars(select(table).where(table.company_group_id == self.a))
            }

    def count(self, table: Any) -> int:
        with self.sessions() as session:
            return len(session.scalars(select(table.id)).all())


def _id(value: int | None) -> int:
    assert value is not None
    return value


@pytest.fixture
def world(engine: Engine) -> World:
    return World(engine)


def person(crm: MemoryCrm, external_id: str, first: str = "Ana", **changes: Any) -> None:
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": "Lopez",
        "phone": f"+1415555{int(external_id):04d}",
        "email": f"{first.lower()}{external_id}@example.com",
        "skills": ["forklift"],
        "city": "Oakland",
    }
    crm.put(C, external_id, **(values | changes))


def a_small_crm(crm: MemoryCrm) -> None:
    crm.put(CC, "1", name="Acme Logistics", city="Oakland")
    crm.put(
        J, "10", title="Forklift operator", client_company_ref="1", salary_min_minor=1800, salary_unit="hour"
    )
    crm.put(J, "11", title="Dispatcher", client_company_ref="1")
    for n in range(1, 8):
        person(crm, str(n), first=f"Person{n}")
    crm.put(A, "100", candidate_ref="1", job_ref="10", status="interviewing")
    crm.put(A, "101", candidate_ref="2", job_ref="11")
    crm.put(P, "200", candidate_ref="1", job_ref="10", start_date="2026-02-01", salary_minor=1900)


def test_a_first_sync_lands_every_entity_with_its_references(world: World) -> None:
    a_small_crm(world.crm)

    run = world.run()

    assert run.status is SyncStatus.SUCCEEDED
    assert run.counts.fetched == run.counts.inserted == 1 + 2 + 7 + 2 + 1
    assert run.entity_counts["candidates"].inserted == 7
    assert len(world.candidates()) == 7
    jobs, clients = world.rows(t.Job), world.rows(t.ClientCompany)
    assert jobs["10"].client_company_id == clients["1"].id
    assert (jobs["10"].salary_min_minor, jobs["10"].salary_unit, jobs["10"].source) == (
        1800,
        "hour",
        "memorycrm",
    )
    applications, placements = world.rows(t.Application), world.rows(t.Placement)
    by_crm_id = {external_id: row[5] for external_id, row in world.candidates().items()}
    assert applications["100"].candidate_id == by_crm_id["1"]
    assert (applications["100"].job_id, applications["100"].status) == (jobs["10"].id, "interviewing")
    assert placements["200"].salary_minor == 1900
    with world.uow(world.a) as uow:
        lead: Candidate = uow.candidates.get(by_crm_id["3"])
    assert (lead.source, lead.source_detail, lead.funnel_state) == ("crm", "memorycrm", "lead")


def test_a_second_sync_reads_nothing_new_and_changes_nothing(world: World) -> None:
    a_small_crm(world.crm)
    world.run()
    before = (world.candidates(), {k: v.updated_at for k, v in world.rows(t.Job).items()})

    again = world.run()

    assert again.counts.fetched == 0
    assert (again.counts.inserted, again.counts.updated, again.counts.deleted) == (0, 0, 0)
    assert (world.candidates(), {k: v.updated_at for k, v in world.rows(t.Job).items()}) == before


def test_a_full_sync_rereads_everything_and_finds_it_unchanged(world: World) -> None:
    a_small_crm(world.crm)
    world.run()

    full = world.run(full=True)

    assert full.counts.fetched == 13
    assert full.counts.unchanged == 13
    assert full.counts.inserted == full.counts.updated == 0


def test_changes_and_deletes_in_the_crm_reach_hireflow(world: World) -> None:
    a_small_crm(world.crm)
    world.run()
    person(world.crm, "3", first="Renamed", skills=["forklift", "reach truck"])
    world.crm.put(J, "11", title="Senior dispatcher", client_company_ref="1", status="on_hold")
    world.crm.put(C, "4", deleted=True, **world.crm.records[C]["4"].payload)
    world.crm.put(A, "101", deleted=True, candidate_ref="2", job_ref="11")

    run = world.run()

    assert run.counts.fetched == 4
    assert (run.counts.updated, run.counts.deleted) == (2, 2)
    candidates = world.candidates()
    assert candidates["3"][0] == "Renamed Lopez"
    assert candidates["3"][3] == ["forklift", "reach truck"]
    assert candidates["4"][4] is True  # soft-deleted, not gone
    assert world.rows(t.Job)["11"].status == "on_hold"
    assert world.rows(t.Application)["101"].deleted_at is not None


def test_a_full_sync_soft_deletes_what_the_crm_deleted_for_good(world: World) -> None:
    a_small_crm(world.crm)
    world.run()
    world.crm.remove(P, "200")
    world.crm.remove(C, "7")

    incremental = world.run()
    full = world.run(full=True)

    assert incremental.counts.deleted == 0  # an incremental read cannot see a record that is gone
    assert full.counts.deleted == 2
    assert world.rows(t.Placement)["200"].deleted_at is not None
    assert world.candidates()["7"][4] is True


def test_invalid_records_become_dead_letters_with_every_error_and_the_run_goes_on(world: World) -> None:
    a_small_crm(world.crm)
    person(world.crm, "8", first="", phone="not a phone", email="nope@")

    run = world.run()

    assert run.status is SyncStatus.PARTIAL
    assert run.counts.invalid == 1
    assert run.counts.inserted == 13
    (letter,) = world.store.dead_letters(world.a, source="memorycrm")
    assert (letter.entity, letter.external_id, letter.attempts) == (C, "8", 1)
    assert {error["field"] for error in letter.errors} >= {"phone", "first_name", "email"}
    assert letter.payload["phone"] == "not a phone"  # the raw record, as the CRM sent it


def test_a_dead_letter_loads_once_the_crm_fixes_the_record_and_is_marked_resolved(world: World) -> None:
    a_small_crm(world.crm)
    person(world.crm, "8", phone="12")
    world.run()
    person(world.crm, "8")

    run = world.run()

    assert run.status is SyncStatus.SUCCEEDED
    assert "8" in world.candidates()
    assert world.store.dead_letters(world.a) == []
    (resolved,) = world.store.dead_letters(world.a, resolved=True)
    assert resolved.external_id == "8"
    assert resolved.attempts == 2  # the retry at the start of the run failed again, then the fix loaded


def test_an_application_waits_in_the_dead_letters_for_its_candidate(world: World) -> None:
    a_small_crm(world.crm)
    person(world.crm, "9", phone="bad")
    world.crm.put(A, "102", candidate_ref="9", job_ref="10")
    first = world.run()
    waiting = {letter.external_id: letter for letter in world.store.dead_letters(world.a, entity=A)}
    assert "not in Hireflow" in waiting["102"].errors[0]["message"]
    assert first.counts.invalid == 2

    person(world.crm, "9")  # the candidate is fixed; the application itself does not change in the CRM
    second = world.run()

    assert second.status is SyncStatus.SUCCEEDED
    assert world.rows(t.Application)["102"].candidate_id == world.candidates()["9"][5]


def test_a_sync_killed_mid_run_resumes_and_ends_equal_to_the_crm(world: World) -> None:
    a_small_crm(world.crm)
    for n in range(20, 40):
        person(world.crm, str(n))
    world.crm.fail_after_pages = 4

    with pytest.raises(ServiceUnavailable):
        world.run()
    (failed,) = world.store.runs(world.a)
    assert failed.status is SyncStatus.FAILED
    assert failed.error == "ServiceUnavailable: the CRM went away"
    partial = len(world.candidates())
    world.crm.fail_after_pages = None

    resumed = world.run()

    assert 0 < partial < 27
    assert resumed.status is SyncStatus.SUCCEEDED
    assert sorted(world.candidates(), key=int) == sorted(world.crm.records[C], key=int)
    assert len(world.rows(t.Application)) == 2
    assert world.count(t.CandidateExternalId) == 27  # nothing twice


def test_a_crm_record_joins_the_candidate_hireflow_already_has_by_phone_or_email(world: World) -> None:
    with world.uow(world.a) as uow:
        by_phone = uow.candidates.add(
            Candidate(company_group_id=world.a, first_name="Ana", phone_e164="+14155550001", city="Madrid")
        )
        by_email = uow.candidates.add(
            Candidate(
                company_group_id=world.a, first_name="Bo", phone_e164="+14155559999", email="bo@example.com"
            )
        )
        uow.commit()
    person(world.crm, "1", phone="(415) 555-0001", city=None)
    person(world.crm, "2", first="Bo", email="BO@example.com")

    run = world.run(entities=[C])

    assert (run.counts.inserted, run.counts.updated) == (0, 2)
    linked = world.candidates()
    assert linked["1"][5] == by_phone.id
    assert linked["2"][5] == by_email.id
    assert linked["2"][1] == "+14155550002"  # the CRM's number wins
    with world.uow(world.a) as uow:
        assert uow.candidates.get(_id(by_phone.id)).city == "Madrid"  # an empty CRM value erases nothing
        assert uow.candidates.count() == 2


def test_the_phone_number_outranks_the_email_when_they_name_different_candidates(world: World) -> None:
    with world.uow(world.a) as uow:
        holder = uow.candidates.add(
            Candidate(company_group_id=world.a, first_name="Ana", phone_e164="+14155550001")
        )
        other = uow.candidates.add(
            Candidate(
                company_group_id=world.a,
                first_name="Bo",
                phone_e164="+14155559999",
                email="shared@example.com",
            )
        )
        uow.commit()
    person(world.crm, "1", phone="(415) 555-0001", email="shared@example.com")

    run = world.run(entities=[C])

    assert (run.counts.inserted, run.counts.updated, run.counts.invalid) == (0, 1, 0)
    assert world.candidates()["1"][5] == holder.id
    with world.uow(world.a) as uow:
        assert uow.candidates.count() == 2
        assert (
            uow.candidates.get(_id(other.id)).phone_e164 == "+14155559999"
        )  # the e-mail's owner is untouched


def test_a_crm_email_is_stored_lower_cased_and_a_later_record_finds_it(world: World) -> None:
    person(world.crm, "1", email="Ana.Lima@Example.com")
    world.run(entities=[C])
    person(world.crm, "2", email="ana.lima@example.com")

    run = world.run(entities=[C])

    assert (run.counts.inserted, run.counts.updated) == (0, 1)
    linked = world.candidates()
    assert linked["1"][2] == "ana.lima@example.com"
    assert linked["2"][5] == linked["1"][5]
    assert world.count(t.Candidate) == 1


def test_two_crm_records_with_one_phone_make_one_candidate(world: World) -> None:
    person(world.crm, "1", phone="+14155550042")
    person(world.crm, "2", first="Duplicate", phone="+1 415 555 0042")

    world.run(entities=[C])

    linked = world.candidates()
    assert linked["1"][5] == linked["2"][5]
    assert world.count(t.Candidate) == 1


def test_a_phone_another_candidate_holds_is_refused_not_stolen(world: World) -> None:
    person(world.crm, "1")
    person(world.crm, "2")
    world.run(entities=[C])
    person(world.crm, "2", phone="+14155550001")  # now candidate 1's number

    run = world.run(entities=[C])

    assert run.counts.invalid == 1
    (letter,) = world.store.dead_letters(world.a)
    assert "belongs to another candidate" in letter.errors[0]["message"]
    assert world.candidates()["2"][1] == "+14155550002"


def test_each_company_group_has_its_own_data_and_cursors(world: World) -> None:
    a_small_crm(world.crm)
    world.run()

    into_b = world.sync.run(world.b, world.crm)

    assert into_b.counts.inserted == 13  # B's cursor is its own: everything is new to B
    assert len(world.candidates(world.b)) == 7
    assert world.store.cursor(world.b, "memorycrm", C) == world.store.cursor(world.a, "memorycrm", C)


def test_asking_for_an_entity_the_crm_lacks_is_refused(world: World) -> None:
    world.crm.records.clear()

    class Narrow(MemoryCrm):
        @property
        def entities(self) -> tuple[CrmEntity, ...]:
            return (C,)

    with pytest.raises(ValidationFailed, match="memorycrm has no jobs"):
        world.sync.run(world.a, Narrow(), entities=[J])


def test_retrying_dead_letters_alone_does_not_read_the_crm(world: World) -> None:
    person(world.crm, "1", phone="bad")
    world.run(entities=[C])
    world.crm.fail_after_pages = 0  # any read now fails

    run = world.sync.retry_dead_letters(world.a, world.crm)

    assert run.counts.invalid == 1
    (letter,) = world.store.dead_letters(world.a)
    assert letter.attempts == 2


def test_every_dead_letter_is_retried_however_many_there_are(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hireflow.domain.services import crm_sync

    monkeypatch.setattr(crm_sync, "RETRY_BATCH", 2)  # five letters: three batches
    a_small_crm(world.crm)
    person(world.crm, "9", phone="bad")
    for n in range(5):
        world.crm.put(A, f"30{n}", candidate_ref="9", job_ref="10")
    world.run()
    assert len(world.store.dead_letters(world.a, entity=A)) == 5

    person(world.crm, "9")  # the candidate is fixed; the applications never change in the CRM
    run = world.run()

    assert run.status is SyncStatus.SUCCEEDED
    assert {f"30{n}" for n in range(5)} <= set(world.rows(t.Application))


def test_a_cancelled_sync_keeps_the_pages_it_read_and_the_next_run_goes_on_from_them(world: World) -> None:
    from hireflow.domain.services.crm_sync import SyncCancelled

    for n in range(1, 21):
        person(world.crm, str(n))
    asked = 0

    def stop_at_the_third_page() -> bool:
        nonlocal asked
        asked += 1
        return asked == 3

    with pytest.raises(SyncCancelled, match="cancelled during candidates"):
        world.run(entities=[C], should_stop=stop_at_the_third_page)

    assert sorted(world.candidates(), key=int) == [str(n) for n in range(1, 7)]  # two pages of 3
    assert world.store.cursor(world.a, world.crm.name, C).external_id == "6"
    resumed = world.run(entities=[C])
    assert resumed.counts.fetched == 14
    assert sorted(world.candidates(), key=int) == [str(n) for n in range(1, 21)]
