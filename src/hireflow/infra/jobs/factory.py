"""Choose the job runner the settings ask for: in-process threads by default, Dramatiq workers over Redis."""

from __future__ import annotations

from hireflow.domain.ports.background_jobs import JobRunner
from hireflow.domain.services.background_jobs import TaskRegistry
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError


def build_job_runner(settings: Settings, registry: TaskRegistry) -> JobRunner:
    """The :class:`JobRunner` for ``settings.job_backend``, running the tasks of ``registry``.

    ``dramatiq`` needs ``HIREFLOW_REDIS_URL`` (ConfigurationError otherwise) and the 'jobs' extra
    (MissingExtraError otherwise); nothing connects until the runner is first used.
    """
    if settings.job_backend == "in_process":
        from hireflow.infra.jobs.in_process import InProcessJobRunner

        return InProcessJobRunner(registry)
    if not settings.redis_url:
        raise ConfigurationError(
            "HIREFLOW_JOB_BACKEND=dramatiq needs HIREFLOW_REDIS_URL (e.g. redis://127.0.0.1:6379/0), "
            "the Redis that API processes and workers share"
        )
    from hireflow.infra.jobs.dramatiq_runner import DramatiqJobRunner

    return DramatiqJobRunner(registry, redis_url=settings.redis_url, queue_name=settings.job_queue)
