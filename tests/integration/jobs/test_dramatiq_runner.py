"""The Dramatiq job runner, for real: a Redis server, and a ``dramatiq.Worker`` on threads of this process.

The behaviour mirrors ``test_in_process_runner.py``: tasks are steered with ``threading.Event``s (the worker runs
in this process), and every wait is bounded, so a bug fails the test instead of hanging it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import dramatiq
import pytest
import redis
from structlog.testing import capture_logs

from hireflow.domain.ports.background_jobs import JobStatus
from hireflow.domain.services.background_jobs import TaskRegistry
from hireflow.infra.jobs.dramatiq_runner import DramatiqJobRunner, _WorkerContext
from hireflow.shared.errors import ConfigurationError, NotFound, ServiceUnavailable, ValidationFailed
from tests.integration.jobs.tasks import TIMEOUT, Gates

pytestmark = pytest.mark.redis

StartWorker = Callable[..., dramatiq.Worker]


@pytest.fixture
def make_runner(
    registry: TaskRegistry, redis_url: str, key_prefix: str, queue_name: str
) -> Iterator[Callable[..., DramatiqJobRunner]]:
    """Runners on this test's Redis prefix and queue, as separate processes would build them; closed after."""
    runners: list[DramatiqJobRunner] = []

    def make(registry_: TaskRegistry | None = None) -> DramatiqJobRunner:
        runner = DramatiqJobRunner(
            registry if registry_ is None else registry_,
            redis_url=redis_url,
            queue_name=queue_name,
            key_prefix=key_prefix,
            poll_interval=0.01,
            cancel_check_interval=0.02,
        )
        runners.append(runner)
        return runner

    yield make
    for runner in runners:
        runner.close()


@pytest.fixture
def runner(make_runner: Callable[..., DramatiqJobRunner]) -> DramatiqJobRunner:
    return make_runner()


@pytest.fixture
def start_worker(runner: DramatiqJobRunner, gates: Gates) -> Iterator[StartWorker]:
    """Start a real Dramatiq worker on the runner's broker (at most one per test); stopped afterwards."""
    workers: list[dramatiq.Worker] = []

    def start(threads: int = 2) -> dramatiq.Worker:
        worker = dramatiq.Worker(runner.broker, worker_threads=threads, worker_timeout=50)
        worker.start()
        workers.append(worker)
        return worker

    yield start
    gates.open_all()  # whatever a failed test left blocked, so stop cannot hang
    for worker in workers:
        worker.stop(timeout=int(TIMEOUT * 1000))


@pytest.fixture
def worker(start_worker: StartWorker) -> dramatiq.Worker:
    return start_worker()


def _eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not check():
        assert time.monotonic() < deadline, f"{what} did not happen within {TIMEOUT}s"
        time.sleep(0.01)


def _job_keys(redis_url: str, key_prefix: str) -> list[bytes]:
    client = redis.Redis.from_url(redis_url)
    try:
        return list(client.scan_iter(match=f"{key_prefix}job:*"))
    finally:
        client.close()


# -- without Redis -------------------------------------------------------------------------------------------
def test_constructing_a_runner_connects_to_nothing_and_starts_no_thread(registry: TaskRegistry) -> None:
    before = threading.active_count()
    runner = DramatiqJobRunner(registry, redis_url="redis://127.0.0.1:1/0")
    assert threading.active_count() == before
    assert runner.broker is not dramatiq.broker.global_broker
    runner.close()


def test_an_unreachable_redis_is_one_clear_error_with_the_password_masked(registry: TaskRegistry) -> None:
    with DramatiqJobRunner(registry, redis_url="redis://:hunter2@127.0.0.1:1/0") as runner:
        with pytest.raises(
            ServiceUnavailable, match=r"cannot reach Redis at redis://:\*\*\*@127.0.0.1:1/0: "
        ) as e:
            runner.submit("double", {"n": 1})
        assert "hunter2" not in str(e.value)
        assert "\n" not in str(e.value)


def test_an_invalid_queue_name_is_a_configuration_error(registry: TaskRegistry) -> None:
    with pytest.raises(ConfigurationError, match="HIREFLOW_JOB_QUEUE"):
        DramatiqJobRunner(registry, redis_url="redis://127.0.0.1:1/0", queue_name="no spaces")


# -- with Redis and a worker ---------------------------------------------------------------------------------
@pytest.mark.usefixtures("worker")
def test_a_job_succeeds_with_its_result(runner: DramatiqJobRunner) -> None:
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


