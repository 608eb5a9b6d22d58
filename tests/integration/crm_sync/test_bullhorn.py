"""Syncing from the Bullhorn sandbox over real HTTP into SQLite and PostgreSQL: the auth flow, paging, every
fault the sandbox injects, changes between runs, and the database ending equal to the CRM."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from hireflow.domain.models.crm_sync import CrmEntity, SyncStatus
from hireflow.domain.models.org import CompanyGroup
from hireflow.infra.crm.bullhorn.source import BullhornCredentials, BullhornSource
from hireflow.infra.crm.http import RetryPolicy
from hireflow.infra.crm.sandbox.bullhorn import create_bullhorn_sandbox
from hireflow.infra.crm.sandbox.config import SandboxConfig
from hireflow.infra.crm.sandbox.faults import parse_faults
from hireflow.infra.crm.sandbox.runner import running_sandbox
from hireflow.infra.db import tables as t
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.errors import ConfigurationError, ServiceUnavailable
from tests.integration.crm_sync.tenant import SyncedTenant

FAST = RetryPolicy(max_attempts=6, max_wait=0.05, base_wait=0.01)
"""Retries that honour the protocol but do not wait out a whole Retry-After in a test."""


@dataclass
class Sandbox:
    url: str
    config: SandboxConfig

    def credentials(self, **changes: str) -> BullhornCredentials:
        given = self.config.credentials
        values = {
            "auth_url": self.url,
            "login_url": f"{self.url}/rest-services",
            "client_id": given.client_id,
            "client_secret": given.client_secret,
            "username": given.username,
            "password": given.password,
        }
        return BullhornCredentials(**(values | changes))

    def source(self, **options: Any) -> BullhornSource:
        return BullhornSource(self.credentials(), policy=FAST, **options)

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


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    config = SandboxConfig(records=600, faults=parse_faults([], malformed_rate=0.02))
    with running_sandbox(create_bullhorn_sandbox(config)) as url:
        yield Sandbox(url, config)


class Hireflow(SyncedTenant):
    """The company group the Bullhorn sandbox syncs into."""

    def candidates(self) -> tuple[set[str], set[str]]:
        """Bullhorn ids of live and of soft-deleted candidates."""
        return self.ids(CrmEntity.CANDIDATES, "bullhorn")


@pytest.fixture
def hireflow(engine: Engine) -> Hireflow:
    return Hireflow(engine)


def test_a_first_sync_loads_every_valid_record_and_dead_letters_the_rest(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    run = hireflow.run(sandbox.source())

    assert run.status is SyncStatus.PARTIAL
    live, _, invalid = sandbox.truth("Candidate")
    loaded, deleted = hireflow.candidates()
    assert invalid, "the sandbox makes some records invalid"
    assert loaded | hireflow.dead(CrmEntity.CANDIDATES) == live
    assert invalid <= hireflow.dead(CrmEntity.CANDIDATES)  # every broken record is caught, and kept
    assert deleted == set()
    jobs_live, _, jobs_invalid = sandbox.truth("JobOrder")
    with hireflow.sessions() as session:
        jobs = set(
            session.scalars(select(t.Job.external_id).where(t.Job.company_group_id == hireflow.tenant))
        )
    assert jobs == jobs_live - jobs_invalid
    assert run.counts.fetched == sum(len(sandbox.truth(name)[0]) for name in
                                     ("ClientCorporation", "JobOrder", "Candidate", "JobSubmission", "Placement"))  # fmt: skip


def test_a_second_sync_fetches_nothing_new_and_changes_nothing(sandbox: Sandbox, hireflow: Hireflow) -> None:
    hireflow.run(sandbox.source())

    again = hireflow.run(sandbox.source())

    assert (again.counts.inserted, again.counts.updated, again.counts.deleted) == (0, 0, 0)
    assert again.counts.fetched <= 5  # at most the records sharing the cursor's last second, skipped


def test_changes_between_runs_reach_hireflow_and_the_database_ends_equal_to_the_crm(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    hireflow.run(sandbox.source())
    changed = sandbox.mutate("Candidate", modify=25, delete=6, anonymize=4, create=12)
    sandbox.mutate("JobOrder", modify=5, delete=2)

    run = hireflow.run(sandbox.source())

    counts = run.entity_counts["candidates"]
    valid_created = [i for i in changed["created"] if str(i) not in sandbox.truth("Candidate")[2]]
    assert counts.inserted >= len(valid_created) - 1  # two new records may share a phone number
    assert counts.deleted == 10
    live, deleted, invalid = sandbox.truth("Candidate")
    anonymised = {str(i) for i in changed["anonymized"]}  # still there in Bullhorn, but nobody's any more
    loaded, soft_deleted = hireflow.candidates()
    assert loaded == live - anonymised - invalid - hireflow.dead(CrmEntity.CANDIDATES)
    assert {str(i) for i in changed["deleted"] + changed["anonymized"]} <= soft_deleted
    assert soft_deleted <= deleted | {str(i) for i in changed["anonymized"]}


def test_a_full_sync_finds_records_bullhorn_deleted_for_good(sandbox: Sandbox, hireflow: Hireflow) -> None:
    hireflow.run(sandbox.source())
    removed = sandbox.mutate("Placement", delete=3)["deleted"]

    incremental = hireflow.run(sandbox.source(), entities=[CrmEntity.PLACEMENTS])
    full = hireflow.run(sandbox.source(), entities=[CrmEntity.PLACEMENTS], full=True)

    assert incremental.counts.deleted == 0
    with hireflow.sessions() as session:
        gone = set(
            session.scalars(select(t.Placement.external_id).where(t.Placement.deleted_at.is_not(None)))
        )
    assert gone == {str(i) for i in removed} - hireflow.dead(CrmEntity.PLACEMENTS)
    assert full.counts.deleted == len(gone)


@pytest.mark.parametrize(
    "fault",
    [
        "429:every=3:retry_after=1",
        "500:every=4",
        "malformed-json:every=5",
        "redirect:every=2",
        "token-expiry:after=3",
    ],
)
def test_every_fault_is_survived_and_the_sync_completes(
    sandbox: Sandbox, hireflow: Hireflow, fault: str
) -> None:
    sandbox.faults(fault)

    run = hireflow.run(sandbox.source(page_size=100), entities=[CrmEntity.CANDIDATES])

    assert run.status is SyncStatus.PARTIAL  # partial: only because of the invalid records
    live, _, _ = sandbox.truth("Candidate")
    loaded, _ = hireflow.candidates()
    assert loaded | hireflow.dead(CrmEntity.CANDIDATES) == live
    stats = sandbox.control("GET", "stats")
    assert sum(stats["faults"].values()) > 0, stats


def test_a_token_that_expires_mid_run_is_refreshed_with_its_single_use_refresh_token(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    sandbox.faults("token-expiry:after=2")

    run = hireflow.run(sandbox.source(page_size=50), entities=[CrmEntity.CANDIDATES])

    assert run.counts.fetched == len(sandbox.truth("Candidate")[0])
    stats = sandbox.control("GET", "stats")
    assert stats["auth_failures"] >= 5  # the session expired again and again...
    assert sum(stats["tokens_issued"].values()) >= 2 * stats["auth_failures"]  # ...and was renewed each time


def test_slow_responses_beyond_the_timeout_are_retried(sandbox: Sandbox, hireflow: Hireflow) -> None:
    sandbox.faults("timeout:every=4:delay=3")

    run = hireflow.run(sandbox.source(page_size=200, timeout=1.0), entities=[CrmEntity.CANDIDATES])

    assert run.counts.fetched == len(sandbox.truth("Candidate")[0])


def test_a_crm_that_keeps_failing_fails_the_run_and_the_next_run_resumes(
    sandbox: Sandbox, hireflow: Hireflow
) -> None:
    source = sandbox.source(page_size=100)
    pages = 0

    def crash_after_two_pages(_: object) -> None:
        nonlocal pages
        pages += 1
        if pages == 2:
            sandbox.faults("500:every=1")

    with pytest.raises(ServiceUnavailable, match="kept answering HTTP 500"):
        hireflow.run(source, entities=[CrmEntity.CANDIDATES], progress=crash_after_two_pages)
    (failed,) = hireflow.store.runs(hireflow.tenant)
    assert failed.status is SyncStatus.FAILED
    assert 0 < len(hireflow.candidates()[0]) < 600
    sandbox.faults()

    resumed = hireflow.run(sandbox.source(page_size=100), entities=[CrmEntity.CANDIDATES])

    live, _, _ = sandbox.truth("Candidate")
    assert hireflow.candidates()[0] | hireflow.dead(CrmEntity.CANDIDATES) == live
    assert resumed.counts.fetched < len(live)  # it went on from the cursor, not from the start


def test_wrong_credentials_are_a_clear_configuration_error(sandbox: Sandbox, hireflow: Hireflow) -> None:
    wrong_password = BullhornSource(sandbox.credentials(password="guess"), policy=FAST)
    wrong_secret = BullhornSource(sandbox.credentials(client_secret="guess"), policy=FAST)

    with pytest.raises(ConfigurationError, match=r"did not sign in 'sandbox\.api'"):
        hireflow.run(wrong_password)
    with pytest.raises(ConfigurationError, match="CLIENT_SECRET"):
        hireflow.run(wrong_secret)
    assert [run.status for run in hireflow.store.runs(hireflow.tenant)] == [SyncStatus.FAILED] * 2


def test_every_broken_record_of_every_entity_is_caught_and_every_sound_one_loads(engine: Engine) -> None:
    config = SandboxConfig(records=400, seed=9, faults=parse_faults([], malformed_rate=0.25))
    with running_sandbox(create_bullhorn_sandbox(config)) as url:
        sandbox, hireflow = Sandbox(url, config), Hireflow(engine)
        hireflow.run(sandbox.source())
        for name, entity in (
            ("ClientCorporation", CrmEntity.CLIENT_COMPANIES),
            ("JobOrder", CrmEntity.JOBS),
            ("Candidate", CrmEntity.CANDIDATES),
        ):
            _, _, invalid = sandbox.truth(name)
            assert invalid, f"the sandbox made no {name} invalid"
            assert hireflow.dead(entity) == invalid, (
                name
            )  # no broken record slips in, no sound one is refused


# 600 records are two pages of 500: with two lanes the end comes through the fetching child, with three through
# a checking child that forwards it in its turn.
@pytest.mark.parametrize("lanes", [1, 2, 3])
def test_a_sync_read_in_child_processes_loads_exactly_what_a_sync_in_one_thread_loads(
    sandbox: Sandbox, engine: Engine, lanes: int
) -> None:
    from hireflow.apps.crm_reader import ProcessReader
    from hireflow.shared.config import Settings

    in_thread = Hireflow(engine)
    first = in_thread.run(sandbox.source(page_size=100), entities=[CrmEntity.CANDIDATES])
    with sqlalchemy_uow_factory(in_thread.sessions)() as uow:
        other = uow.company_groups.add(CompanyGroup(name="Other", slug="other"))
        uow.commit()
    assert other.id is not None
    credentials = sandbox.credentials()
    settings = Settings(
        bullhorn_auth_url=credentials.auth_url,
        bullhorn_login_url=credentials.login_url,
        bullhorn_client_id=credentials.client_id,
        bullhorn_client_secret=credentials.client_secret,
        bullhorn_username=credentials.username,
        bullhorn_password=credentials.password,
    )
    reader = ProcessReader("bullhorn", settings, lanes=lanes)
    try:
        second = in_thread.sync.run(other.id, reader, entities=[CrmEntity.CANDIDATES])
    finally:
        reader.close()

    assert second.counts == first.counts
    assert {letter.external_id for letter in in_thread.store.dead_letters(other.id)} == in_thread.dead(
        CrmEntity.CANDIDATES
    )


@pytest.mark.parametrize("lanes", [1, 3])
def test_a_child_reader_reports_the_crm_s_errors_as_the_connector_does(
    sandbox: Sandbox, engine: Engine, lanes: int
) -> None:
    from hireflow.apps.crm_reader import ProcessReader
    from hireflow.shared.config import Settings

    hireflow = Hireflow(engine)
    missing = ProcessReader("bullhorn", Settings(), lanes=lanes)
    wrong = ProcessReader(
        "bullhorn",
        Settings(
            bullhorn_auth_url=sandbox.url,
            bullhorn_login_url=f"{sandbox.url}/rest-services",
            bullhorn_client_id="hireflow-sandbox",
            bullhorn_client_secret="sandbox-secret",
            bullhorn_username="sandbox.api",
            bullhorn_password="guess",
        ),
        lanes=lanes,
    )

    with pytest.raises(ConfigurationError, match="HIREFLOW_BULLHORN_CLIENT_ID"):
        hireflow.sync.run(hireflow.tenant, missing, entities=[CrmEntity.CANDIDATES])
    with pytest.raises(ConfigurationError, match="did not sign in"):
        hireflow.sync.run(hireflow.tenant, wrong, entities=[CrmEntity.CANDIDATES])
    missing.close()
    wrong.close()
