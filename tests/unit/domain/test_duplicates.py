"""Finding likely duplicate candidates without comparing every pair, and merging them without losing a row."""

from __future__ import annotations

import random
import string
from datetime import timedelta
from typing import Any

import pytest

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.screening import QuestionSet, ScreeningQuestion
from hireflow.domain.services import duplicates as duplicates_module
from hireflow.domain.services.candidate_merge import CANDIDATE_TABLES
from hireflow.domain.services.duplicates import Duplicates, distance_km, duplicate_groups, normalise_name
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from tests.builders import T0, candidate, location, new_tenant, role
from tests.candidate_rows import CHILD_TABLES, check_reassign_is_all_or_nothing, populate, reachable
from tests.unit.fakes import FakeDatabase, FakeUnitOfWorkFactory


@pytest.fixture
def factory() -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory(FakeDatabase(FixedClock(T0)))


@pytest.fixture
def service(factory: FakeUnitOfWorkFactory) -> Duplicates:
    return Duplicates(factory, FixedClock(T0 + timedelta(days=1)))


def add(factory: FakeUnitOfWorkFactory, cg: int, phone: str, **fields: Any) -> int:
    values: dict[str, Any] = {"email": None, "city": None} | fields
    with factory(cg) as uow:
        person = uow.candidates.add(candidate(cg, phone=phone, **values))
        uow.commit()
    assert person.id is not None
    return person.id


def test_names_are_normalised_for_matching() -> None:
    assert normalise_name("  José   LÓPEZ-García ") == "jose lopez garcia"
    assert normalise_name("Ana_María O'Neil") == "ana maria o neil"
    assert round(distance_km((40.4168, -3.7038), (40.4268, -3.7038)), 2) == 1.11


def test_same_email_or_a_near_identical_name_in_the_same_place_are_duplicates(
    service: Duplicates, factory: FakeUnitOfWorkFactory
) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        site = uow.locations.add(location(cg))
        uow.commit()
    a = add(factory, cg, "+15555550100", email="ana@example.com")
    b = add(factory, cg, "+15555550101", first_name="Someone", last_name="Else", email="ANA@example.com")
    c = add(factory, cg, "+15555550102", first_name="José", last_name="Hernández", city="Madrid")
    d = add(factory, cg, "+15555550103", first_name="jose", last_name="HERNANDES ", city=" madrid")
    e = add(factory, cg, "+15555550104", first_name="Maria Luisa", last_name="Gomez", location_id=site.id)
    f = add(factory, cg, "+15555550105", first_name="Gomez", last_name="Maria Luisa", location_id=site.id)
    g = add(
        factory, cg, "+15555550106", first_name="Pedro", last_name="Sanz", latitude=40.0199, longitude=-3.7
    )
    h = add(
        factory, cg, "+15555550107", first_name="Pedro", last_name="Sanz", latitude=40.0201, longitude=-3.7
    )
    add(
        factory, cg, "+15555550108", first_name="Pedro", last_name="Sanz", latitude=40.2, longitude=-3.7
    )  # 20 km
    add(factory, cg, "+15555550109", first_name="José", last_name="Hernández", city="Sevilla")  # elsewhere
    groups = {group.candidate_ids: group for group in service.find(cg)}
    assert set(groups) == {(a, b), (c, d), (e, f), (g, h)}
    assert groups[(a, b)].reasons == ("same email",)
    assert groups[(a, b)].score == 0.9
    assert groups[(c, d)].reasons[0].startswith("similar name (0.9")
    assert "same city" in groups[(c, d)].reasons
    assert groups[(e, f)].reasons == ("same name", "same location")
    assert groups[(g, h)].reasons == ("same name", "0.0 km apart")  # either side of a grid-cell border
    assert [group.score for group in service.find(cg)] == sorted(
        (group.score for group in groups.values()), reverse=True
    )


