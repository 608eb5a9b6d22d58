"""The background-jobs port: what a job runner promises, what a task sees while it runs, and a job's state.

Tasks are plain functions ``fn(context, **arguments) -> JSON-able result`` registered by name
(:class:`hireflow.domain.services.background_jobs.TaskRegistry`). Runners (in-process, Dramatiq) differ only in where the
function runs; the rules below hold for every one of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Protocol, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from hireflow.shared.types import JSONValue


class JobStatus(StrEnum):
    """Where a job is in its life: queued -> running -> one of the three final states."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        """True for the final states, which never change again."""
        return self in _FINISHED


_FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})


class TaskCancelled(Exception):
    """Raised by a task that saw ``context.cancelled`` and stopped; the job ends as cancelled."""


class JobInfo(BaseModel):
    """A snapshot of one job; immutable, so it can be handed across threads without a copy."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    company_group_id: int | None = None
    status: JobStatus
    progress: float = Field(default=0.0, ge=0.0, le=1.0)
    message: str | None = None
    result: JSONValue | None = None
    error: str | None = None
    cancel_requested: bool = False
    created_at: AwareDatetime
    started_at: AwareDatetime | None = None
    finished_at: AwareDatetime | None = None

    @field_validator("result")
    @classmethod
    def _result_is_json(cls, value: JSONValue | None) -> JSONValue | None:
        # A result travels through JSON in every runner but this one; refuse here what would break there.
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"result is not JSON-serialisable: {exc}") from None
        return value

    @model_validator(mode="after")
    def _timestamps_follow_status(self) -> Self:
        if self.status.finished != (self.finished_at is not None):
            raise ValueError("finished_at is set exactly when the status is final")
        if self.status is JobStatus.RUNNING and self.started_at is None:
            raise ValueError("a running job has a started_at")
        if self.error is not None and self.status is not JobStatus.FAILED:
            raise ValueError("only a failed job carries an error")
        times = [t for t in (self.created_at, self.started_at, self.finished_at) if t is not None]
        if times != sorted(times):
            raise ValueError("created_at <= started_at <= finished_at")
        return self


class TaskContext(Protocol):
    """What a running task sees of its job: its identity, a progress channel, and whether to stop."""

    @property
    def job_id(self) -> str:
        """The id of the job running this task."""
        ...

    @property
    def company_group_id(self) -> int | None:
        """The tenant the job was submitted for, or None for a platform-wide job."""
        ...

    @property
    def cancelled(self) -> bool:
        """True once someone asked the job to stop; the task should stop soon (return or raise TaskCancelled)."""
        ...

    def report(self, progress: float, message: str | None = None) -> None:
        """Publish progress (0..1) and an optional human-readable message; ValidationFailed outside 0..1."""
        ...


class JobRunner(Protocol):
    """Runs registered tasks in the background and reports on them, one tenant at a time."""

    def submit(self, name: str, arguments: Mapping[str, Any], *, company_group_id: int | None = None) -> str:
        """Queue task ``name`` with JSON-able ``arguments``; the job id. ValidationFailed for an unknown task
        or arguments that are not JSON-serialisable or do not fit the task."""
        ...

    def status(self, job_id: str, *, company_group_id: int | None = None) -> JobInfo:
        """The job's current state; NotFound when it is unknown or another tenant's (the same error)."""
        ...

    def cancel(self, job_id: str, *, company_group_id: int | None = None) -> JobInfo:
        """Cancel a queued job at once, ask a running one to stop, leave a finished one unchanged.

        NotFound as for :meth:`status`. Returns the state after the request.
        """
        ...

    def wait(self, job_id: str, timeout: float) -> JobInfo:
        """Block up to ``timeout`` seconds for the job to finish; its state then, final or not (tests, CLI)."""
        ...
