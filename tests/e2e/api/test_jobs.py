"""``/api/v1/jobs``: submitting, polling and cancelling background jobs through HTTP (in-process runner)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from hireflow.apps.api.routers import jobs
from hireflow.domain.models.identity import MembershipRole
from tests.e2e.api.world import ApiWorld, Tenant

JOBS = "/api/v1/jobs"
FINAL = {"succeeded", "failed", "cancelled"}


def submit(
    world: ApiWorld, name: str, role: MembershipRole = MembershipRole.RECRUITER, **arguments: Any
) -> Any:
    response = world.request("POST", JOBS, role=role, json={"name": name, "arguments": arguments})
    assert response.status_code == 202, response.text
    return response


def poll(
    world: ApiWorld, job_id: str, until: Callable[[dict[str, Any]], bool], tenant: Tenant | None = None
) -> dict[str, Any]:
    """GET the job until ``until(job)`` holds or 10 s pass; the last answer."""
    deadline = time.monotonic() + 10
    while True:
        response = world.client.get(f"{JOBS}/{job_id}", headers=world.headers(tenant=tenant))
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if until(job) or time.monotonic() > deadline:
            return job
        time.sleep(0.02)


def finished(job: dict[str, Any]) -> bool:
    return job["status"] in FINAL


def test_an_echo_job_is_accepted_polled_and_succeeds_with_its_result(world: ApiWorld) -> None:
    response = submit(world, "echo", candidate_id=7, note="hello")
    accepted = response.json()

    assert response.headers["Location"] == f"{JOBS}/{accepted['id']}"
    assert accepted["name"] == "echo"
    assert accepted["status"] in {"queued", "running", "succeeded"}
    assert "arguments" not in accepted  # never shown back
    done = poll(world, accepted["id"], finished)
    assert done["status"] == "succeeded"
    assert done["result"] == {"candidate_id": 7, "note": "hello"}
    assert (done["progress"], done["message"], done["error"]) == (1.0, "echoed", None)
    times = [datetime.fromisoformat(done[key]) for key in ("created_at", "started_at", "finished_at")]
    assert times == sorted(times)
    assert set(done) == {
        "id", "name", "status", "progress", "message", "result", "error", "cancel_requested",
        "created_at", "started_at", "finished_at",
    }  # fmt: skip


def test_a_running_sleep_is_cancelled_and_keeps_its_partial_result(world: ApiWorld) -> None:
    job_id = submit(world, "sleep", seconds=4).json()["id"]
    poll(world, job_id, lambda job: job["status"] == "running")

    asked = world.request("POST", f"{JOBS}/{job_id}/cancel")

    assert asked.status_code == 200
    assert asked.json()["cancel_requested"] is True
    done = poll(world, job_id, finished)
    assert done["status"] == "cancelled"
    assert done["result"]["cancelled"] is True
    assert done["result"]["slept"] < 4
    again = world.request("POST", f"{JOBS}/{job_id}/cancel")  # a finished job stays as it is
    assert again.status_code == 200
    assert again.json() == done


def test_a_failing_task_reports_its_error(world: ApiWorld) -> None:
    job_id = submit(world, "sleep", seconds=-1).json()["id"]

    done = poll(world, job_id, finished)

    assert done["status"] == "failed"
    assert done["error"].startswith("ValidationFailed: seconds must be between 0 and 60")
    assert done["result"] is None


def test_another_company_groups_job_is_not_found_and_left_alone(world: ApiWorld) -> None:
    job_id = submit(world, "sleep", seconds=1).json()["id"]
    theirs = world.headers(MembershipRole.ADMIN, world.b)

    seen = world.client.get(f"{JOBS}/{job_id}", headers=theirs)
    cancelled = world.client.post(f"{JOBS}/{job_id}/cancel", headers=theirs)
    missing = world.client.get(f"{JOBS}/{'0' * 32}", headers=theirs)

    assert seen.status_code == cancelled.status_code == missing.status_code == 404
    assert seen.json()["type"] == missing.json()["type"] == "https://hireflow.dev/problems/not-found"
    ours = poll(world, job_id, finished)
    assert ours["status"] == "succeeded"  # b's cancel did not reach it
    assert ours["cancel_requested"] is False


def test_readers_read_jobs_but_only_runners_submit_or_cancel(world: ApiWorld) -> None:
    job_id = submit(world, "echo", value=1).json()["id"]
    poll(world, job_id, finished)
    for role in (MembershipRole.VIEWER, MembershipRole.HIRING_MANAGER):
        assert world.request("GET", f"{JOBS}/{job_id}", role=role).json()["status"] == "succeeded"
        refused = world.request("POST", JOBS, role=role, json={"name": "echo", "arguments": {}})
        assert refused.status_code == 403, role
        assert "jobs:run" in refused.json()["detail"]
        assert world.request("POST", f"{JOBS}/{job_id}/cancel", role=role).status_code == 403
    assert world.client.get(f"{JOBS}/{job_id}").status_code == 401
    platform = world.superadmin_headers()  # signed in to no company group
    assert world.client.post(JOBS, headers=platform, json={"name": "echo"}).status_code == 403
    assert world.request("POST", JOBS, role=MembershipRole.ADMIN, json={"name": "echo"}).status_code == 202


def test_unknown_or_unsubmittable_tasks_and_bad_arguments_are_refused(
    world: ApiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    unknown = world.request("POST", JOBS, json={"name": "drop_database", "arguments": {}})
    assert unknown.status_code == 422
    assert [error["field"] for error in unknown.json()["errors"]] == ["name"]
    assert "echo, sleep" in unknown.json()["detail"]

    monkeypatch.setattr(jobs, "SUBMITTABLE_TASKS", frozenset({"echo"}))
    registered_only = world.request("POST", JOBS, json={"name": "sleep", "arguments": {"seconds": 1}})
    assert registered_only.status_code == 422
    assert [error["field"] for error in registered_only.json()["errors"]] == ["name"]

    allowed = world.request("POST", JOBS, json={"name": "echo", "arguments": {}})
    assert allowed.status_code == 202
    monkeypatch.undo()
    wrong_keyword = world.request("POST", JOBS, json={"name": "sleep", "arguments": {"minutes": 1}})
    assert wrong_keyword.status_code == 422
    assert [error["field"] for error in wrong_keyword.json()["errors"]] == ["arguments"]


def test_malformed_bodies_and_job_ids_are_listed(world: ApiWorld) -> None:
    body = {"name": "", "arguments": {"blob": "x" * jobs.MAX_ARGUMENTS_BYTES}, "priority": 1}
    response = world.request("POST", JOBS, json=body)

    assert response.status_code == 422
    assert {error["loc"] for error in response.json()["errors"]} == {
        "body.name",
        "body.arguments",
        "body.priority",
    }
    for bad_id in ("not a job!", "x" * 65):
        refused = world.request("GET", f"{JOBS}/{bad_id}")
        assert refused.status_code == 422, bad_id
        assert [error["loc"] for error in refused.json()["errors"]] == ["path.job_id"]