def test_pairs_chain_into_groups_and_deleted_or_merged_candidates_are_left_out(
    service: Duplicates, factory: FakeUnitOfWorkFactory
) -> None:
    cg = new_tenant(factory, "acme")
    a = add(factory, cg, "+15555550100", email="ana@example.com", city="Madrid")
    b = add(factory, cg, "+15555550101", email="ana@example.com", first_name="Anna", city="Madrid")
    c = add(factory, cg, "+15555550102", first_name="Anna", city="Madrid")
    add(factory, cg, "+15555550103", email="ana@example.com", deleted_at=T0)
    add(factory, cg, "+15555550104", email="ana@example.com", merged_into_id=a)
    (group,) = service.find(cg)
    assert group.candidate_ids == (a, b, c)
    assert [(p.first_id, p.second_id) for p in group.pairs] == [(a, b), (a, c), (b, c)]
    both = next(p for p in group.pairs if (p.first_id, p.second_id) == (a, b))
    assert both.score > 0.98  # email and name agree
    assert set(group.reasons) >= {"same email", "same city"}


def test_finding_compares_only_candidates_that_share_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    people = []
    for n in range(5000):
        first, last = ("".join(rng.choices(string.ascii_lowercase, k=6)).title() for _ in range(2))
        person = candidate(
            1, phone=f"+1555{n:07d}", first_name=first, last_name=last, email=None, city="Madrid"
        )
        people.append(person.model_copy(update={"id": n + 1}))
    twins = [
        candidate(1, phone=f"+1666555000{n}", first_name="Twin", last_name="Person", city="Madrid")
        for n in (0, 1)
    ]
    people += [twin.model_copy(update={"id": 9000 + n}) for n, twin in enumerate(twins)]
    compared = []
    original = duplicates_module._compare

    def counting(a: Any, b: Any) -> Any:
        compared.append((a.id, b.id))
        return original(a, b)

    monkeypatch.setattr(duplicates_module, "_compare", counting)
    groups = duplicate_groups(people)
    assert [group.candidate_ids for group in groups] == [(9000, 9001)]
    assert len(compared) < len(people) * 5  # every pair would be about 12.5 million


# -- merging -------------------------------------------------------------------------------------------------
def test_the_fakes_reassign_rows_all_or_nothing_like_the_databases() -> None:
    check_reassign_is_all_or_nothing(FakeUnitOfWorkFactory())


@pytest.fixture
def merge_world(factory: FakeUnitOfWorkFactory) -> dict[str, Any]:
    """Two fully populated candidates of the same person; the duplicate's rows are a day newer."""
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        job = uow.roles.add(role(cg))
        qset = uow.question_sets.add(QuestionSet(company_group_id=cg, name="Intake"))
        questions = [
            uow.screening_questions.add(
                ScreeningQuestion(
                    company_group_id=cg,
                    question_set_id=qset.id,
                    position=n,
                    key=f"q{n}",
                    kind="free_text",
                    prompt="?",
                )
            )
            for n in range(2)
        ]
        keep = uow.candidates.add(candidate(cg, email=None, city=None, funnel_state=FunnelState.SCREENING))
        dup = uow.candidates.add(
            candidate(
                cg, phone="+15555550101", city="Madrid", latitude=40.4, longitude=-3.7, experience_months=12
            )
        )
        assert keep.id is not None
        assert dup.id is not None
        q_ids = [q.id for q in questions]
        keep_rows = populate(uow, keep.id, role_id=job.id, question_ids=q_ids[:1], tag="keep", at=T0)
        dup_rows = populate(
            uow, dup.id, role_id=job.id, question_ids=q_ids, tag="dup", at=T0 + timedelta(days=1)
        )
        uow.commit()
    return {
        "cg": cg,
        "keep": keep.id,
        "dup": dup.id,
        "keep_rows": keep_rows,
        "dup_rows": dup_rows,
        "q": q_ids,
    }


