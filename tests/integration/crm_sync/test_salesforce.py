"""Syncing from the Salesforce sandbox over real HTTP into SQLite and PostgreSQL: the OAuth grants, SOQL keyset
reads through queryAll, nextRecordsUrl batches and expired locators, every fault the sandbox injects, changes
between runs, and the database ending equal to the CRM."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from sqlalchemy import Engine, select

from hireflow.domain.models.crm_sync import (
    CandidateImport,
    CrmEntity,
    SourceRecord,
    SyncCursor,
    SyncStatus,
    id_order,
)
from hireflow.infra.crm.http import RetryPolicy
from hireflow.infra.crm.salesforce.records import keyset_soql, parse_datetime
from hireflow.infra.crm.salesforce.source import SalesforceCredentials, SalesforceSource
from hireflow.infra.crm.sandbox.config import SandboxConfig
from hireflow.infra.crm.sandbox.faults import parse_faults
from hireflow.infra.crm.sandbox.runner import running_sandbox
from hireflow.infra.crm.sandbox.salesforce import create_salesforce_sandbox
from hireflow.infra.db import tables as t
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError, ServiceUnavailable, ValidationFailed
from hireflow.shared.ids import normalize_phone
from tests.integration.crm_sync.tenant import SyncedTenant

FAST = RetryPolicy(max_attempts=6, max_wait=0.05, base_wait=0.01)
"""Retries that honour the protocol but do not wait out a whole Retry-After in a test."""
OBJECTS = {
    CrmEntity.CLIENT_COMPANIES: "Account",
    CrmEntity.JOBS: "Opportunity",
    CrmEntity.CANDIDATES: "Contact",
}
C, J, CC = CrmEntity.CANDIDATES, CrmEntity.JOBS, CrmEntity.CLIENT_COMPANIES
# Seed 1299 with 3% malformed records gives flawed accounts, opportunities and contacts among 600 contacts.
SYNCED = SandboxConfig(records=600, seed=1299, faults=parse_faults([], malformed_rate=0.03))
PROBLEM_FIELDS = {
    "bad-email": {"email"},
    "bad-phone": {"phone_e164", "phone"},
    "missing-last-name": {"last_name"},
    "missing-name": {"name"},
    "missing-title": {"title"},
    "bad-date": {"created_date", "opened_at"},
    "unknown-enum": {"status", "employment_type"},
}
"""Where the problem of each sandbox defect must show in the dead letter."""


class Recorder(httpx.HTTPTransport):
    """A real transport that remembers every exchange: method, URL, request body and status."""

    def __init__(self) -> None:
        super().__init__()
        self.exchanges: list[tuple[str, httpx.URL, bytes, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.exchanges.append((request.method, request.url, request.content, response.status_code))
        return response

    def queries(self) -> list[str]:
        return [url.params["q"] for method, url, _, _ in self.exchanges if url.path.endswith("/queryAll")]


@dataclass
class Sandbox:
    url: str
    config: SandboxConfig

    def credentials(self, **changes: Any) -> SalesforceCredentials:
        given = self.config.credentials
        values = {"login_url": self.url, "client_id": given.client_id, "client_secret": given.client_secret}
        return SalesforceCredentials(**(values | changes))

    def source(self, *, refresh_token: str | None = None, **options: Any) -> SalesforceSource:
        return SalesforceSource(self.credentials(refresh_token=refresh_token), policy=FAST, **options)

    def control(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(method, f"{self.url}/_sandbox/{path}", timeout=30, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def mutate(self, entity: str, **counts: int) -> dict[str, Any]:
        result: dict[str, Any] = self.control("POST", "mutate", json={"entity": entity, **counts})
        return result

    def faults(self, *specs: str) -> None:
        self.control("PUT", "faults", json={"faults": list(specs)})

    def truth(self, entity: str) -> tuple[set[str], set[str], dict[str, str]]:
        """Live and deleted ids of ``entity`` in the sandbox, and the invalid ones with their defect."""
        ids = self.control("GET", f"ids/{entity}")
        invalid = {row["id"]: row["defect"] for row in self.control("GET", f"invalid/{entity}")["invalid"]}
        return set(ids["live"]), set(ids["deleted"]), invalid

    def record(self, entity: str, record_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.control("GET", f"records/{entity}/{record_id}")["record"]
        return found


@contextmanager
def serving(config: SandboxConfig) -> Iterator[Sandbox]:
    with running_sandbox(create_salesforce_sandbox(config)) as url:
        yield Sandbox(url, config)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with serving(SYNCED) as served:
        yield served


class Hireflow(SyncedTenant):
    """The company group the Salesforce sandbox syncs into."""

    def ids(self, entity: CrmEntity, source: str = "salesforce") -> tuple[set[str], set[str]]:
        return super().ids(entity, source)


@pytest.fixture
def hireflow(engine: Engine) -> Hireflow:
    return Hireflow(engine)


def test_a_first_sync_loads_every_valid_record_and_dead_letters_exactly_the_invalid_ones(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    run = hireflow.run(sandbox.source())

    assert run.status is SyncStatus.PARTIAL
    for entity, name in OBJECTS.items():
        live, _, invalid = sandbox.truth(name)
        assert invalid, f"the sandbox makes some {name} records invalid"
        assert hireflow.ids(entity) == (live - set(invalid), set())
        letters = hireflow.store.dead_letters(hireflow.tenant, entity=entity)
        assert {letter.external_id for letter in letters} == set(invalid)
        for letter in letters:  # each says what is wrong, where the defect is
            assert {error["field"] for error in letter.errors} & PROBLEM_FIELDS[invalid[letter.external_id]]
    assert run.counts.fetched == sum(len(sandbox.truth(name)[0]) for name in OBJECTS.values())
    with hireflow.sessions() as session:
        linked = session.scalars(select(t.Job.client_company_id).where(t.Job.client_company_id.is_not(None)))
        assert list(linked), "opportunities point at their accounts"


def test_a_contact_arrives_with_every_field_mapped(sandbox: Sandbox, hireflow: Hireflow) -> None:
    hireflow.run(sandbox.source(), entities=[C])
    loaded, _ = hireflow.ids(C)
    contact_id = min(loaded)
    crm = sandbox.record("Contact", contact_id)

    with hireflow.sessions() as session:
        person = session.execute(
            select(t.Candidate)
            .join(t.CandidateExternalId, t.CandidateExternalId.candidate_id == t.Candidate.id)
            .where(t.CandidateExternalId.external_id == contact_id)
        ).scalar_one()
    assert (person.first_name, person.last_name) == (crm["FirstName"], crm["LastName"])
    region = "GB" if crm["MailingCountry"] == "United Kingdom" else "US"
    assert person.phone_e164 == normalize_phone(crm["MobilePhone"] or crm["Phone"], region)
    assert person.email == crm["Email"].lower()
    assert person.headline == crm["Title"]
    assert person.skills == crm["Skills__c"].split(";")
    assert (person.city, person.postal_code) == (crm["MailingCity"], crm["MailingPostalCode"])
    assert person.source_detail == f"salesforce: {crm['LeadSource']}"
    yearly = 2080 if crm["Salary_Unit__c"] == "Per Hour" else 1
    assert person.salary_expectation_minor == round(crm["Salary_Expectation__c"] * 100) * yearly


def test_a_second_sync_fetches_nothing_and_changes_nothing(sandbox: Sandbox, hireflow: Hireflow) -> None:
    hireflow.run(sandbox.source())

    again = hireflow.run(sandbox.source())

    assert (again.counts.inserted, again.counts.updated, again.counts.deleted) == (0, 0, 0)
    assert again.counts.fetched == 0  # the keyset starts after the cursor: nothing is read twice


def test_changes_between_runs_reach_hireflow_and_the_database_ends_equal_to_the_crm(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    hireflow.run(sandbox.source())
    invalid_before = {entity: set(sandbox.truth(name)[2]) for entity, name in OBJECTS.items()}
    contacts = sandbox.mutate("Contact", modify=25, delete=6, anonymize=4, create=12)
    opportunities = sandbox.mutate("Opportunity", modify=6, delete=2, create=3)
    sandbox.mutate("Account", modify=1, delete=1, create=2)

    run = hireflow.run(sandbox.source())

    assert run.entity_counts["candidates"].deleted == len(
        set(contacts["deleted"] + contacts["anonymized"]) - invalid_before[C]
    )
    for entity, name in OBJECTS.items():
        live, deleted, invalid = sandbox.truth(name)
        anonymised = set(contacts["anonymized"]) if entity is C else set()
        loaded, soft_deleted = hireflow.ids(entity)
        assert loaded == live - set(invalid) - anonymised, name
        assert soft_deleted == (deleted | anonymised) - invalid_before[entity], name
        assert hireflow.dead(entity) == set(invalid) - deleted, name  # a deleted record needs no fixing
    stages = {"Closed Won": "filled", "Closed Lost": "cancelled"}
    with hireflow.sessions() as session:
        for job_id in set(opportunities["modified"]) - invalid_before[J]:
            crm = sandbox.record("Opportunity", job_id)
            job = session.execute(select(t.Job).where(t.Job.external_id == job_id)).scalar_one()
            assert (job.title, job.openings) == (crm["Name"], crm["Openings__c"])
            assert job.status == stages.get(crm["StageName"], "open")


def test_queries_read_from_the_cursor_and_follow_next_records_urls_batch_after_batch() -> None:
    with serving(SYNCED) as sandbox:
        recorder = Recorder()
        source = sandbox.source(batch_size=200, transport=recorder)
        try:
            pages = list(source.read(C, None))
            exchanges = list(recorder.exchanges)
            records = [record for page in pages for record in page.records]
            # a cursor inside a group of records sharing one SystemModstamp: the rest of the group follows
            tie = next(
                i for i in range(len(records) - 1) if records[i].modified_at == records[i + 1].modified_at
            )
            cursor = SyncCursor(modified_at=records[tie].modified_at, external_id=records[tie].external_id)
            rest = [record for page in source.read(C, cursor) for record in page.records]
        finally:
            source.close()
        live, deleted, _ = sandbox.truth("Contact")

    assert [len(page.records) for page in pages] == [200, 200, 200]
    assert all(page.total == 600 for page in pages)
    keys = [(record.modified_at, id_order(record.external_id)) for record in records]
    assert keys == sorted(keys)
    assert len(set(keys)) == 600
    assert {record.external_id for record in records} == live | deleted
    paths = [url.path.rsplit("/", 1)[-1] for _, url, _, _ in exchanges]
    assert paths[:2] == ["token", "queryAll"]
    assert [path.rsplit("-", 1)[-1] for path in paths[2:]] == ["200", "400"]  # two nextRecordsUrl batches
    first, from_cursor = recorder.queries()
    assert "WHERE" not in first
    assert f"Id > '{cursor.external_id}'" in from_cursor
    assert rest == records[tie + 1 :]
    assert not any(cursor.covers(record) for record in rest)


def test_an_expired_locator_mid_read_restarts_the_query_from_the_last_record_read(hireflow: Hireflow) -> None:
    config = SandboxConfig(records=600, seed=1299, faults=SYNCED.faults, locator_lifetime_seconds=0.3)
    with serving(config) as sandbox:
        recorder = Recorder()
        pages = 0

        def dawdle(_: object) -> None:  # a slow database: the locator expires before the next batch
            nonlocal pages
            pages += 1
            if pages == 1:
                time.sleep(0.4)

        run = hireflow.run(sandbox.source(batch_size=200, transport=recorder), entities=[C], progress=dawdle)

        live, _, _ = sandbox.truth("Contact")
    assert run.counts.fetched == len(live)  # every record once: none lost, none read twice
    assert hireflow.ids(C)[0] | hireflow.dead(C) == live
    assert next(status for _, url, _, status in recorder.exchanges if "/query/" in url.path) == 400
    first, again = recorder.queries()
    assert "WHERE" not in first
    assert "WHERE SystemModstamp >" in again


@pytest.mark.parametrize(
    "fault",
    ["429:every=2:retry_after=1", "503:every=2:retry_after=1", "500:every=2", "malformed-json:every=2"],
)
def test_every_fault_is_survived_and_every_record_is_read_once(sandbox: Sandbox, fault: str) -> None:
    sandbox.faults(fault)
    source = sandbox.source(batch_size=200)

    try:
        read = [record.external_id for page in source.read(C, None) for record in page.records]
    finally:
        source.close()

    live, _, _ = sandbox.truth("Contact")
    assert sorted(read) == sorted(live)
    assert sum(sandbox.control("GET", "stats")["faults"].values()) >= 2


def test_a_session_that_expires_mid_run_is_renewed_with_the_refresh_token(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    sandbox.faults("token-expiry:after=1")
    recorder = Recorder()

    run = hireflow.run(
        sandbox.source(refresh_token="sandbox-refresh-token", batch_size=200, transport=recorder)
    )

    assert run.counts.fetched == sum(len(sandbox.truth(name)[0]) for name in OBJECTS.values())
    stats = sandbox.control("GET", "stats")
    assert stats["auth_failures"] >= 4  # the session ended again and again...
    assert sum(stats["tokens_issued"].values()) == stats["auth_failures"] + 1  # ...and was renewed each time
    grants = [
        parse_qs(body.decode())["grant_type"] for method, _, body, _ in recorder.exchanges if method == "POST"
    ]
    assert grants == [["refresh_token"]] * len(grants)


def test_slow_responses_beyond_the_timeout_are_retried(sandbox: Sandbox, hireflow: Hireflow) -> None:
    sandbox.faults("timeout:every=2:delay=1")

    run = hireflow.run(sandbox.source(batch_size=200, timeout=0.5), entities=[C])

    assert run.counts.fetched == len(sandbox.truth("Contact")[0])
    assert sandbox.control("GET", "stats")["faults"]["timeout"] >= 2


def test_a_crm_that_keeps_failing_fails_the_run_and_the_next_run_resumes(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    def fail_after_the_first_batch(_: object) -> None:
        sandbox.faults("500:every=1")

    with pytest.raises(ServiceUnavailable, match="kept answering HTTP 500"):
        hireflow.run(sandbox.source(batch_size=200), entities=[C], progress=fail_after_the_first_batch)
    (failed,) = hireflow.store.runs(hireflow.tenant)
    assert failed.status is SyncStatus.FAILED
    assert 0 < len(hireflow.ids(C)[0]) < 200
    sandbox.faults()

    resumed = hireflow.run(sandbox.source(batch_size=200), entities=[C])

    live, _, _ = sandbox.truth("Contact")
    assert hireflow.ids(C)[0] | hireflow.dead(C) == live
    assert resumed.counts.fetched == len(live) - 200  # it went on from the cursor, not from the start


def test_a_refused_client_secret_fails_the_run_with_a_clear_configuration_error(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    source = SalesforceSource(sandbox.credentials(client_secret="guess"), policy=FAST)

    with pytest.raises(ConfigurationError, match=r"invalid_client.*HIREFLOW_SALESFORCE_CLIENT_SECRET"):
        hireflow.run(source)
    assert [run.status for run in hireflow.store.runs(hireflow.tenant)] == [SyncStatus.FAILED]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"client_id": "guess"}, "HIREFLOW_SALESFORCE_CLIENT_ID"),
        ({"refresh_token": "revoked"}, "HIREFLOW_SALESFORCE_REFRESH_TOKEN"),
        ({"login_url": "http://127.0.0.1:9/nowhere"}, "could not be reached"),
    ],
)
def test_refused_grants_name_the_setting_to_check(
    sandbox: Sandbox, changes: dict[str, str], named: str
) -> None:
    source = SalesforceSource(
        sandbox.credentials(**changes), policy=RetryPolicy(max_attempts=1, max_wait=0, sleep=lambda _: None)
    )

    try:
        with pytest.raises((ConfigurationError, ServiceUnavailable), match=named):
            next(source.read(CC, None))
    finally:
        source.close()


def test_missing_credentials_fail_the_first_read_but_not_parsing() -> None:
    source = SalesforceSource.from_settings(Settings())
    record = SourceRecord(
        external_id="003000000000001AAA",
        modified_at=datetime(2024, 1, 1, tzinfo=UTC),
        payload={"FirstName": "Zoë", "LastName": "O'Brien", "Phone": "415.555.0134", "LeadSource": "Web"},
    )
    try:
        candidate = source.parse(C, record)
        assert isinstance(candidate, CandidateImport)
        with pytest.raises(ConfigurationError, match="HIREFLOW_SALESFORCE_CLIENT_ID"):
            next(source.read(C, None))
    finally:
        source.close()
    assert (candidate.phone_e164, candidate.source_detail) == ("+14155550134", "salesforce: Web")


def test_settings_choose_the_grant() -> None:
    settings = Settings(
        salesforce_client_id="app",
        salesforce_client_secret="secret",
        salesforce_refresh_token="refresh",
        salesforce_login_url="https://example.my.salesforce.com/",
    )
    credentials = SalesforceCredentials.from_settings(settings)

    assert credentials.login_url == "https://example.my.salesforce.com"
    assert credentials.grant()["grant_type"] == "refresh_token"
    assert SalesforceCredentials(**{**vars(credentials), "refresh_token": None}).grant() == {
        "grant_type": "client_credentials",
        "client_id": "app",
        "client_secret": "secret",
    }


def test_every_valid_record_parses_and_every_invalid_one_fails_with_its_reason() -> None:
    # Seed 14 with 10% malformed records holds every defect of every object.
    config = SandboxConfig(records=3000, seed=14, faults=parse_faults([], malformed_rate=0.1))
    with serving(config) as sandbox:
        source = sandbox.source()
        try:
            for entity, name in OBJECTS.items():
                _, _, invalid = sandbox.truth(name)
                failures = {}
                for page in source.read(entity, None):
                    for record in page.records:
                        try:
                            source.parse(entity, record)
                        except ValidationFailed as failure:
                            failures[record.external_id] = {error["field"] for error in failure.errors}
                assert set(failures) == set(invalid), name
                assert all(failures[i] & PROBLEM_FIELDS[defect] for i, defect in invalid.items()), name
                assert len(set(invalid.values())) >= 3, name
        finally:
            source.close()


@pytest.mark.parametrize(
    "text",
    ["2024-03-05T06:07:08.009+0000", "2024-03-05T06:07:08.009Z", "2024-03-05T08:07:08.009+02:00"],
)
def test_salesforce_timestamps_parse_in_every_form(text: str) -> None:
    moment = parse_datetime(text)

    assert moment == datetime(2024, 3, 5, 6, 7, 8, 9000, tzinfo=UTC)
    assert moment is not None
    cursor = SyncCursor(modified_at=moment, external_id="0035g0000000001AAA")
    assert "SystemModstamp > 2024-03-05T06:07:08.009Z" in keyset_soql(C, cursor)
    assert "Id > '0035g0000000001AAA'" in keyset_soql(C, cursor)
    whole_second = cursor.model_copy(update={"modified_at": moment.replace(microsecond=0)})
    assert "SystemModstamp = 2024-03-05T06:07:08Z AND" in keyset_soql(C, whole_second)
