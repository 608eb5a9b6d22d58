"""Syncing from the HubSpot sandbox over real HTTP into SQLite and PostgreSQL: the private-app token, keyset
searches past the 10,000-results window, ties, archived records, every fault the sandbox injects, changes
between runs, and the database ending equal to the CRM."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from structlog.testing import capture_logs

from hireflow.domain.models.crm_sync import CrmEntity, SourceRecord, SyncCursor, SyncStatus, id_order
from hireflow.infra.crm.http import RetryPolicy
from hireflow.infra.crm.hubspot import records
from hireflow.infra.crm.hubspot.source import HubSpotCredentials, HubSpotSource
from hireflow.infra.crm.sandbox.config import EntityKind, SandboxConfig
from hireflow.infra.crm.sandbox.defects import DEFECTS
from hireflow.infra.crm.sandbox.faults import parse_faults
from hireflow.infra.crm.sandbox.hubspot import create_hubspot_sandbox
from hireflow.infra.crm.sandbox.runner import running_sandbox
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError, ServiceUnavailable, ValidationFailed
from tests.integration.crm_sync.tenant import SyncedTenant

FAST = RetryPolicy(max_attempts=6, max_wait=0.05, base_wait=0.01)
"""Retries that honour the protocol but do not wait out a whole Retry-After in a test."""
OBJECTS = {CrmEntity.CLIENT_COMPANIES: "companies", CrmEntity.JOBS: "deals", CrmEntity.CANDIDATES: "contacts"}
KINDS = {CrmEntity.CLIENT_COMPANIES: EntityKind.COMPANY, CrmEntity.JOBS: EntityKind.JOB,
         CrmEntity.CANDIDATES: EntityKind.CANDIDATE}  # fmt: skip


@dataclass
class Sandbox:
    url: str
    config: SandboxConfig

    def source(self, token: str | None = None, **options: Any) -> HubSpotSource:
        credentials = HubSpotCredentials(self.url, token or self.config.credentials.private_app_token)
        return HubSpotSource(credentials, policy=FAST, **options)

    def control(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(method, f"{self.url}/_sandbox/{path}", timeout=30, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def mutate(self, entity: str, **counts: int) -> dict[str, Any]:
        result: dict[str, Any] = self.control("POST", "mutate", json={"entity": entity, **counts})
        return result

    def faults(self, *specs: str) -> None:
        self.control("PUT", "faults", json={"faults": list(specs)})

    def truth(self, entity: str) -> tuple[set[str], set[str], set[str]]:
        """Live, deleted and invalid ids of ``entity`` in the sandbox."""
        ids = self.control("GET", f"ids/{entity}")
        invalid = {str(row["id"]) for row in self.control("GET", f"invalid/{entity}")["invalid"]}
        return {str(i) for i in ids["live"]}, {str(i) for i in ids["deleted"]}, invalid

    def record(self, entity: CrmEntity, external_id: str) -> SourceRecord:
        """The sandbox's current version of one record, as the source would read it."""
        document = self.control("GET", f"records/{OBJECTS[entity]}/{external_id}")["record"]
        modified = records.instant(document["updatedAt"])
        assert modified is not None
        return SourceRecord(external_id=external_id, modified_at=modified, payload=document)


@contextmanager
def start(config: SandboxConfig) -> Iterator[Sandbox]:
    with running_sandbox(create_hubspot_sandbox(config)) as url:
        yield Sandbox(url, config)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    # Seed 14 gives every kind of contact defect, a company with a bad phone and a deal with a bad date.
    with start(SandboxConfig(records=600, seed=14, faults=parse_faults([], malformed_rate=0.03))) as started:
        yield started


class Hireflow(SyncedTenant):
    """The company group the HubSpot sandbox syncs into."""

    def synced(self, entity: CrmEntity) -> dict[str, tuple[str | None, bool]]:
        """HubSpot id -> (content hash, soft-deleted) of what Hireflow holds of ``entity``."""
        return {
            key: (digest, deleted is not None)
            for key, (digest, deleted) in self.held(entity, "hubspot").items()
        }

    def live(self, entity: CrmEntity) -> set[str]:
        return self.ids(entity, "hubspot")[0]

    def deleted(self, entity: CrmEntity) -> set[str]:
        return self.ids(entity, "hubspot")[1]


