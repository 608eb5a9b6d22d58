"""The scale-out job runner: tasks run on ``hireflow worker`` processes, fed by Dramatiq over Redis.

Job state lives in Redis (:class:`~hireflow.infra.jobs.redis_job_store.RedisJobStore`), so every API and worker
process, on any machine, sees the same jobs. A message carries only the job id; one actor,
``hireflow_run_task``, looks the task up in the worker's :class:`TaskRegistry` and runs it. The Redis broker
acknowledges a message after it was processed, so a job whose worker died is delivered again (tasks are
idempotent) and runs anew.

Nothing happens on import: each runner builds its own Redis client, broker and actor (never Dramatiq's global
broker), and connects on first use.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import suppress
from datetime import timedelta
from types import TracebackType
from typing import Any, Self

from hireflow.domain.ports.background_jobs import JobInfo, JobStatus, TaskCancelled
from hireflow.domain.services.background_jobs import TaskRegistry, describe_error, json_result
from hireflow.infra.jobs.redis_job_store import RedisJobStore
from hireflow.shared.clock import Clock, SystemClock
from hireflow.shared.errors import (
    ConfigurationError,
    MissingExtraError,
    NotFound,
    ServiceUnavailable,
    ValidationFailed,
)
from hireflow.shared.logging import get_logger

try:
    import dramatiq
    import redis
    from dramatiq.brokers.redis import RedisBroker
    from dramatiq.middleware import Retries
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("jobs", "the Dramatiq job runner") from exc

log = get_logger(__name__)

ACTOR_NAME = "hireflow_run_task"
DEFAULT_KEY_PREFIX = "hireflow:"
DEFAULT_TTL = timedelta(days=7)
_QUEUE_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_-]*")


class _WorkerContext:
    """The :class:`TaskContext` of a job on a worker: progress goes to Redis, cancellation is read from it.

    Reads of the cancel flag are cached for ``check_interval`` seconds, so a task polling ``cancelled`` in a
    tight loop costs Redis a few reads a second; once seen, the request is remembered.
    """

    def __init__(
        self,
        store: RedisJobStore,
        job_id: str,
        company_group_id: int | None,
        check_interval: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._job_id = job_id
        self._company_group_id = company_group_id
        self._check_interval = check_interval
        self._monotonic = monotonic
        self._requested = False
        self._checked_at: float | None = None
        self.cancel_seen = False

    @property
    def job_id(self) -> str:
        return self._job_id

    @property
    def company_group_id(self) -> int | None:
        return self._company_group_id

    @property
    def cancelled(self) -> bool:
        now = self._monotonic()
        stale = self._checked_at is None or now - self._checked_at >= self._check_interval
        if not self._requested and stale:
            self._requested = self._store.cancel_requested(self._job_id)
            self._checked_at = now
        # Remembered so a task that returns after seeing the request ends as cancelled, not succeeded.
        self.cancel_seen |= self._requested
        return self._requested

    def report(self, progress: float, message: str | None = None) -> None:
        if not 0.0 <= progress <= 1.0:
            raise ValidationFailed(
                f"progress must be between 0 and 1, got {progress!r}",
                [{"field": "progress", "message": "out of range", "input": progress}],
            )
        # The write answers whether a cancel was requested: a free refresh of the cached flag.
        self._requested |= self._store.report(self._job_id, progress, message)
        self._checked_at = self._monotonic()


class DramatiqJobRunner:
    """A :class:`~hireflow.domain.ports.background_jobs.JobRunner` whose tasks run on Dramatiq workers.

    The same class serves both sides: API processes call :meth:`submit`, :meth:`status`, :meth:`cancel` and
    :meth:`wait`; a worker runs ``dramatiq.Worker(runner.broker)``, whose actor executes jobs with the tasks
    of ``registry``. Keys live under ``key_prefix`` (jobs at ``<prefix>job:<id>``, the broker's queues under
    ``<prefix>dramatiq``), and a job's record expires ``ttl`` after its last change.
    """

    def __init__(
        self,
        registry: TaskRegistry,
        *,
        redis_url: str,
        queue_name: str = "hireflow",
        key_prefix: str = DEFAULT_KEY_PREFIX,
        ttl: timedelta = DEFAULT_TTL,
        clock: Clock | None = None,
        poll_interval: float = 0.05,
        cancel_check_interval: float = 0.25,
        max_retries: int = 3,
    ) -> None:
        if not _QUEUE_NAME.fullmatch(queue_name):
            raise ConfigurationError(
                f"job queue name {queue_name!r} is not valid: use a letter or underscore, then letters, "
                "digits, '-' or '_' (HIREFLOW_JOB_QUEUE)"
            )
        if poll_interval <= 0 or cancel_check_interval < 0:
            raise ValueError("poll_interval must be positive and cancel_check_interval not negative")
        self._registry = registry
        self._clock: Clock = clock or SystemClock()
        self._poll_interval = poll_interval
        self._cancel_check_interval = cancel_check_interval
        self._queue_name = queue_name
        self._client = redis.Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=30)
        self._store = RedisJobStore(self._client, url=redis_url, prefix=key_prefix, ttl=ttl)
        # A task's failure is the job's outcome, not the message's: only infrastructure errors (Redis lost
        # mid-job) reach the Retries middleware, and the job then runs again. No TimeLimit middleware: its
        # default would interrupt long tasks after 10 minutes; tasks stop cooperatively instead.
        self._broker = RedisBroker(  # type: ignore[no-untyped-call]  # dramatiq leaves it unannotated
            client=self._client,
            namespace=f"{key_prefix}dramatiq",
            middleware=[Retries(max_retries=max_retries, min_backoff=1_000, max_backoff=300_000)],
        )
        self._actor = dramatiq.actor(broker=self._broker, actor_name=ACTOR_NAME, queue_name=queue_name)(
            self._execute
        )

    @property
    def broker(self) -> dramatiq.Broker:
        """This runner's broker, with its actor declared: what ``dramatiq.Worker`` consumes."""
        return self._broker

    @property
    def queue_name(self) -> str:
        """The queue this runner's jobs go to."""
        return self._queue_name

    def ping(self) -> None:
        """Check that Redis answers; ServiceUnavailable naming the URL otherwise."""
        self._store.ping()

    def submit(self, name: str, arguments: Mapping[str, Any], *, company_group_id: int | None = None) -> str:
        """Queue task ``name``; the job id. ValidationFailed for an unknown task or bad arguments."""
        _fn, copied = self._registry.prepare(name, arguments)
        job_id = uuid.uuid4().hex
        self._store.create(
            job_id,
            name=name,
            arguments=copied,
            company_group_id=company_group_id,
            created_at=self._clock.now(),
        )
        try:
            with self._store.reachable():
                self._actor.send(job_id)
        except ServiceUnavailable:
            with suppress(ServiceUnavailable):
                self._store.delete(job_id)  # never queued, so it never existed
            raise
        log.info("job queued", job_id=job_id, task=name, company_group_id=company_group_id)
        return job_id

    def status(self, job_id: str, *, company_group_id: int | None = None) -> JobInfo:
        """The job's current state; NotFound when it is unknown or another tenant's."""
        info = self._store.info(job_id)
        # Another tenant's job raises exactly what a missing one does, so ids cannot be probed.
        if info is None or info.company_group_id != company_group_id:
            raise NotFound("job", job_id)
        return info

    def cancel(self, job_id: str, *, company_group_id: int | None = None) -> JobInfo:
        """Cancel a queued job at once, ask a running one to stop; a finished one is returned unchanged."""
        info = self._store.request_cancel(job_id, company_group_id, self._clock.now())
        if info is None:
            raise NotFound("job", job_id)
        return info

    def wait(self, job_id: str, timeout: float) -> JobInfo:
        """Poll up to ``timeout`` seconds for the job to finish; its state then (any tenant: tests, CLI)."""
        deadline = time.monotonic() + timeout
        while True:
            info = self._store.info(job_id)
            if info is None:
                raise NotFound("job", job_id)
            remaining = deadline - time.monotonic()
            if info.status.finished or remaining <= 0:
                return info
            time.sleep(min(self._poll_interval, remaining))

    def close(self) -> None:
        """Close this runner's Redis connections (a worker using its broker must be stopped first)."""
        self._broker.close()
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _execute(self, job_id: str) -> None:
        """The actor: run job ``job_id`` unless it was cancelled, finished, or has expired."""
        verdict = self._store.start(job_id, self._clock.now())
        if verdict not in {"run", "rerun"}:
            log.info("job skipped", job_id=job_id, status=verdict or "missing")
            return
        fields = self._store.fields(job_id)
        if fields is None:  # expired between the two calls: nothing left to report to
            return
        name = fields["name"]
        context = _WorkerContext(self._store, job_id, _tenant_of(fields), self._cancel_check_interval)
        bound = log.bind(job_id=job_id, task=name, company_group_id=context.company_group_id)
        if verdict == "rerun":
            bound.warning("job delivered again after its worker stopped; running it anew")
        try:
            fn, arguments = self._registry.prepare(name, _arguments_of(fields))
            result = json_result(name, fn(context, **arguments))
        # Each outcome is logged before it is recorded: once recorded, a waiting caller may already be gone.
        except TaskCancelled:
            bound.info("job cancelled")
            self._store.finish(job_id, JobStatus.CANCELLED, self._clock.now())
        except Exception as exc:  # a task's failure is the job's outcome, not the worker thread's
            bound.exception("job failed")
            self._store.finish(job_id, JobStatus.FAILED, self._clock.now(), error=describe_error(exc))
        else:
            # A task that saw the request and returned early stopped on purpose: the job is cancelled, and
            # what it returned (its partial work) is kept. One that never looked simply finished.
            status = JobStatus.CANCELLED if context.cancel_seen else JobStatus.SUCCEEDED
            bound.info("job finished", status=status.value)
            self._store.finish(job_id, status, self._clock.now(), result=result)


def _tenant_of(fields: Mapping[str, str]) -> int | None:
    tenant = fields["company_group_id"]
    return int(tenant) if tenant else None


def _arguments_of(fields: Mapping[str, str]) -> dict[str, Any]:
    arguments: dict[str, Any] = json.loads(fields["arguments"])
    return arguments
