"""``hireflow worker`` as an operator runs it: refusals in one line, and a real worker consuming real jobs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hireflow.apps.tasks import hireflow_tasks
from hireflow.domain.ports.background_jobs import JobStatus
from tests.e2e.cli import CONSOLE_SCRIPT, hireflow, one_line_error
from tests.redis_support import delete_keys, require_redis, unique_name

STARTUP_TIMEOUT = 20.0  # a fresh interpreter importing dramatiq, then the consumer's first poll
UNREACHABLE_REDIS = "redis://:hunter2@127.0.0.1:1/0"


def test_worker_refuses_when_jobs_run_in_process(tmp_path: Path) -> None:
    result = hireflow("worker", cwd=tmp_path)
    one_line_error(result, 78, "HIREFLOW_JOB_BACKEND is 'in_process'", "HIREFLOW_JOB_BACKEND=dramatiq")


def test_worker_refuses_without_a_redis_url(tmp_path: Path) -> None:
    result = hireflow("worker", cwd=tmp_path, env={"HIREFLOW_JOB_BACKEND": "dramatiq"})
    one_line_error(result, 78, "hireflow worker needs HIREFLOW_REDIS_URL")


def test_worker_reports_an_unreachable_redis_in_one_line(tmp_path: Path) -> None:
    env = {"HIREFLOW_JOB_BACKEND": "dramatiq", "HIREFLOW_REDIS_URL": UNREACHABLE_REDIS}
    line = one_line_error(
        hireflow("worker", cwd=tmp_path, env=env), 69, "cannot reach Redis at redis://:***@"
    )
    assert "hunter2" not in line


def test_worker_help_lists_its_options(tmp_path: Path) -> None:
    result = hireflow("worker", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for option in ("--processes", "--threads", "--queue"):
        assert option in result.stdout


@pytest.fixture
def redis_url() -> str:
    return require_redis()


@pytest.fixture
def queue_name(redis_url: str) -> Iterator[str]:
    """A queue of this test's own; its broker keys and the jobs' records are deleted afterwards."""
    name = unique_name("q")
    yield name
    # The command uses the default key prefix, so clean up by name: this queue's keys, then its jobs (below).
    delete_keys(redis_url, f"hireflow:dramatiq:{name}*")
    delete_keys(redis_url, f"hireflow:dramatiq:__acks__.*.{name}*")


def _start_worker(tmp_path: Path, redis_url: str, queue: str, *args: str) -> subprocess.Popen[str]:
    command = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m", "hireflow"]
    env = {name: value for name, value in os.environ.items() if not name.startswith("HIREFLOW_")}
    env.update(HIREFLOW_JOB_BACKEND="dramatiq", HIREFLOW_REDIS_URL=redis_url, HIREFLOW_LOG_FORMAT="json")
    log = (tmp_path / "worker.log").open("w")
    try:
        return subprocess.Popen(
            [*command, "worker", "--queue", queue, "--threads", "2", *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=tmp_path,
            env=env,
        )
    finally:
        log.close()  # the child has its own copy of the descriptor


@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_worker_runs_submitted_jobs_and_stops_cleanly_on_sigterm(
    tmp_path: Path, redis_url: str, queue_name: str, processes: str
) -> None:
    from hireflow.infra.jobs.dramatiq_runner import DramatiqJobRunner

    worker = _start_worker(tmp_path, redis_url, queue_name, "--processes", processes)
    job_ids: list[str] = []
    try:
        with DramatiqJobRunner(hireflow_tasks(), redis_url=redis_url, queue_name=queue_name) as runner:
            job_ids += [runner.submit("echo", {"hello": "world", "n": n}, company_group_id=n) for n in (1, 2)]
            for n, job_id in enumerate(job_ids, start=1):
                info = runner.wait(job_id, STARTUP_TIMEOUT)
                assert (info.status, info.result) == (JobStatus.SUCCEEDED, {"hello": "world", "n": n}), (
                    tmp_path / "worker.log"
                ).read_text()
        worker.send_signal(signal.SIGTERM)
        exit_code = worker.wait(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        for job_id in job_ids:
            delete_keys(redis_url, f"hireflow:job:{job_id}")
    output = (tmp_path / "worker.log").read_text()
    assert exit_code == 0, output
    assert "Traceback" not in output
    assert '"event": "worker stopped"' in output