@pytest.mark.usefixtures("worker")
def test_the_job_record_lives_in_redis_with_a_ttl(
    runner: DramatiqJobRunner, redis_url: str, key_prefix: str
) -> None:
    job_id = runner.submit("double", {"n": 1})
    runner.wait(job_id, TIMEOUT)
    assert _job_keys(redis_url, key_prefix) == [f"{key_prefix}job:{job_id}".encode()]
    client = redis.Redis.from_url(redis_url)
    try:
        ttl = client.ttl(f"{key_prefix}job:{job_id}")
    finally:
        client.close()
    assert timedelta(days=7) - timedelta(minutes=1) < timedelta(seconds=ttl) <= timedelta(days=7)


@pytest.mark.usefixtures("worker")
def test_progress_is_visible_while_the_job_runs(runner: DramatiqJobRunner, gates: Gates) -> None:
    job_id = runner.submit("blocking", {"key": "a", "result": [1, 2]})
    gates.wait("a.started")
    info = runner.status(job_id)
    assert info.status is JobStatus.RUNNING
    assert (info.progress, info.message, info.finished_at) == (0.5, "half-way", None)
    gates["a.release"].set()
    assert runner.wait(job_id, TIMEOUT).result == [1, 2]


@pytest.mark.usefixtures("worker")
def test_wait_returns_the_current_state_when_the_timeout_passes(
    runner: DramatiqJobRunner, gates: Gates
) -> None:
    job_id = runner.submit("blocking", {"key": "a"})
    gates.wait("a.started")
    assert runner.wait(job_id, 0.01).status is JobStatus.RUNNING


@pytest.mark.usefixtures("worker")
def test_a_failure_is_captured_in_one_line_and_logged(runner: DramatiqJobRunner) -> None:
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


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize(
    ("task", "error"),
    [
        ("bad_result", "ValidationFailed: task 'bad_result' returned a result that is not JSON-serialisable"),
        ("bad_progress", "ValidationFailed: progress must be between 0 and 1, got 2.0"),
    ],
)
def test_a_bad_result_or_progress_fails_the_job(runner: DramatiqJobRunner, task: str, error: str) -> None:
    info = runner.wait(runner.submit(task, {}), TIMEOUT)
    assert info.status is JobStatus.FAILED
    assert info.error is not None
    assert info.error.startswith(error)


def test_unknown_tasks_and_bad_arguments_are_refused_before_anything_is_stored(
    runner: DramatiqJobRunner, redis_url: str, key_prefix: str
) -> None:
    with pytest.raises(ValidationFailed, match="unknown task 'nope'; registered tasks: bad_progress, "):
        runner.submit("nope", {})
    with pytest.raises(ValidationFailed, match="not JSON-serialisable: result") as caught:
        runner.submit("blocking", {"key": "a", "result": {1, 2}})
    assert caught.value.errors[0]["field"] == "result"
    with pytest.raises(ValidationFailed, match="do not fit the task"):
        runner.submit("double", {"m": 1})
    assert _job_keys(redis_url, key_prefix) == []


