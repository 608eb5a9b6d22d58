"""``hireflow worker``: run background jobs on Dramatiq workers, fed through Redis."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from typing import Annotated

import typer


def worker(
    processes: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    threads: Annotated[
        int, typer.Option(min=1, help="Threads per process; each runs one job at a time.")
    ] = 4,
    queue: Annotated[
        str | None,
        typer.Option(help="Queue to consume (default: HIREFLOW_JOB_QUEUE).", show_default=False),
    ] = None,
) -> None:
    """Run background jobs until SIGINT/SIGTERM (needs HIREFLOW_JOB_BACKEND=dramatiq and Redis)."""
    from hireflow.apps.tasks import hireflow_tasks
    from hireflow.shared.config import get_settings
    from hireflow.shared.errors import ConfigurationError
    from hireflow.shared.extras import require
    from hireflow.shared.logging import configure_logging

    settings = get_settings()
    if settings.job_backend != "dramatiq":
        raise ConfigurationError(
            f"HIREFLOW_JOB_BACKEND is '{settings.job_backend}': jobs run inside the API process, so there is "
            "nothing for a worker to do; set HIREFLOW_JOB_BACKEND=dramatiq and HIREFLOW_REDIS_URL to use workers"
        )
    if not settings.redis_url:
        raise ConfigurationError(
            "hireflow worker needs HIREFLOW_REDIS_URL (e.g. redis://127.0.0.1:6379/0), the Redis that API "
            "processes and workers share"
        )
    require("jobs", "dramatiq", "hireflow worker")
    require("jobs", "redis", "hireflow worker")
    from hireflow.infra.jobs.dramatiq_worker import WorkerOptions, run_workers

    # A worker reports what it does: INFO unless a level was asked for (--log-level or HIREFLOW_LOG_LEVEL).
    level = settings.log_level if "log_level" in settings.model_fields_set else "INFO"
    configure_logging(level, settings.log_format)
    options = WorkerOptions(
        redis_url=settings.redis_url,
        queue_name=queue or settings.job_queue,
        threads=threads,
        log_level=level,
        log_format=settings.log_format,
    )
    run_workers(options, hireflow_tasks, processes=processes)
