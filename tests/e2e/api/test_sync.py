"""``/api/v1/sync``: a CRM sync started over HTTP runs as a background job against the Bullhorn sandbox."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from hireflow.apps.cli.sandbox import sync_settings
from hireflow.domain.models.identity import MembershipRole
from hireflow.infra.crm.sandbox.bullhorn import create_bullhorn_sandbox
from hireflow.infra.crm.sandbox.config import SandboxConfig
from hireflow.infra.crm.sandbox.runner import running_sandbox
from hireflow.shared.config import get_settings
from tests.e2e.api.world import ApiWorld

SYNC = "/api/v1/sync"


@pytest.fixture
def bullhorn(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A Bullhorn sandbox, and the settings pointing at it (what the background task reads)."""
    config = SandboxConfig(records=300)
    with running_sandbox(create_bullhorn_sandbox(config)) as url:
        for name, value in sync_settings("bullhorn", url, config).items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        yield url


def finished_job(world: ApiWorld, location: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = world.request("GET", location).json()
        if job["status"] in {"succeeded", "failed", "cancelled"} or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def test_a_sync_started_over_http_runs_as_a_job_and_its_run_and_dead_letters_are_listed(
    world: ApiWorld, bullhorn: str
) -> None:
    before = world.request("GET", "/api/v1/funnel/buckets")
    assert world.request("GET", "/api/v1/funnel/buckets").headers["X-Cache"] == "hit"

    response = world.request(
        "POST", f"{SYNC}/bullhorn", json={"entities": ["client_companies", "candidates"]}
    )

    assert response.status_code == 202, response.text
    assert response.headers["Location"] == f"/api/v1/jobs/{response.json()['id']}"
    job = finished_job(world, response.headers["Location"])
    assert job["status"] == "succeeded", job
    summary = job["result"]
    assert summary["source"] == "bullhorn"
    assert set(summary["entities"]) == {"client_companies", "candidates"}
    assert (
        summary["counts"]["fetched"] == 300 + 5
    )  # the sandbox's candidates and client companies (at least 5)
    runs = world.request("GET", f"{SYNC}/runs").json()["items"]
    assert [run["id"] for run in runs] == [summary["run_id"]]
    pages, cursor = [], None
    while True:
        params = {"entity": "candidates", "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = world.request("GET", f"{SYNC}/dead-letters", params=params).json()
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    letters = [letter for items in pages for letter in items]
    assert len(letters) == summary["entities"]["candidates"]["invalid"]
    assert len({letter["id"] for letter in letters}) == len(letters)  # every one once, page by page
    assert all(letter["errors"] and letter["payload"]["id"] for letter in letters)
    candidates = world.request("GET", "/api/v1/candidates", params={"limit": 200}).json()["items"]
    assert any(c["source"] == "crm" and c["external_ids"][0]["source"] == "bullhorn" for c in candidates)
    # The job ran in the API's process: the funnel analytics it had cached were invalidated, not served stale.
    after = world.request("GET", "/api/v1/funnel/buckets")
    assert after.headers["X-Cache"] == "miss"
    assert after.json()["total"] == before.json()["total"] + summary["entities"]["candidates"]["inserted"]


def test_an_unknown_crm_or_entity_is_refused_before_anything_runs(world: ApiWorld) -> None:
    unknown = world.request("POST", f"{SYNC}/pipedrive")
    bad_entity = world.request("POST", f"{SYNC}/bullhorn", json={"entities": ["invoices"]})

    assert unknown.status_code == 422
    assert "Hireflow syncs from bullhorn" in unknown.json()["detail"]
    assert bad_entity.status_code == 422
    assert world.request("GET", f"{SYNC}/runs").json()["items"] == []


@pytest.mark.parametrize(
    ("role", "start", "read"),
    [
        (MembershipRole.VIEWER, 403, 403),
        (MembershipRole.HIRING_MANAGER, 403, 403),
        (MembershipRole.RECRUITER, 403, 200),
        (MembershipRole.ADMIN, 422, 200),
    ],
)
def test_starting_and_reading_syncs_follow_the_permission_matrix(
    world: ApiWorld, role: MembershipRole, start: int, read: int
) -> None:
    assert world.request("POST", f"{SYNC}/nowhere", role=role).status_code == start
    assert world.request("GET", f"{SYNC}/runs", role=role).status_code == read
    assert world.request("GET", f"{SYNC}/dead-letters", role=role).status_code == read


def test_another_company_group_sees_none_of_the_runs(world: ApiWorld, bullhorn: str) -> None:
    response = world.request("POST", f"{SYNC}/bullhorn", json={"entities": ["client_companies"]})
    assert finished_job(world, response.headers["Location"])["status"] == "succeeded"

    other = world.headers(tenant=world.b)
    assert world.client.get(f"{SYNC}/runs", headers=other).json()["items"] == []
    assert world.client.get(f"{SYNC}/dead-letters", headers=other).json()["items"] == []
    assert world.client.get(response.headers["Location"], headers=other).status_code == 404