def test_a_merge_moves_every_row_and_loses_nothing(
    service: Duplicates, factory: FakeUnitOfWorkFactory, merge_world: dict[str, Any]
) -> None:
    cg, keep, dup = merge_world["cg"], merge_world["keep"], merge_world["dup"]
    report = service.merge(cg, keep, [dup], actor="recruiter:7")
    superseded = {(s["table"], s["id"]) for s in report.superseded}
    # The kept candidate's answer, timing and onboarding response were older: the duplicate's replace them.
    assert superseded == {
        ("screening_answers", merge_world["keep_rows"]["screening_answers"][0]),
        ("response_timings", merge_world["keep_rows"]["response_timings"][0]),
        ("onboarding_responses", merge_world["keep_rows"]["onboarding_responses"][0]),
    }
    with factory(cg) as uow:
        rows = reachable(uow, keep)
        kept = uow.candidates.get(keep)
        merged = uow.candidates.get(dup)
        log = uow.funnel_log.for_candidate(keep)
    for table in (*CANDIDATE_TABLES, *CHILD_TABLES):
        expected = set(merge_world["keep_rows"][table]) | set(merge_world["dup_rows"][table])
        missing = expected - rows[table] - {i for t, i in superseded if t == table}
        assert not missing, (table, missing)
    assert report.moved["screening_answers"] == 2
    assert report.moved["funnel_log"] == 1
    entry = log[-1]
    assert entry.id == report.log_entry_id
    assert not entry.applied
    assert entry.from_state == entry.to_state == FunnelState.SCREENING
    assert entry.actor == "recruiter:7"
    kept_values = {s["value"] for s in entry.details["merge"]["superseded"] if "value" in s}
    assert kept_values == {"keep answer", "keep M"}  # the replaced values live on in the log
    assert entry.details["merge"]["duplicates"][0]["phone_e164"] == "+15555550101"
    assert kept.email == "ana.lopez@example.com"
    assert (kept.city, kept.latitude, kept.longitude, kept.experience_months) == ("Madrid", 40.4, -3.7, 12)
    assert report.filled["city"] == dup
    assert kept.funnel_state is FunnelState.SCREENING
    assert merged.merged_into_id == keep
    assert merged.deleted_at == T0 + timedelta(days=1)
    assert service.find(cg) == []


def test_a_merge_repoints_earlier_merges_and_keeps_the_newer_kept_answer(
    service: Duplicates, factory: FakeUnitOfWorkFactory, merge_world: dict[str, Any]
) -> None:
    cg, keep, dup = merge_world["cg"], merge_world["keep"], merge_world["dup"]
    older = add(factory, cg, "+15555550199", merged_into_id=dup, deleted_at=T0)
    third = add(factory, cg, "+15555550198")
    with factory(cg) as uow:
        uow.onboarding_responses.add(
            uow.onboarding_responses.for_candidate(dup)[0].model_copy(
                update={
                    "id": None,
                    "candidate_id": third,
                    "value": "third L",
                    "submitted_at": T0 - timedelta(days=9),
                }
            )
        )
        uow.commit()
    report = service.merge(cg, keep, [dup, third])
    assert report.repointed == (older,)
    assert ("onboarding_responses", "third L") in {(s["table"], s.get("value")) for s in report.superseded}
    with factory(cg) as uow:
        assert uow.candidates.get(older).merged_into_id == keep
        assert [r.value for r in uow.onboarding_responses.for_candidate(keep)] == ["dup M"]


def test_bad_merges_are_refused_and_write_nothing(
    service: Duplicates, factory: FakeUnitOfWorkFactory, merge_world: dict[str, Any]
) -> None:
    cg, keep, dup = merge_world["cg"], merge_world["keep"], merge_world["dup"]
    gone = add(factory, cg, "+15555550150", deleted_at=T0)
    merged = add(factory, cg, "+15555550151", merged_into_id=dup)
    other = new_tenant(factory, "globex")
    before = factory.db.stored_rows()
    for ids, error in (([], ValidationFailed), ([dup, dup], ValidationFailed), ([keep], ValidationFailed)):
        with pytest.raises(error):
            service.merge(cg, keep, ids)
    with pytest.raises(NotFound):
        service.merge(cg, keep, [dup, 999])
    with pytest.raises(NotFound):  # deleted: as every use case answers
        service.merge(cg, keep, [dup, gone])
    with pytest.raises(Conflict, match="merged into"):
        service.merge(cg, keep, [merged])
    with pytest.raises(NotFound):
        service.merge(other, keep, [dup])
    assert factory.db.stored_rows() == before
