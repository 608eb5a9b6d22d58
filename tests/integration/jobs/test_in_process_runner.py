"""The in-process job runner, for real: threads, progress, failures, cancellation, tenants and shutdown.

Tasks are steered with ``threading.Event``s, so every test decides exactly when a task starts and ends; every
wait is bounded, so a bug fails the test instead of hanging it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from structlog.testing import capture_logs

from hireflow.domain.ports.background_jobs import JobStatus, TaskContext
from hireflow.domain.services.background_jobs import TaskRegistry
from hireflow.infra.jobs import InProcessJobRunner
from hireflow.shared.errors import NotFound, ServiceUnavailable, ValidationFailed
from tests.integration.jobs.tasks import TIMEOUT, Gates


@pytest.fixture
def runner(registry: TaskRegistry, gates: Gates) -> Iterator[InProcessJobRunner]:
    runner = InProcessJobRunner(registry, max_workers=2)
    yield runner
    gates.open_all()  # whatever a failed test left blocked, so shutdown cannot hang
    runner.shutdown(wait=True)


def _job_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("hireflow-job")]


def test_constructing_a_runner_starts_no_thread(
    registry: TaskRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    original = threading.Thread.start

    def recording_start(self: threading.Thread) -> None:
        started.append(self.name)
        original(self)

    monkeypatch.setattr(threading.Thread, "start", recording_start)
    runner = InProcessJobRunner(registry, max_workers=4)
    runner.shutdown()  # nothing started, nothing to stop
    assert started == []


def test_the_pool_starts_on_the_first_submit(runner: InProcessJobRunner) -> None:
    assert _job_threads() == []
    job_id = runner.submit("double", {"n": 1})
    assert runner.wait(job_id, TIMEOUT).status is JobStatus.SUCCEEDED
    assert _job_threads() != []


def test_a_job_succeeds_with_its_result(runner: InProcessJobRunner) -> None:
    job_id = runner.submit("double", {"n": 21}, company_group_id=4)
    info = runner.wait(job_id, TIMEOUT)
    assert info.status is JobStatus.SUCCEEDED
    assert info.result == {"double": 42}
    assert (info.progress, info.message, info.error) == (1.0, "done", None)
    assert (info.id, info.name, info.company_group_id) == (job_id, "double", 4)
    assert info.started_at is not None
    assert info.finished_at is not None
    assert info.created_at <= info.started_at <= info.finished_at
    assert runner.status(job_id, company_group_id=4) == info


def test_progress_is_visible_while_the_job_runs(runner: InProcessJobRunner, gates: Gates) -> None:
    job_id = runner.submit("blocking", {"key": "a", "result": [1, 2]})
    gates.wait("a.started")
    info = runner.status(job_id)
    assert info.status is JobStatus.RUNNING
    assert (info.progress, info.message, info.finished_at) == (0.5, "half-way", None)
    gates["a.release"].set()
    assert runner.wait(job_id, TIMEOUT).result == [1, 2]


def test_wait_returns_the_current_state_when_the_timeout_passes(
    runner: InProcessJobRunner, gates: Gates
) -> None:
    job_id = runner.submit("blocking", {"key": "a"})
    gates.wait("a.started")
    assert runner.wait(job_id, 0.01).status is JobStatus.RUNNING


def test_a_failure_is_captured_in_one_line_and_logged(runner: InProcessJobRunner) -> None:
    with capture_logs() as logs:
        job_id = runner.submit("fail", {"candidate_id": 9})
        info = runner.wait(job_id, TIMEOUT)
    assert info.status is JobStatus.FAILED
    assert info.error == "LookupError: candidate 9 is gone"
    assert info.result is None
    failed = [entry for entry in logs if entry["event"] == "job failed"]
    assert len(failed) == 1
    assert failed[0]["job_id"] == job_id
    assert failed[0]["exc_info"] is True


def test_a_result_that_is_not_json_fails_the_job(runner: InProcessJobRunner) -> None:
    info = runner.wait(runner.submit("bad_result", {}), TIMEOUT)
    assert info.status is JobStatus.FAILED
    assert info.error is not None
    assert info.error.startswith(
        "ValidationFailed: task 'bad_result' returned a result that is not JSON-serialisable"
    )


def test_progress_out_of_range_fails_the_job(runner: InProcessJobRunner) -> None:
    info = runner.wait(runner.submit("bad_progress", {}), TIMEOUT)
    assert info.status is JobStatus.FAILED
    assert info.error == "ValidationFailed: progress must be between 0 and 1, got 2.0"


def test_an_unknown_task_is_refused_before_anything_runs(runner: InProcessJobRunner) -> None:
    with pytest.raises(ValidationFailed, match="unknown task 'nope'; registered tasks: bad_progress, "):
        runner.submit("nope", {})
    assert _job_threads() == []


def test_arguments_that_are_not_json_are_refused_naming_the_key(runner: InProcessJobRunner) -> None:
    with pytest.raises(ValidationFailed, match="not JSON-serialisable: result") as caught:
        runner.submit("blocking", {"key": "a", "result": {1, 2}})
    assert caught.value.errors[0]["field"] == "result"
    with pytest.raises(ValidationFailed, match="do not fit the task"):
        runner.submit("double", {"m": 1})


def test_a_queued_job_is_cancelled_at_once_and_never_runs(registry: TaskRegistry, gates: Gates) -> None:
    runner = InProcessJobRunner(registry, max_workers=1)
    try:
        first = runner.submit("blocking", {"key": "first"})
        gates.wait("first.started")  # the only worker is busy: the next job stays queued
        second = runner.submit("blocking", {"key": "second"})
        assert runner.status(second).status is JobStatus.QUEUED
        info = runner.cancel(second)
        assert info.status is JobStatus.CANCELLED
        assert info.started_at is None
        assert info.finished_at is not None
        gates["first.release"].set()
        assert runner.wait(first, TIMEOUT).status is JobStatus.SUCCEEDED
        assert runner.wait(second, TIMEOUT) == info
        assert not gates["second.started"].is_set()
    finally:
        gates.open_all()
        runner.shutdown(wait=True)
    assert runner.status(second) == info


@pytest.mark.parametrize(
    ("how", "result"), [("return", {"processed": 3}), ("raise", None)], ids=["returns", "raises"]
)
def test_a_running_job_is_asked_to_stop(
    runner: InProcessJobRunner, gates: Gates, how: str, result: Any
) -> None:
    job_id = runner.submit("until_cancelled", {"key": "a", "how": how})
    gates.wait("a.started")
    asked = runner.cancel(job_id)
    assert asked.status is JobStatus.RUNNING  # cooperative: the task decides when it stops
    assert asked.cancel_requested
    info = runner.wait(job_id, TIMEOUT)
    assert info.status is JobStatus.CANCELLED
    assert info.result == result  # partial work a task returns is kept
    assert info.error is None


def test_a_task_that_never_looks_at_the_request_finishes_normally(
    runner: InProcessJobRunner, gates: Gates
) -> None:
    job_id = runner.submit("until_cancelled", {"key": "a", "how": "ignore"})
    gates.wait("a.started")
    runner.cancel(job_id)
    gates["a.release"].set()
    info = runner.wait(job_id, TIMEOUT)
    assert (info.status, info.result, info.cancel_requested) == (JobStatus.SUCCEEDED, "finished anyway", True)


def test_cancelling_a_finished_job_changes_nothing(runner: InProcessJobRunner) -> None:
    job_id = runner.submit("double", {"n": 1})
    done = runner.wait(job_id, TIMEOUT)
    assert runner.cancel(job_id) == done


def test_another_tenants_job_is_indistinguishable_from_a_missing_one(
    runner: InProcessJobRunner, gates: Gates
) -> None:
    job_id = runner.submit("blocking", {"key": "a"}, company_group_id=1)
    gates.wait("a.started")
    errors: list[NotFound] = []
    for call in (runner.status, runner.cancel):
        for tenant in (2, None):
            with pytest.raises(NotFound) as caught:
                call(job_id, company_group_id=tenant)
            errors.append(caught.value)
    with pytest.raises(NotFound) as missing:
        runner.status("f" * 32, company_group_id=1)
    assert {(type(e), e.entity) for e in errors} == {(type(missing.value), missing.value.entity)}
    assert {str(e) for e in errors} == {str(missing.value).replace("f" * 32, job_id)}
    info = runner.status(job_id, company_group_id=1)
    assert info.status is JobStatus.RUNNING
    assert not info.cancel_requested  # the other tenant's cancel did not reach it


def test_many_jobs_all_finish_within_the_pool_size(registry: TaskRegistry) -> None:
    lock = threading.Lock()
    running = {"now": 0, "most": 0}

    @registry.task("count")
    def count(context: TaskContext, n: int) -> int:
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        with lock:
            running["now"] -= 1
        return n

    runner = InProcessJobRunner(registry, max_workers=3)
    ids: list[tuple[str, int]] = []
    ids_lock = threading.Lock()

    def submit_many(offset: int) -> None:
        for n in range(offset, offset + 25):
            job_id = runner.submit("count", {"n": n}, company_group_id=n % 2)
            with ids_lock:
                ids.append((job_id, n))

    submitters = [threading.Thread(target=submit_many, args=(k * 25,)) for k in range(4)]
    try:
        for thread in submitters:
            thread.start()
        for thread in submitters:
            thread.join(TIMEOUT)
        assert len(ids) == 100
        assert len({job_id for job_id, _ in ids}) == 100
        for job_id, n in ids:
            info = runner.wait(job_id, TIMEOUT)
            assert (info.status, info.result, info.company_group_id) == (JobStatus.SUCCEEDED, n, n % 2)
    finally:
        runner.shutdown(wait=True)
    assert 1 <= running["most"] <= 3


def test_shutdown_finishes_submitted_jobs_then_refuses_new_ones(registry: TaskRegistry, gates: Gates) -> None:
    runner = InProcessJobRunner(registry, max_workers=1)
    first = runner.submit("blocking", {"key": "a", "result": "a"})
    gates.wait("a.started")
    queued = runner.submit("double", {"n": 2})
    gates["a.release"].set()
    runner.shutdown(wait=True)
    assert runner.status(first).result == "a"
    assert runner.status(queued).result == {"double": 4}
    assert _job_threads() == []
    with pytest.raises(ServiceUnavailable, match="shut down"):
        runner.submit("double", {"n": 1})


def test_shutdown_without_waiting_cancels_queued_jobs_and_asks_running_ones_to_stop(
    registry: TaskRegistry, gates: Gates
) -> None:
    runner = InProcessJobRunner(registry, max_workers=1)
    running = runner.submit("until_cancelled", {"key": "a", "how": "raise"})
    gates.wait("a.started")
    queued = runner.submit("double", {"n": 2})
    runner.shutdown(wait=False)
    assert runner.status(queued).status is JobStatus.CANCELLED
    assert runner.wait(running, TIMEOUT).status is JobStatus.CANCELLED
    runner.shutdown(wait=True)  # joins the worker, so no thread outlives the test
