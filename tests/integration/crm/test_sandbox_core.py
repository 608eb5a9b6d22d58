"""The sandboxes' shared core: data generation, defects, fault plans, the record store, the control API."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import EmailStr, TypeAdapter, ValidationError

from hireflow.infra.crm.sandbox import EntityKind, FaultKind, FaultPlan, SandboxConfig, parse_faults
from hireflow.infra.crm.sandbox.bullhorn import create_bullhorn_sandbox
from hireflow.infra.crm.sandbox.criteria import Criteria, SortKey, sort_key
from hireflow.infra.crm.sandbox.defects import DEFECTS, defect_of
from hireflow.infra.crm.sandbox.generator import RecordFactory
from hireflow.infra.crm.sandbox.hubspot import create_hubspot_sandbox
from hireflow.infra.crm.sandbox.occupations import OCCUPATIONS
from hireflow.infra.crm.sandbox.records import Candidate
from hireflow.infra.crm.sandbox.runner import running_sandbox
from hireflow.infra.crm.sandbox.salesforce import create_salesforce_sandbox
from hireflow.infra.crm.sandbox.statuses import VALID_VALUES
from hireflow.infra.crm.sandbox.store import MutationRequest, RecordStore
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.ids import normalize_phone

EMAIL = TypeAdapter(EmailStr)
YEAR_MS = 365 * 86_400_000


def _valid_email(text: str | None) -> bool:
    try:
        EMAIL.validate_python(text)
    except ValidationError:
        return False
    return True


def _valid_phone(text: str | None, country: str) -> bool:
    try:
        normalize_phone(text or "", country)
    except ValidationFailed:
        return False
    return True


# -- fault plans -------------------------------------------------------------------------------------------------
def test_fault_specs_parse_and_print_back() -> None:
    plan = parse_faults(
        [
            "429:every=10:retry_after=2:policy=ten_secondly_rolling",
            "500:rate=0.05, slow:every=7:delay=1.5",  # several specs in one string
            "timeout:every=9",
            "malformed:rate=0",
            "malformed-json:every=4",
            "token-expiry:after=50",
            "503:every=3",
        ]
    )
    assert plan.malformed_rate == 0
    assert plan.token_uses == 50
    assert plan.specs() == [
        "malformed:rate=0",
        "429:every=10:retry_after=2:policy=TEN_SECONDLY_ROLLING",
        "500:rate=0.05",
        "slow:every=7:delay=1.5",
        "timeout:every=9:delay=30",
        "malformed-json:every=4",
        "token-expiry:after=50",
        "503:every=3:retry_after=1",
    ]
    assert parse_faults(plan.specs()) == plan
    assert FaultPlan().malformed_rate == 0.01
    assert FaultPlan().specs() == ["malformed:rate=0.01"]


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("418:every=2", "unknown fault kind '418'"),
        ("429", "429 needs every=N or rate=R"),
        ("429:every=0", "every must be at least 1"),
        ("500:every=often", "every must be an integer, not 'often'"),
        ("500:every=2:rate=0.1", "give every=N or rate=R, not both"),
        ("slow:every=2:pause=1", "unknown option 'pause' for slow; allowed: delay, every, rate"),
        ("malformed:rate=1.5", "rate must be between 0 and 1"),
        ("token-expiry:every=3", "unknown option 'every' for token-expiry"),
        ("token-expiry", "token-expiry needs after=N"),
        ("429:every", "'every' is not key=value"),
        ("429:every=5:policy=HOURLY", "policy must be one of SECONDLY, TEN_SECONDLY_ROLLING"),
    ],
)
def test_bad_fault_specs_say_what_is_wrong(spec: str, reason: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_faults([spec])
    assert f"bad fault spec '{spec}': {reason}" in caught.value.detail
    assert "e.g. 429:every=10:retry_after=2" in caught.value.detail


def test_faults_follow_the_request_counter_not_the_clock() -> None:
    plan = parse_faults(["429:every=3", "500:every=2"])
    kinds = [rule.kind if (rule := plan.request_fault(n, seed=1)) else None for n in range(1, 7)]
    # The first rule that fires wins: request 6 is a multiple of both.
    assert kinds == [
        None,
        FaultKind.SERVER_ERROR,
        FaultKind.RATE_LIMIT,
        FaultKind.SERVER_ERROR,
        None,
        FaultKind.RATE_LIMIT,
    ]
    rated = parse_faults(["500:rate=0.25"])
    hits = [rated.request_fault(n, seed=7) is not None for n in range(1, 4001)]
    assert hits == [rated.request_fault(n, seed=7) is not None for n in range(1, 4001)]
    assert 0.2 < sum(hits) / len(hits) < 0.3
    assert hits != [rated.request_fault(n, seed=8) is not None for n in range(1, 4001)]


# -- generated data --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def factory() -> RecordFactory:
    return RecordFactory(SandboxConfig(records=4000, seed=42))


def test_the_same_seed_generates_the_same_records_and_another_seed_others(factory: RecordFactory) -> None:
    again = RecordFactory(SandboxConfig(records=4000, seed=42))
    other = RecordFactory(SandboxConfig(records=4000, seed=43))
    for kind in EntityKind:
        assert [factory.make(kind, i) for i in range(1, 60)] == [again.make(kind, i) for i in range(1, 60)]
        assert [factory.make(kind, i) for i in range(1, 60)] != [other.make(kind, i) for i in range(1, 60)]


def test_valid_candidates_look_real(factory: RecordFactory) -> None:
    candidates = [factory.candidate(i) for i in range(1, 4001)]
    valid = [c for c in candidates if c.defect is None]
    skills = {occupation.title: set(occupation.skills) for occupation in OCCUPATIONS}
    units = {occupation.title: occupation.unit for occupation in OCCUPATIONS}
    for candidate in valid:
        assert candidate.first_name
        assert candidate.last_name
        assert _valid_email(candidate.email), candidate.email
        assert _valid_phone(candidate.phone, candidate.country), candidate.phone
        assert candidate.mobile is None or _valid_phone(candidate.mobile, candidate.country)
        assert set(candidate.skills) <= skills[candidate.occupation]
        assert 3 <= len(candidate.skills) <= 6
        assert candidate.pay_unit == units[candidate.occupation]
        assert candidate.status in VALID_VALUES["candidate.status"]
        assert candidate.added <= candidate.modified
    phones = [normalize_phone(c.phone or "", c.country) for c in valid]
    assert len(set(phones)) == len(phones), (
        "phone numbers are unique (Hireflow's candidates are keyed by them)"
    )
    assert len({c.occupation for c in valid}) >= 40
    assert len({c.city for c in valid}) >= 50
    assert {c.country for c in valid} == {"US", "GB", "CA"}
    assert {c.pay_unit for c in valid} == {"year", "hour"}
    styles = {_phone_style(c.phone or "") for c in valid}
    assert {"(415) 555-0134", "415.555.0134", "+1 415 555 0134"} <= styles
    assert any(not c.first_name.isascii() for c in valid if c.first_name)


def _phone_style(phone: str) -> str:
    """The phone's format with every digit after the country code replaced, e.g. ``(415) 555-0134``."""
    digits = iter("41555501340000")
    prefix = "+1 " if phone.startswith("+1 ") else ""
    body = phone[len(prefix) :]
    return prefix + "".join(next(digits) if ch.isdigit() else ch for ch in body)