def test_a_queued_job_is_cancelled_at_once_and_the_worker_skips_it(
    runner: DramatiqJobRunner, start_worker: StartWorker, gates: Gates
) -> None:
    job_id = runner.submit("blocking", {"key": "a"})  # no worker yet: it stays queued
    assert runner.status(job_id).status is JobStatus.QUEUED
    info = runner.cancel(job_id)
    assert info.status is JobStatus.CANCELLED
    assert info.started_at is None
    assert info.finished_at is not None
    with capture_logs() as logs:
        start_worker()
        _eventually(lambda: any(entry["event"] == "job skipped" for entry in logs), "the skip")
    assert not gates["a.started"].is_set()
    assert runner.status(job_id) == info


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize(
    ("how", "result"), [("return", {"processed": 3}), ("raise", None)], ids=["returns", "raises"]
)
def test_a_running_job_is_asked_to_stop(
    runner: DramatiqJobRunner, gates: Gates, how: str, result: Any
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


@pytest.mark.usefixtures("worker")
def test_a_task_that_never_looks_at_the_request_finishes_normally(
    runner: DramatiqJobRunner, gates: Gates
) -> None:
    job_id = runner.submit("until_cancelled", {"key": "a", "how": "ignore"})
    gates.wait("a.started")
    runner.cancel(job_id)
    gates["a.release"].set()
    info = runner.wait(job_id, TIMEOUT)
    assert (info.status, info.result, info.cancel_requested) == (JobStatus.SUCCEEDED, "finished anyway", True)


@pytest.mark.usefixtures("worker")
def test_cancelling_a_finished_job_changes_nothing(runner: DramatiqJobRunner) -> None:
    job_id = runner.submit("double", {"n": 1})
    done = runner.wait(job_id, TIMEOUT)
    assert runner.cancel(job_id) == done


@pytest.mark.usefixtures("worker")
def test_another_tenants_job_is_indistinguishable_from_a_missing_one(
    runner: DramatiqJobRunner, gates: Gates
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
    with pytest.raises(NotFound):
        runner.wait("f" * 32, TIMEOUT)


@pytest.mark.usefixtures("worker")
def test_a_second_runner_sees_and_steers_the_same_jobs(
    runner: DramatiqJobRunner, make_runner: Callable[..., DramatiqJobRunner], gates: Gates
) -> None:
    """Another process (an API replica with no tasks of its own) shares every job through Redis."""
    elsewhere = make_runner(TaskRegistry())
    job_id = runner.submit("until_cancelled", {"key": "a", "how": "return"}, company_group_id=7)
    gates.wait("a.started")
    assert elsewhere.status(job_id, company_group_id=7) == runner.status(job_id, company_group_id=7)
    assert elsewhere.cancel(job_id, company_group_id=7).cancel_requested
    info = elsewhere.wait(job_id, TIMEOUT)
    assert (info.status, info.result) == (JobStatus.CANCELLED, {"processed": 3})
    assert runner.status(job_id, company_group_id=7) == info
    with pytest.raises(ValidationFailed, match="registered tasks: none"):
        elsewhere.submit("double", {"n": 1})


def test_a_job_whose_worker_died_runs_again_when_redelivered(
    runner: DramatiqJobRunner, start_worker: StartWorker, redis_url: str, key_prefix: str
) -> None:
    job_id = runner.submit("double", {"n": 4})
    queued = runner.status(job_id)
    # What a worker killed mid-job leaves behind: the record says running, the message is still unacknowledged.
    client = redis.Redis.from_url(redis_url)
    try:
        created_at = client.hget(f"{key_prefix}job:{job_id}", "created_at")
        assert created_at is not None
        client.hset(f"{key_prefix}job:{job_id}", mapping={"status": "running", "started_at": created_at})
    finally:
        client.close()
    assert runner.status(job_id).status is JobStatus.RUNNING
    with capture_logs() as logs:
        start_worker()
        info = runner.wait(job_id, TIMEOUT)
    assert (info.status, info.result, info.started_at) == (
        JobStatus.SUCCEEDED,
        {"double": 8},
        queued.created_at,
    )
    assert [entry["log_level"] for entry in logs if entry["event"].startswith("job delivered again")] == [
        "warning"
    ]


def test_many_jobs_all_finish(runner: DramatiqJobRunner, start_worker: StartWorker) -> None:
    start_worker(threads=4)
    ids = [(runner.submit("double", {"n": n}, company_group_id=n % 2), n) for n in range(40)]
    for job_id, n in ids:
        info = runner.wait(job_id, TIMEOUT)
        assert (info.status, info.result, info.company_group_id) == (
            JobStatus.SUCCEEDED,
            {"double": 2 * n},
            n % 2,
        )


# -- the task's view of cancellation -------------------------------------------------------------------------
class _CountingStore:
    def __init__(self) -> None:
        self.reads = 0
        self.requested = False

    def cancel_requested(self, job_id: str) -> bool:
        self.reads += 1
        return self.requested

    def report(self, job_id: str, progress: float, message: str | None) -> bool:
        return self.requested


def test_a_tight_loop_on_cancelled_reads_redis_once_per_interval() -> None:
    store = _CountingStore()
    now = [100.0]
    context = _WorkerContext(store, "job", None, check_interval=0.25, monotonic=lambda: now[0])  # type: ignore[arg-type]
    assert [context.cancelled for _ in range(1000)] == [False] * 1000
    assert store.reads == 1
    store.requested = True
    now[0] += 0.2
    assert not context.cancelled  # still cached
    now[0] += 0.1
    assert context.cancelled
    reads = store.reads
    assert all(context.cancelled for _ in range(100))
    assert store.reads == reads  # once seen, never read again
    assert context.cancel_seen


def test_reporting_progress_refreshes_the_cancel_flag() -> None:
    store = _CountingStore()
    context = _WorkerContext(store, "job", 3, check_interval=60, monotonic=lambda: 0.0)  # type: ignore[arg-type]
    assert not context.cancelled
    store.requested = True
    context.report(0.5, "half")
    assert context.cancelled
    assert store.reads == 1
    with pytest.raises(ValidationFailed, match=r"progress must be between 0 and 1, got -0\.1"):
        context.report(-0.1)