@pytest.fixture
def hireflow(engine: Engine) -> Hireflow:
    return Hireflow(engine)


def read_all(source: HubSpotSource, entity: CrmEntity, since: SyncCursor | None = None) -> list[SourceRecord]:
    try:
        return [record for page in source.read(entity, since) for record in page.records]
    finally:
        source.close()


def in_order(found: list[SourceRecord]) -> bool:
    keys = [(record.modified_at, id_order(record.external_id)) for record in found]
    return keys == sorted(keys)


# -- mapping -----------------------------------------------------------------------------------------------------
def test_every_valid_record_parses_and_every_defect_is_caught() -> None:
    config = SandboxConfig(records=4000, seed=5, faults=parse_faults([], malformed_rate=0.25))
    with start(config) as sandbox:
        for entity, name in OBJECTS.items():
            source = sandbox.source()
            refused: dict[str, list[dict[str, Any]]] = {}
            for record in read_all(source, entity):
                try:
                    source.parse(entity, record)
                except ValidationFailed as failure:
                    refused[record.external_id] = list(failure.errors)
            defects = {
                str(row["id"]): row["defect"] for row in sandbox.control("GET", f"invalid/{name}")["invalid"]
            }
            assert set(refused) == set(defects), name
            assert set(defects.values()) == set(DEFECTS[KINDS[entity]]), (
                f"{name}: every kind of defect is met"
            )
            assert all(problem["message"] for problems in refused.values() for problem in problems)


def test_a_contact_maps_to_a_candidate_field_by_field(sandbox: Sandbox) -> None:
    source = sandbox.source()
    try:
        record = sandbox.record(CrmEntity.CANDIDATES, "1")
        candidate = source.parse(CrmEntity.CANDIDATES, record)
        properties = record.payload["properties"]
        deal = source.parse(CrmEntity.JOBS, sandbox.record(CrmEntity.JOBS, "1"))
    finally:
        source.close()
    dumped = candidate.model_dump()
    assert (dumped["first_name"], dumped["last_name"]) == (properties["firstname"], properties["lastname"])
    assert dumped["phone_e164"].startswith("+")
    assert dumped["skills"] == properties["skills"].split(";")
    hourly = properties["salary_unit"] == "per hour"
    assert dumped["salary_expectation_minor"] == round(float(properties["salary_expectation"]) * 100) * (
        2080 if hourly else 1
    )
    assert dumped["source_detail"] == f"hubspot: {properties['candidate_source']}"
    assert (
        deal.model_dump()["title"] == sandbox.record(CrmEntity.JOBS, "1").payload["properties"]["job_title"]
    )


