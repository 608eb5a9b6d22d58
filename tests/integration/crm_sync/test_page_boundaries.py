"""Where a CRM's pages begin and end changes nothing: loading records a page at a time and all in one page leave
Hireflow in the same state, on SQLite and PostgreSQL.

Records loaded one per page are the reference (each sees every earlier record already in the database); one
batch of all of them must match it. Hypothesis draws small CRMs whose records collide on a few phone numbers and
e-mails, over candidates Hireflow already has (some deleted, some merged away), and changes some records in a
second run; the examples pin the cases that once differed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.crm_sync import CrmEntity
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.services.crm_sync import CrmSync
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.crm_sync import SqlAlchemySyncStore
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.clock import SystemClock
from tests.integration.crm_sync.memory_crm import MemoryCrm

C = CrmEntity.CANDIDATES
PHONES = [f"+1415555000{n}" for n in range(1, 5)]
EMAILS = [None, "ana@example.com", "bea@example.com", "Ana@Example.com"]  # the last is the first, in capitals
NAMES = ["Ana", "Bea", "Cy"]
CITIES = [None, "Oakland", "Lyon"]
_slugs = itertools.count()


@dataclass(frozen=True)
class Seed:
    """A candidate Hireflow has before the first sync."""

    phone: int
    email: str | None
    deleted: bool
    merged_into: int | None  # index of the seed it was merged into


@dataclass(frozen=True)
class Record:
    external_id: str
    first_name: str
    phone: int
    email: str | None
    city: str | None

    def payload(self) -> dict[str, Any]:
        return {
            "first_name": self.first_name,
            "last_name": "Lopez",
            "phone": PHONES[self.phone],
            "email": self.email,
            "city": self.city,
        }


@st.composite
def seeds(draw: st.DrawFn) -> list[Seed]:
    phones = draw(st.lists(st.integers(0, len(PHONES) - 1), unique=True, max_size=3))
    merges: list[int | None] = [
        draw(st.none() | st.sampled_from([other for other in range(len(phones)) if other != index]))
        if len(phones) > 1
        else None
        for index in range(len(phones))
    ]
    # A kept candidate is never itself merged away; a merged-away one is deleted, as a merge leaves it.
    kept = [None if into is not None and merges[into] is not None else into for into in merges]
    return [
        Seed(
            phone,
            draw(st.sampled_from(EMAILS)),
            deleted=into is not None or draw(st.booleans()),
            merged_into=into,
        )
        for phone, into in zip(phones, kept, strict=True)
    ]


def records(ids: list[str]) -> st.SearchStrategy[list[Record]]:
    return st.tuples(
        *(
            st.builds(
                Record,
                st.just(external_id),
                st.sampled_from(NAMES),
                st.integers(0, len(PHONES) - 1),
                st.sampled_from(EMAILS),
                st.sampled_from(CITIES),
            )
            for external_id in ids
        )
    ).map(list)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Record], list[Record]]:
    """A first run's records and the changes a second run reads (some of the same records, some new)."""
    first = draw(records([str(n) for n in range(1, draw(st.integers(1, 7)) + 1)]))
    changed = draw(st.lists(st.integers(1, len(first) + 2), unique=True, max_size=5))
    return first, draw(records([str(n) for n in changed]))


