"""Background jobs of the caller's company group: ``/api/v1/jobs``.

A job is submitted by task name with JSON keyword arguments, runs on the configured job runner (in-process
threads by default, Dramatiq workers when configured), and is polled at its ``Location`` until its status is final
(``succeeded``, ``failed`` or ``cancelled``). Only the tasks in :data:`SUBMITTABLE_TASKS` can be submitted over
HTTP; other registered tasks are for the CLI, schedules and the platform itself.

A job's arguments are never shown back: tasks take ids and settings, and some may take credentials (a CRM
token, say), so the public view holds the status, progress, message, result and error only. A task's result is
shown as the task returned it (``echo`` returns its arguments: that is its purpose).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Path, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from hireflow.apps.api.deps import CanReadJobs, CanRunJobs, Services
from hireflow.apps.api.routers import new_router
from hireflow.apps.api.schemas import NOT_FOUND, Problem
from hireflow.domain.ports.background_jobs import JobInfo, JobStatus
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.types import JSONValue

PREFIX = "/api/v1/jobs"
router = new_router(prefix=PREFIX, tags=["jobs"])

SUBMITTABLE_TASKS: frozenset[str] = frozenset({"echo", "sleep"})
"""The tasks a member with the ``jobs:run`` permission may start through the API."""

MAX_ARGUMENTS_BYTES = 16_384
"""The largest JSON document of arguments a submission may carry."""

JobId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The job's id, as the submission returned it",
    ),
]

_SUBMITTED: dict[int | str, dict[str, Any]] = {
    202: {
        "headers": {
            "Location": {
                "description": "The job's URL, to poll for its outcome",
                "schema": {"type": "string"},
            }
        }
    },
    400: {
        "model": Problem,
        "description": "The body could not be read (it is not UTF-8 text)",
        "content": {"application/problem+json": {}},
    },
}


class JobCreate(BaseModel):
    """A task to run in the background, and its keyword arguments."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1, max_length=100, description="The task: " + ", ".join(sorted(SUBMITTABLE_TASKS))
    )
    arguments: dict[str, JSONValue] = Field(
        default_factory=dict,
        description=f"The task's keyword arguments (JSON, at most {MAX_ARGUMENTS_BYTES} bytes)",
    )

    @field_validator("arguments")
    @classmethod
    def _not_too_large(cls, value: dict[str, JSONValue]) -> dict[str, JSONValue]:
        if len(json.dumps(value, separators=(",", ":")).encode()) > MAX_ARGUMENTS_BYTES:
            raise ValueError(f"the arguments exceed {MAX_ARGUMENTS_BYTES} bytes of JSON")
        return value


class JobPublic(BaseModel):
    """A background job as its company group sees it (never its arguments)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str = Field(description="The task it runs")
    status: JobStatus
    progress: float = Field(description="0 to 1, as the task reports it")
    message: str | None = Field(description="The task's latest progress message")
    result: JSONValue | None = Field(description="What the task returned (succeeded, or cancelled part-way)")
    error: str | None = Field(description="Why it failed: the error's type and message, never a traceback")
    cancel_requested: bool = Field(description="True once a cancel was asked of the running job")
    created_at: AwareDatetime
    started_at: AwareDatetime | None
    finished_at: AwareDatetime | None = Field(description="Set exactly when the status is final")


def _public(info: JobInfo) -> JobPublic:
    return JobPublic.model_validate(info)


@router.post(
    "",
    response_model=JobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=_SUBMITTED,
)
def submit_job(body: JobCreate, caller: CanRunJobs, services: Services, response: Response) -> JobPublic:
    """Start a background job; poll its Location for the outcome."""
    if body.name not in SUBMITTABLE_TASKS:
        raise ValidationFailed(
            f"task {body.name!r} cannot be started through the API; "
            f"tasks that can: {', '.join(sorted(SUBMITTABLE_TASKS))}",
            [{"field": "name", "message": "unknown task, or one that cannot be started through the API"}],
        )
    runner = services.job_runner
    job_id = runner.submit(body.name, body.arguments, company_group_id=caller.company_group_id)
    response.headers["Location"] = f"{PREFIX}/{job_id}"
    return _public(runner.status(job_id, company_group_id=caller.company_group_id))


@router.get("/{job_id}", response_model=JobPublic, responses=NOT_FOUND)
def get_job(job_id: JobId, caller: CanReadJobs, services: Services) -> JobPublic:
    """Get a background job's status, progress and outcome."""
    return _public(services.job_runner.status(job_id, company_group_id=caller.company_group_id))


@router.post("/{job_id}/cancel", response_model=JobPublic, responses=NOT_FOUND)
def cancel_job(job_id: JobId, caller: CanRunJobs, services: Services) -> JobPublic:
    """Cancel a job: a queued one at once, a running one as soon as its task stops; a finished one stays."""
    return _public(services.job_runner.cancel(job_id, company_group_id=caller.company_group_id))