# -- syncing -----------------------------------------------------------------------------------------------------
def test_a_first_sync_loads_every_valid_record_and_dead_letters_the_rest(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    run = hireflow.run(sandbox.source())

    assert run.status is SyncStatus.PARTIAL
    for entity, name in OBJECTS.items():
        live, deleted, invalid = sandbox.truth(name)
        assert invalid, f"the sandbox makes some {name} invalid"
        assert hireflow.dead(entity) == invalid, name  # every broken record is caught, and kept
        assert hireflow.live(entity) == live - invalid, name
        assert hireflow.deleted(entity) == set() == deleted
    assert run.counts.fetched == sum(len(sandbox.truth(name)[0]) for name in OBJECTS.values())


def test_a_second_sync_fetches_nothing_and_changes_nothing(sandbox: Sandbox, hireflow: Hireflow) -> None:
    hireflow.run(sandbox.source())

    again = hireflow.run(sandbox.source())

    assert again.counts.model_dump() == {
        "fetched": 0,
        "inserted": 0,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "invalid": sum(len(sandbox.truth(name)[2]) for name in OBJECTS.values()),
    }  # fmt: skip  (the dead letters are parsed again, and fail again)


def test_changes_between_runs_reach_hireflow_and_the_database_ends_equal_to_the_crm(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    hireflow.run(sandbox.source())
    dead_before = {entity: hireflow.dead(entity) for entity in OBJECTS}
    changes = {
        CrmEntity.CANDIDATES: sandbox.mutate("contacts", modify=25, delete=6, anonymize=4, create=12),
        CrmEntity.JOBS: sandbox.mutate("deals", modify=5, delete=2, create=3),
        CrmEntity.CLIENT_COMPANIES: sandbox.mutate("companies", modify=2, delete=1, create=1),
    }

    run = hireflow.run(sandbox.source())

    gone = {
        str(i) for i in changes[CrmEntity.CANDIDATES]["deleted"] + changes[CrmEntity.CANDIDATES]["anonymized"]
    }
    assert len(gone) == 10
    assert run.entity_counts["candidates"].deleted == len(gone - dead_before[CrmEntity.CANDIDATES])
    source = sandbox.source()
    try:
        for entity, name in OBJECTS.items():
            live, deleted, invalid = sandbox.truth(name)
            erased = {str(i) for i in changes[entity]["anonymized"]}
            assert hireflow.live(entity) == live - invalid - erased, name
            assert hireflow.deleted(entity) == (deleted | erased) - dead_before[entity], name
            assert hireflow.dead(entity) == invalid & live - erased, name
            synced = hireflow.synced(entity)
            for external_id in {
                str(i) for i in changes[entity]["modified"] + changes[entity]["created"]
            } - invalid:
                expected = source.parse(entity, sandbox.record(entity, external_id)).content_hash()
                assert synced[external_id][0] == expected, f"{name} {external_id} is as the CRM has it"
    finally:
        source.close()


def test_more_than_ten_thousand_contacts_sync_completely(hireflow: Hireflow) -> None:
    config = SandboxConfig(records=12_000, seed=3, faults=parse_faults([], malformed_rate=0.01))
    with start(config) as sandbox:
        run = hireflow.run(sandbox.source(), entities=[CrmEntity.CANDIDATES])

        live, _, invalid = sandbox.truth("contacts")
        assert run.counts.fetched == len(live) == 12_000
        assert hireflow.live(CrmEntity.CANDIDATES) == live - invalid
        assert hireflow.dead(CrmEntity.CANDIDATES) == invalid
        stats = sandbox.control("GET", "stats")
        assert stats["data_requests"] <= 12_000 / 190 + 2  # pages of 200, less the ties held back, and no 400


@pytest.mark.parametrize("page_size", [2, 3, 4, 7])
def test_records_sharing_a_timestamp_are_read_once_in_order_whatever_the_page_size(
    sandbox: Sandbox, page_size: int
) -> None:
    everything = read_all(sandbox.source(), CrmEntity.CANDIDATES)
    found = read_all(sandbox.source(page_size=page_size), CrmEntity.CANDIDATES)

    assert [record.external_id for record in found] == [record.external_id for record in everything]
    assert in_order(found)
    assert len({record.external_id for record in found}) == len(sandbox.truth("contacts")[0])
    # From a cursor inside a tie: exactly the records after it.
    tied = next(
        index for index, record in enumerate(found) if found[index + 1].modified_at == record.modified_at
    )
    cursor = SyncCursor(modified_at=found[tied].modified_at, external_id=found[tied].external_id)
    rest = read_all(sandbox.source(page_size=page_size), CrmEntity.CANDIDATES, cursor)
    assert [record.external_id for record in rest] == [record.external_id for record in found[tied + 1 :]]


def test_records_changed_or_archived_while_a_sync_runs_are_all_taken(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    pages = 0
    changed: list[str] = []

    def modify_some_already_read(_: object) -> None:
        nonlocal pages
        pages += 1
        if pages == 3:  # archive some records, some of them read already, then change others after that
            sandbox.mutate("contacts", delete=8)
            changed.extend(sandbox.mutate("contacts", modify=60)["modified"])

    hireflow.run(
        sandbox.source(page_size=50), entities=[CrmEntity.CANDIDATES], progress=modify_some_already_read
    )

    live, _, invalid = sandbox.truth("contacts")
    assert hireflow.live(CrmEntity.CANDIDATES) == live - invalid
    source = sandbox.source()
    try:
        synced = hireflow.synced(CrmEntity.CANDIDATES)
        for external_id in set(changed) - invalid:
            expected = source.parse(CrmEntity.CANDIDATES, sandbox.record(CrmEntity.CANDIDATES, external_id))
            assert synced[external_id][0] == expected.content_hash()
    finally:
        source.close()


def test_archived_records_come_in_order_with_the_live_ones(sandbox: Sandbox) -> None:
    first = read_all(sandbox.source(), CrmEntity.CANDIDATES)
    last = first[-1]
    cursor = SyncCursor(modified_at=last.modified_at, external_id=last.external_id)
    sandbox.mutate("contacts", modify=4, delete=3)
    sandbox.mutate("contacts", modify=2, delete=2)

    found = read_all(sandbox.source(page_size=2), CrmEntity.CANDIDATES, cursor)

    assert in_order(found)
    _, deleted, _ = sandbox.truth("contacts")
    assert {record.external_id for record in found if record.deleted} == deleted
    assert [record.deleted for record in found] != sorted(record.deleted for record in found), "interleaved"


class ServerClock(httpx.HTTPTransport):
    """Real HTTP, with the server's ``Date`` set to the sandbox's logical time, so that changes made while a
    sync runs are stamped after the moment it began, as they are in HubSpot."""

    def __init__(self, now: datetime) -> None:
        super().__init__()
        self.now = now

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.headers["Date"] = format_datetime(self.now, usegmt=True)
        return response


def test_changes_made_while_an_incremental_sync_runs_wait_for_the_next_run_and_none_is_lost(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    hireflow.run(sandbox.source())
    dead_before = hireflow.dead(CrmEntity.CANDIDATES)
    sandbox.mutate("contacts", modify=10)  # stamped 1-4 s after the sandbox's history
    clock = ServerClock(sandbox.config.history_end + timedelta(seconds=4))
    during: dict[str, list[str]] = {}

    def archive_then_modify(_: object) -> None:
        if not during:  # an archive, then changes stamped after it, while the sync reads
            during.update(deleted=sandbox.mutate("contacts", delete=5)["deleted"])
            during.update(modified=sandbox.mutate("contacts", modify=6)["modified"])

    second = hireflow.run(
        sandbox.source(page_size=3, settle_seconds=0, transport=clock),
        entities=[CrmEntity.CANDIDATES],
        progress=archive_then_modify,
    )
    clock.now += timedelta(hours=1)
    third = hireflow.run(sandbox.source(settle_seconds=0, transport=clock), entities=[CrmEntity.CANDIDATES])

    assert second.counts.fetched == 10, "the changes made during the read wait for the next run"
    assert third.counts.fetched == 5 + 6
    live, deleted, invalid = sandbox.truth("contacts")
    assert deleted == set(during["deleted"])
    assert hireflow.live(CrmEntity.CANDIDATES) == live - invalid
    assert hireflow.deleted(CrmEntity.CANDIDATES) == deleted - dead_before


# -- faults ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fault",
    [
        "429:every=3:retry_after=1",
        "429:every=2:retry_after=1:policy=TEN_SECONDLY_ROLLING",
        "500:every=4",
        "503:every=3:retry_after=1",
        "malformed-json:every=3",
    ],
)
def test_every_fault_is_survived_and_the_sync_completes(
    sandbox: Sandbox, hireflow: Hireflow, fault: str
) -> None:
    sandbox.faults(fault)

    run = hireflow.run(sandbox.source(page_size=100), entities=[CrmEntity.CANDIDATES])

    assert run.status is SyncStatus.PARTIAL  # partial: only because of the invalid records
    live, _, invalid = sandbox.truth("contacts")
    assert hireflow.live(CrmEntity.CANDIDATES) == live - invalid
    stats = sandbox.control("GET", "stats")
    assert sum(stats["faults"].values()) > 0, stats


def test_rate_limits_are_logged_with_hubspots_policy(sandbox: Sandbox, hireflow: Hireflow) -> None:
    sandbox.faults("429:every=2:retry_after=1:policy=TEN_SECONDLY_ROLLING")

    with capture_logs() as logs:
        hireflow.run(sandbox.source(page_size=200), entities=[CrmEntity.CANDIDATES])

    limited = [entry for entry in logs if entry["event"] == "hubspot rate limit reached"]
    assert limited, logs
    assert limited[0]["policy"] == "TEN_SECONDLY_ROLLING"
    assert limited[0]["retry_after"] == 1.0
    assert limited[0]["interval_milliseconds"] == "10000"


def test_slow_responses_beyond_the_timeout_are_retried(sandbox: Sandbox, hireflow: Hireflow) -> None:
    sandbox.faults("timeout:every=3:delay=2")

    run = hireflow.run(sandbox.source(timeout=0.5), entities=[CrmEntity.CANDIDATES])

    assert run.counts.fetched == len(sandbox.truth("contacts")[0])
    assert sandbox.control("GET", "stats")["faults"]["timeout"] >= 1


def test_a_crm_that_keeps_failing_fails_the_run_and_the_next_run_resumes(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    pages = 0

    def crash_after_two_pages(_: object) -> None:
        nonlocal pages
        pages += 1
        if pages == 2:
            sandbox.faults("500:every=1")

    with pytest.raises(ServiceUnavailable, match="kept answering HTTP 500"):
        hireflow.run(
            sandbox.source(page_size=100), entities=[CrmEntity.CANDIDATES], progress=crash_after_two_pages
        )
    (failed,) = hireflow.store.runs(hireflow.tenant)
    assert failed.status is SyncStatus.FAILED
    loaded = len(hireflow.live(CrmEntity.CANDIDATES) | hireflow.dead(CrmEntity.CANDIDATES))
    assert 0 < loaded < 600
    sandbox.faults()

    resumed = hireflow.run(sandbox.source(page_size=100), entities=[CrmEntity.CANDIDATES])

    live, _, invalid = sandbox.truth("contacts")
    assert hireflow.live(CrmEntity.CANDIDATES) == live - invalid
    assert resumed.counts.fetched == len(live) - loaded  # it went on from the cursor, not from the start


def test_the_daily_limit_and_a_missing_scope_fail_at_once_with_the_reason() -> None:
    calls = 0

    def hubspot(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if request.url.path.startswith("/crm/v3/objects/deals"):
            return httpx.Response(
                403, json={"status": "error", "category": "MISSING_SCOPES", "message": "no"}
            )
        body = {"status": "error", "errorType": "RATE_LIMIT", "policyName": "DAILY", "message": "daily limit"}
        return httpx.Response(429, json=body, headers={"X-HubSpot-RateLimit-Daily-Remaining": "0"})

    source = HubSpotSource(
        HubSpotCredentials("https://api.hubapi.test", "pat-x"),
        policy=FAST,
        transport=httpx.MockTransport(hubspot),
    )
    try:
        with pytest.raises(ServiceUnavailable, match="daily API limit"):
            list(source.read(CrmEntity.CANDIDATES, None))
        assert calls == 1, "the daily limit is not retried"
        with pytest.raises(ConfigurationError, match=r"crm\.objects\.deals\.read"):
            list(source.read(CrmEntity.JOBS, None))
    finally:
        source.close()


# -- credentials -------------------------------------------------------------------------------------------------
def test_a_wrong_token_is_a_clear_configuration_error(sandbox: Sandbox, hireflow: Hireflow) -> None:
    with pytest.raises(ConfigurationError, match="HIREFLOW_HUBSPOT_TOKEN"):
        hireflow.run(sandbox.source(token="pat-guess"))

    assert [run.status for run in hireflow.store.runs(hireflow.tenant)] == [SyncStatus.FAILED]
    assert sandbox.control("GET", "stats")["data_requests"] == 1  # no retries of a token that cannot work


def test_a_missing_token_fails_the_first_read_but_parsing_works_without_it(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    source = HubSpotSource.from_settings(Settings(hubspot_base_url=sandbox.url))
    record = sandbox.record(CrmEntity.CANDIDATES, "1")

    assert source.parse(CrmEntity.CANDIDATES, record).external_id == "1"
    with pytest.raises(ConfigurationError, match="HIREFLOW_HUBSPOT_TOKEN"):
        hireflow.run(source)
    configured = HubSpotSource.from_settings(
        Settings(
            hubspot_base_url=sandbox.url + "/", hubspot_token=sandbox.config.credentials.private_app_token
        )
    )
    assert hireflow.run(configured, entities=[CrmEntity.CLIENT_COMPANIES]).counts.fetched == 6