class Tenant:
    """One company group, synced from a CRM read in pages of ``page_size``."""

    def __init__(self, engine: Engine, seeded: list[Seed], page_size: int) -> None:
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.uow = sqlalchemy_uow_factory(self.sessions)
        self.page_size = page_size
        with self.uow() as uow:
            group = uow.company_groups.add(CompanyGroup(name="T", slug=f"t{next(_slugs)}"))
            uow.commit()
        assert group.id is not None
        self.id: int = group.id
        self.seed_ids: dict[int, str] = {}
        with self.uow(self.id) as uow:
            for index, seed in enumerate(seeded):
                candidate = uow.candidates.add(
                    Candidate(
                        company_group_id=self.id,
                        first_name=f"Seed{index}",
                        phone_e164=PHONES[seed.phone],
                        email=seed.email,
                    )
                )
                assert candidate.id is not None
                self.seed_ids[candidate.id] = f"seed{index}"
            uow.commit()
        ids = {label: candidate_id for candidate_id, label in self.seed_ids.items()}
        with self.sessions.begin() as session:
            for index, seed in enumerate(seeded):
                row = session.get_one(t.Candidate, ids[f"seed{index}"])
                if seed.merged_into is not None:
                    row.merged_into_id = ids[f"seed{seed.merged_into}"]
                if seed.deleted:
                    row.deleted_at = datetime(2026, 1, 1, tzinfo=UTC)
        self.sync = CrmSync(SqlAlchemySyncStore(self.sessions), SystemClock())

    def run(self, crm: MemoryCrm) -> tuple[int, ...]:
        crm.page_size = self.page_size
        counts = self.sync.run(self.id, crm, entities=[C]).counts
        return counts.fetched, counts.inserted, counts.updated, counts.unchanged, counts.invalid

    def state(self) -> dict[str, Any]:
        """Hireflow's candidates, links and dead letters, with new candidates named by their first CRM record
        (ids differ between tenants)."""
        with self.sessions() as session:
            links = session.execute(
                select(t.CandidateExternalId.external_id, t.CandidateExternalId.candidate_id).where(
                    t.CandidateExternalId.company_group_id == self.id
                )
            ).all()
            names = dict(self.seed_ids)
            for external_id, candidate_id in sorted(links, key=lambda link: int(link[0])):
                names.setdefault(candidate_id, f"crm{external_id}")
            candidates = {
                names.get(c.id, f"unlinked {c.first_name}"): (
                    c.first_name,
                    c.phone_e164,
                    c.email,
                    c.city,
                    c.deleted_at is not None,
                    names.get(c.merged_into_id) if c.merged_into_id else None,
                )
                for c in session.scalars(select(t.Candidate).where(t.Candidate.company_group_id == self.id))
            }
            letters = {
                (letter.external_id, letter.errors[0]["message"], letter.resolved_at is None)
                for letter in session.scalars(
                    select(t.DeadLetter).where(t.DeadLetter.company_group_id == self.id)
                )
            }
        return {
            "links": {external_id: names[candidate_id] for external_id, candidate_id in links},
            "candidates": candidates,
            "dead letters": letters,
        }


def _load(crm: MemoryCrm, batch: list[Record]) -> None:
    for record in batch:
        crm.put(C, record.external_id, **record.payload())


def _same_outcome(engine: Engine, seeded: list[Seed], history: tuple[list[Record], list[Record]]) -> None:
    one_by_one, all_at_once = Tenant(engine, seeded, page_size=1), Tenant(engine, seeded, page_size=100)
    crm = MemoryCrm()
    for batch in history:
        _load(crm, batch)
        assert one_by_one.run(crm) == all_at_once.run(crm)
        assert one_by_one.state() == all_at_once.state()


R = Record


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seeded=seeds(), history=histories())
# Two records with one e-mail and different numbers, in one page: one candidate, as across pages.
@example(
    seeded=[],
    history=([R("1", "Ana", 0, "ana@example.com", None), R("2", "Bea", 1, "Ana@Example.com", None)], []),
)
# Two records with one number: the later one's values win, as across pages.
@example(seeded=[], history=([R("1", "Ana", 0, None, "Oakland"), R("2", "Bea", 0, None, None)], []))
# A number a candidate gives up in the batch is free for a later record of it.
@example(
    seeded=[Seed(0, "ana@example.com", deleted=False, merged_into=None)],
    history=([R("1", "Ana", 1, "ana@example.com", None), R("2", "Bea", 0, None, None)], []),
)
# A linked candidate's old number goes to a new candidate of the same batch.
@example(
    seeded=[],
    history=([R("1", "Ana", 0, None, None)], [R("1", "Ana", 1, None, None), R("2", "Bea", 0, None, None)]),
)
# Two linked candidates swap numbers through a free one: the updates need the numbers parked first.
@example(
    seeded=[],
    history=(
        [R("1", "Ana", 0, None, None), R("2", "Bea", 1, None, None), R("3", "Ana", 0, None, None)],
        [R("1", "Ana", 2, None, None), R("2", "Bea", 0, None, None), R("3", "Ana", 1, None, None)],
    ),
)
# A deleted candidate brought back by its number becomes the e-mail match of a later record.
@example(
    seeded=[Seed(0, "bea@example.com", deleted=True, merged_into=None)],
    history=([R("1", "Ana", 0, None, None), R("2", "Bea", 1, "bea@example.com", None)], []),
)
def test_pages_of_one_and_one_page_of_all_end_the_same(
    engine: Engine, seeded: list[Seed], history: tuple[list[Record], list[Record]]
) -> None:
    _same_outcome(engine, seeded, history)