def test_about_one_percent_of_records_are_malformed_in_ways_validators_catch(factory: RecordFactory) -> None:
    candidates = [factory.candidate(i) for i in range(1, 4001)]
    malformed = [c for c in candidates if c.defect is not None]
    assert 20 <= len(malformed) <= 70
    assert {c.defect for c in malformed} == set(DEFECTS[EntityKind.CANDIDATE])
    for candidate in malformed:
        assert candidate.defect == defect_of(42, EntityKind.CANDIDATE, candidate.id, 0.01)
        assert _caught(candidate), candidate
    assert all(_caught(c) is False for c in candidates if c.defect is None)
    jobs = [factory.job(i) for i in range(1, 201)]
    assert all(j.title for j in jobs if j.defect is None)


def _caught(candidate: Candidate) -> bool:
    """What a validator of the sync would find wrong with a candidate."""
    return (
        not _valid_email(candidate.email)
        or not _valid_phone(candidate.phone, candidate.country)
        or not candidate.last_name
        or not 1900 <= 1970 + candidate.added // YEAR_MS <= 2100
        or candidate.status not in VALID_VALUES["candidate.status"]
    )


def test_the_malformed_share_is_configurable_down_to_none() -> None:
    none = RecordFactory(SandboxConfig(records=3000, faults=parse_faults(["malformed:rate=0"])))
    assert all(none.candidate(i).defect is None for i in range(1, 3001))
    many = RecordFactory(SandboxConfig(records=3000, faults=parse_faults(["malformed:rate=0.2"])))
    assert 500 < sum(many.candidate(i).defect is not None for i in range(1, 3001)) < 700


