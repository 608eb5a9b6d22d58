"""``build_job_runner``: the settings choose the runner, and a half-configured Dramatiq fails in one line."""

from __future__ import annotations

import sys

import pytest

from hireflow.domain.ports.background_jobs import JobStatus
from hireflow.domain.services.background_jobs import TaskRegistry
from hireflow.infra.jobs import InProcessJobRunner
from hireflow.infra.jobs.factory import build_job_runner
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError, MissingExtraError


@pytest.fixture
def registry() -> TaskRegistry:
    registry = TaskRegistry()
    registry.register("echo", lambda context, **arguments: arguments)
    return registry


def test_the_default_is_the_in_process_runner(registry: TaskRegistry) -> None:
    runner = build_job_runner(Settings(), registry)
    assert isinstance(runner, InProcessJobRunner)
    try:
        info = runner.wait(runner.submit("echo", {"a": 1}), 5)
        assert (info.status, info.result) == (JobStatus.SUCCEEDED, {"a": 1})
    finally:
        runner.shutdown()


def test_dramatiq_without_a_redis_url_is_a_configuration_error(registry: TaskRegistry) -> None:
    with pytest.raises(ConfigurationError, match="HIREFLOW_JOB_BACKEND=dramatiq needs HIREFLOW_REDIS_URL"):
        build_job_runner(Settings(job_backend="dramatiq"), registry)


def test_dramatiq_without_its_extra_names_the_pip_command(
    registry: TaskRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dramatiq", None)  # what `import dramatiq` sees when it is not installed
    monkeypatch.delitem(sys.modules, "hireflow.infra.jobs.dramatiq_runner", raising=False)
    settings = Settings(job_backend="dramatiq", redis_url="redis://127.0.0.1:1/0")
    with pytest.raises(MissingExtraError) as caught:
        build_job_runner(settings, registry)
    assert str(caught.value) == "the Dramatiq job runner needs the 'jobs' extra: pip install 'hireflow[jobs]'"


@pytest.mark.redis
def test_dramatiq_gives_a_runner_that_shares_jobs_through_redis(
    registry: TaskRegistry, redis_url: str, queue_name: str
) -> None:
    from hireflow.infra.jobs.dramatiq_runner import DramatiqJobRunner

    settings = Settings(job_backend="dramatiq", redis_url=redis_url, job_queue=queue_name)
    runner = build_job_runner(settings, registry)
    assert isinstance(runner, DramatiqJobRunner)
    try:
        assert runner.queue_name == queue_name
        runner.ping()
    finally:
        runner.close()
