"""The default job runner: registered tasks run on a small thread pool inside this process.

Job state lives in memory behind one lock (a condition, so :meth:`InProcessJobRunner.wait` can sleep on it);
everything handed out is an immutable :class:`JobInfo` snapshot. The pool is created on the first submit, so
importing this module or constructing a runner starts no thread.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hireflow.domain.ports.background_jobs import JobInfo, JobStatus, TaskCancelled
from hireflow.domain.services.background_jobs import Task, TaskRegistry, describe_error, json_result
from hireflow.shared.clock import Clock, SystemClock
from hireflow.shared.errors import NotFound, ServiceUnavailable, ValidationFailed
from hireflow.shared.logging import get_logger
from hireflow.shared.types import JSONValue

log = get_logger(__name__)


@dataclass
class _Job:
    """The mutable record behind a job; only touched with the runner's lock held."""

    id: str
    name: str
    task: Task
    arguments: dict[str, JSONValue]
    company_group_id: int | None
    created_at: datetime
    status: JobStatus = JobStatus.QUEUED
    progress: float = 0.0
    message: str | None = None
    result: JSONValue | None = None
    error: str | None = None
    cancel_requested: bool = False
    cancel_seen: bool = False
    started_at: datetime | None = None
    finished_at: datetime | None = None
    future: Future[None] | None = field(default=None, repr=False)

    def info(self) -> JobInfo:
        return JobInfo(
            id=self.id,
            name=self.name,
            company_group_id=self.company_group_id,
            status=self.status,
            progress=self.progress,
            message=self.message,
            result=self.result,
            error=self.error,
            cancel_requested=self.cancel_requested,
            created_at=self.created_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
        )


class _Context:
    """The :class:`TaskContext` a task receives: progress and cancellation go through the runner's lock."""

    def __init__(self, runner: InProcessJobRunner, job: _Job) -> None:
        self._runner = runner
        self._job = job

    @property
    def job_id(self) -> str:
        return self._job.id

    @property
    def company_group_id(self) -> int | None:
        return self._job.company_group_id

    @property
    def cancelled(self) -> bool:
        with self._runner._changed:
            # Remembered so a task that returns after seeing the request ends as cancelled, not succeeded.
            self._job.cancel_seen |= self._job.cancel_requested
            return self._job.cancel_requested

    def report(self, progress: float, message: str | None = None) -> None:
        if not 0.0 <= progress <= 1.0:
            raise ValidationFailed(
                f"progress must be between 0 and 1, got {progress!r}",
                [{"field": "progress", "message": "out of range", "input": progress}],
            )
        with self._runner._changed:
            self._job.progress = progress
            self._job.message = message
            self._runner._changed.notify_all()


class InProcessJobRunner:
    """A :class:`JobRunner` on a lazily started thread pool; thread-safe, state kept in memory only."""

    def __init__(self, registry: TaskRegistry, *, max_workers: int = 2, clock: Clock | None = None) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self._registry = registry
        self._max_workers = max_workers
        self._clock: Clock = clock or SystemClock()
        self._changed = threading.Condition()
        self._jobs: dict[str, _Job] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._closed = False

    def submit(self, name: str, arguments: Mapping[str, Any], *, company_group_id: int | None = None) -> str:
        """Queue task ``name``; the job id. ValidationFailed for an unknown task or bad arguments."""
        fn, copied = self._registry.prepare(name, arguments)
        with self._changed:
            if self._closed:
                raise ServiceUnavailable("the job runner has been shut down; create a new one to submit jobs")
            job = _Job(
                id=uuid.uuid4().hex,
                name=name,
                task=fn,
                arguments=copied,
                company_group_id=company_group_id,
                created_at=self._clock.now(),
            )
            self._jobs[job.id] = job
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self._max_workers, thread_name_prefix="hireflow-job"
                )
            job.future = self._pool.submit(self._run, job)
        log.info("job queued", job_id=job.id, task=name, company_group_id=company_group_id)
        return job.id

    def status(self, job_id: str, *, company_group_id: int | None = None) -> JobInfo:
        """The job's current state; NotFound when it is unknown or another tenant's."""
        with self._changed:
            return self._find(job_id, company_group_id).info()

    def cancel(self, job_id: str, *, company_group_id: int | None = None) -> JobInfo:
        """Cancel a queued job at once, ask a running one to stop; a finished one is returned unchanged."""
        with self._changed:
            job = self._find(job_id, company_group_id)
            if job.status is JobStatus.QUEUED:
                self._finish(job, JobStatus.CANCELLED)
                if job.future is not None:
                    job.future.cancel()  # frees the pool slot; _run also checks, in case it already started
            elif job.status is JobStatus.RUNNING:
                job.cancel_requested = True
                self._changed.notify_all()
            return job.info()

    def wait(self, job_id: str, timeout: float) -> JobInfo:
        """Block up to ``timeout`` seconds for the job to finish; its state then (any tenant: tests, CLI)."""
        with self._changed:
            job = self._jobs.get(job_id)
            if job is None:
                raise NotFound("job", job_id)
            self._changed.wait_for(lambda: job.status.finished, timeout=timeout)
            return job.info()

    def shutdown(self, wait: bool = True) -> None:
        """Refuse new jobs; with ``wait`` finish every submitted job, else cancel queued ones and ask running
        ones to stop without blocking."""
        with self._changed:
            self._closed = True
            pool = self._pool
            if not wait:
                for job in self._jobs.values():
                    if job.status is JobStatus.QUEUED:
                        self._finish(job, JobStatus.CANCELLED)
                    elif job.status is JobStatus.RUNNING:
                        job.cancel_requested = True
                self._changed.notify_all()
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=not wait)

    def _find(self, job_id: str, company_group_id: int | None) -> _Job:
        job = self._jobs.get(job_id)
        # Another tenant's job raises exactly what a missing one does, so ids cannot be probed.
        if job is None or job.company_group_id != company_group_id:
            raise NotFound("job", job_id)
        return job

    def _finish(self, job: _Job, status: JobStatus) -> None:
        job.status = status
        job.finished_at = max(self._clock.now(), job.started_at or job.created_at)
        self._changed.notify_all()

    def _run(self, job: _Job) -> None:
        with self._changed:
            if job.status is not JobStatus.QUEUED:
                return  # cancelled while it waited for a worker
            job.status = JobStatus.RUNNING
            job.started_at = max(self._clock.now(), job.created_at)
            self._changed.notify_all()
        bound = log.bind(job_id=job.id, task=job.name, company_group_id=job.company_group_id)
        try:
            result = json_result(job.name, job.task(_Context(self, job), **job.arguments))
        except TaskCancelled:
            with self._changed:
                self._finish(job, JobStatus.CANCELLED)
            bound.info("job cancelled")
        except Exception as exc:  # a task's failure is the job's outcome, not the worker thread's
            bound.exception("job failed")
            with self._changed:
                job.error = describe_error(exc)
                self._finish(job, JobStatus.FAILED)
        else:
            with self._changed:
                job.result = result
                # A task that saw the request and returned early stopped on purpose: the job is cancelled,
                # and what it returned (its partial work) is kept. One that never looked simply finished.
                status = JobStatus.CANCELLED if job.cancel_seen else JobStatus.SUCCEEDED
                self._finish(job, status)
            bound.info("job finished", status=status.value)