def test_base_modification_times_never_decrease_and_tie_on_purpose(factory: RecordFactory) -> None:
    for kind in EntityKind:
        timeline = factory.timelines[kind]
        stamps = [timeline.modified(i) for i in range(1, timeline.count + 1)]
        assert stamps == sorted(stamps)
        assert len(set(stamps)) < len(stamps), f"{kind}: no ties"
        assert timeline.first_at_or_after(stamps[len(stamps) // 2]) <= len(stamps) // 2 + 1


def test_relations_point_at_existing_records(factory: RecordFactory) -> None:
    counts = factory.counts
    for i in range(1, 200):
        job = factory.job(i)
        assert 1 <= job.company_id <= counts[EntityKind.COMPANY]
        assert (
            job.company_name == factory.company(job.company_id).name or factory.company(job.company_id).defect
        )
        submission = factory.submission(i)
        if submission.defect != "dangling-reference":
            assert 1 <= submission.candidate_id <= counts[EntityKind.CANDIDATE]
            assert 1 <= submission.job_id <= counts[EntityKind.JOB]
    for i in range(1, counts[EntityKind.PLACEMENT] + 1):
        placement = factory.placement(i)
        if placement.defect is None:
            assert placement.pay_minor == factory.job(placement.job_id).pay_minor


# -- the store -------------------------------------------------------------------------------------------------
def test_views_agree_with_brute_force_after_mutations() -> None:
    rng = random.Random(5)
    for records in (5, 60, 400):
        store = RecordStore(SandboxConfig(records=records, seed=rng.randrange(100)))
        kind = EntityKind.CANDIDATE
        for _ in range(3):
            request = MutationRequest(*(rng.randrange(0, 15) for _ in range(4)))
            store.mutate(kind, request, hard_delete=rng.random() < 0.5)
        table = store.tables[kind]
        everything = [r for i in range(1, table.next_id) if (r := table.get(i)) is not None]
        stamps = sorted(r.modified for r in everything)
        for _ in range(25):
            query = tuple(_random_criteria(rng, stamps, table.next_id) for _ in range(rng.randint(1, 3)))
            for key in SortKey:
                expected = sorted(
                    (r for r in everything if any(c.admits(r) for c in query)), key=lambda r: sort_key(r, key)
                )
                view = store.view(kind, query, key)
                assert view.total == len(expected)
                start, count = rng.randrange(len(expected) + 1), rng.randint(1, 30)
                assert [r.id for r in view.page(start, count)] == [
                    r.id for r in expected[start : start + count]
                ]
                backwards = expected[::-1][start : start + count]
                assert [r.id for r in view.page(start, count, descending=True)] == [r.id for r in backwards]
                if expected:
                    pivot = rng.randrange(len(expected))
                    after = view.after(sort_key(expected[pivot], key), 10)
                    assert [r.id for r in after] == [r.id for r in expected[pivot + 1 : pivot + 11]]


def _random_criteria(rng: random.Random, stamps: list[int], next_id: int) -> Criteria:
    criteria = Criteria()
    if rng.random() < 0.5:
        criteria = criteria.restrict("modified", rng.choice([">", ">=", "<", "<=", "="]), rng.choice(stamps))
    if rng.random() < 0.5:
        criteria = criteria.restrict("id", rng.choice([">", ">=", "<", "<="]), rng.randrange(next_id + 1))
    if rng.random() < 0.3:
        criteria = criteria.restrict("deleted", "=", rng.random() < 0.5)
    return criteria


def test_a_million_records_cost_nothing_until_read() -> None:
    store = RecordStore(SandboxConfig(records=1_000_000))
    view = store.view(EntityKind.CANDIDATE, (Criteria(),), SortKey.MODIFIED)
    assert view.total == 1_000_000
    page = view.page(500_000, 2000)
    assert [r.id for r in page] == list(range(500_001, 502_001))
    result = store.mutate(
        EntityKind.CANDIDATE, MutationRequest(modify=5, delete=5, create=5), hard_delete=False
    )
    assert result.created == [1_000_001, 1_000_002, 1_000_003, 1_000_004, 1_000_005]
    assert len(store.tables[EntityKind.CANDIDATE].overrides) == 15


# -- the runner and the control API, on every sandbox ----------------------------------------------------------
Factory = Callable[[SandboxConfig], FastAPI]
SANDBOXES: list[tuple[str, Factory, str]] = [
    ("bullhorn", create_bullhorn_sandbox, "Candidate"),
    ("hubspot", create_hubspot_sandbox, "contacts"),
    ("salesforce", create_salesforce_sandbox, "Contact"),
]


@pytest.fixture(params=SANDBOXES, ids=[name for name, _, _ in SANDBOXES])
def sandbox(request: pytest.FixtureRequest) -> Iterator[tuple[httpx.Client, str]]:
    _, create, entity = request.param
    with (
        running_sandbox(create(SandboxConfig(records=300, seed=3))) as base,
        httpx.Client(base_url=base) as client,
    ):
        yield client, entity


def test_running_sandbox_serves_on_a_free_port_and_stops_cleanly() -> None:
    before = threading.active_count()
    with (
        running_sandbox(create_hubspot_sandbox(SandboxConfig(records=10))) as first,
        running_sandbox(create_hubspot_sandbox(SandboxConfig(records=10))) as second,
    ):
        assert first != second
        assert first.startswith("http://127.0.0.1:")
        assert httpx.get(f"{second}/_sandbox/stats").status_code == 200
    assert threading.active_count() == before
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{first}/_sandbox/stats", timeout=1)


def test_mutations_are_deterministic_and_the_truth_endpoints_follow_them(
    sandbox: tuple[httpx.Client, str],
) -> None:
    client, entity = sandbox
    result = client.post(
        "/_sandbox/mutate", json={"entity": entity, "modify": 4, "delete": 3, "create": 2, "anonymize": 1}
    ).json()
    assert [len(result[k]) for k in ("modified", "deleted", "created", "anonymized")] == [4, 3, 2, 1]
    assert len({*result["modified"], *result["deleted"], *result["anonymized"]}) == 8
    ids = client.get(f"/_sandbox/ids/{entity}").json()
    assert sorted(map(str, ids["deleted"])) == sorted(map(str, result["deleted"]))
    assert len(ids["live"]) == 300 + 2 - 3
    assert not set(map(str, ids["live"])) & set(map(str, ids["deleted"]))
    deleted = client.get(f"/_sandbox/records/{entity}/{result['deleted'][0]}").json()
    assert deleted["state"] == "deleted"
    anonymized = client.get(f"/_sandbox/records/{entity}/{result['anonymized'][0]}").json()
    assert anonymized["state"] == "live"
    assert anonymized["invalid"] is None
    created = client.get(f"/_sandbox/records/{entity}/{result['created'][0]}").json()
    assert created["state"] == "live"
    assert created["record"]
    assert client.get(f"/_sandbox/records/{entity}/999999").status_code == 404
    assert client.get("/_sandbox/records/Nope/1").status_code == 404


def test_two_sandboxes_with_one_seed_choose_the_same_records_to_change() -> None:
    def mutate() -> dict[str, Any]:
        with running_sandbox(create_bullhorn_sandbox(SandboxConfig(records=500, seed=9))) as base:
            return httpx.post(
                f"{base}/_sandbox/mutate", json={"entity": "JobSubmission", "modify": 5, "delete": 5}
            ).json()

    assert mutate() == mutate()


def test_stats_count_requests_faults_and_tokens(sandbox: tuple[httpx.Client, str]) -> None:
    client, entity = sandbox
    stats = client.get("/_sandbox/stats").json()
    assert stats["requests"] == 1
    assert stats["faults"] == {}
    assert stats["records"][entity] == 300
    assert stats["faults_planned"] == ["malformed:rate=0.01"]


def test_the_fault_plan_can_be_replaced_at_run_time(sandbox: tuple[httpx.Client, str]) -> None:
    client, _ = sandbox
    answer = client.put("/_sandbox/faults", json={"faults": ["500:every=1"]})
    assert answer.json() == {"faults": ["malformed:rate=0.01", "500:every=1"]}
    assert client.get("/_sandbox/faults").json()["faults"] == ["malformed:rate=0.01", "500:every=1"]
    bad = client.put("/_sandbox/faults", json={"faults": ["500:every=zero"]})
    assert bad.status_code == 400
    assert "every must be an integer" in bad.json()["error"]
    fixed = client.put("/_sandbox/faults", json={"faults": ["malformed:rate=0.5"]})
    assert fixed.status_code == 400
    assert "fixed when the sandbox starts" in fixed.json()["error"]


@pytest.mark.parametrize("create", [create_hubspot_sandbox, create_salesforce_sandbox])
def test_only_bullhorn_has_data_centers_to_redirect_to(create: Factory) -> None:
    with pytest.raises(ValidationFailed, match="cannot inject redirect"):
        create(SandboxConfig(faults=parse_faults(["redirect:every=2"])))
    with running_sandbox(create(SandboxConfig(records=10))) as base:
        answer = httpx.put(f"{base}/_sandbox/faults", json={"faults": ["redirect:every=2"]})
    assert answer.status_code == 400


def test_the_invalid_listing_names_every_malformed_record() -> None:
    config = SandboxConfig(records=2000, seed=11)
    with running_sandbox(create_bullhorn_sandbox(config)) as base:
        listed = httpx.get(f"{base}/_sandbox/invalid/Candidate").json()["invalid"]
    expected = [(i, d) for i in range(1, 2001) if (d := defect_of(11, EntityKind.CANDIDATE, i, 0.01))]
    assert [(row["id"], row["defect"]) for row in listed] == expected
    assert Counter(d for _, d in expected).keys() <= set(DEFECTS[EntityKind.CANDIDATE])
