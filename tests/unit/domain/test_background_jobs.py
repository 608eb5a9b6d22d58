"""The background-job rules: the task registry, argument and result checks, and JobInfo's invariants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from hireflow.domain.ports.background_jobs import JobInfo, JobStatus, TaskContext
from hireflow.domain.services.background_jobs import (
    TaskRegistry,
    describe_error,
    json_result,
    validate_arguments,
)
from hireflow.shared.errors import Conflict, ValidationFailed

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _sync(context: TaskContext, *, connector_id: int, full: bool = False) -> dict[str, Any]:
    return {"connector_id": connector_id, "full": full}


@pytest.fixture
def registry() -> TaskRegistry:
    registry = TaskRegistry()
    registry.register("crm.sync", _sync)
    return registry


# --- registry -------------------------------------------------------------------------------------------


def test_the_decorator_registers_the_function_unchanged() -> None:
    registry = TaskRegistry()

    @registry.task("embed")
    def embed(context: TaskContext, candidate_id: int) -> int:
        return candidate_id

    assert registry.get("embed") is embed
    assert "embed" in registry
    assert registry.names() == ["embed"]


def test_an_unknown_task_is_refused_naming_the_known_ones(registry: TaskRegistry) -> None:
    registry.register("matching.run", _sync)
    with pytest.raises(
        ValidationFailed, match=r"unknown task 'nope'; registered tasks: crm.sync, matching.run"
    ):
        registry.get("nope")


def test_an_empty_registry_says_so() -> None:
    with pytest.raises(ValidationFailed, match="registered tasks: none"):
        TaskRegistry().get("x")


def test_a_name_taken_by_another_function_is_a_conflict(registry: TaskRegistry) -> None:
    registry.register("crm.sync", _sync)  # the same function again: harmless (module re-import)
    with pytest.raises(Conflict, match="already registered to _sync"):
        registry.register("crm.sync", lambda context: None)


@pytest.mark.parametrize("name", ["", " padded "])
def test_a_blank_or_padded_name_is_refused(name: str) -> None:
    with pytest.raises(ValidationFailed, match="task name"):
        TaskRegistry().register(name, _sync)


# --- arguments ------------------------------------------------------------------------------------------


def test_prepare_returns_the_task_and_a_json_copy_of_the_arguments(registry: TaskRegistry) -> None:
    arguments = {"connector_id": 7, "full": True}
    fn, copied = registry.prepare("crm.sync", arguments)
    assert fn is _sync
    assert copied == arguments
    assert copied is not arguments


def test_arguments_are_copied_as_json_would_carry_them() -> None:
    def task(context: TaskContext, ids: list[int]) -> None:
        return None

    assert validate_arguments("t", task, {"ids": (1, 2)}) == {"ids": [1, 2]}


def test_every_non_json_argument_is_named() -> None:
    def task(context: TaskContext, **kwargs: Any) -> None:
        return None

    with pytest.raises(ValidationFailed) as caught:
        validate_arguments("t", task, {"ok": 1, "when": T0, "amount": Decimal("1.5"), "ratio": float("nan")})
    assert [e["field"] for e in caught.value.errors] == ["when", "amount", "ratio"]
    assert "when, amount, ratio" in caught.value.detail


def test_a_non_string_argument_name_is_refused() -> None:
    def task(context: TaskContext, **kwargs: Any) -> None:
        return None

    with pytest.raises(ValidationFailed, match="not JSON-serialisable: 1"):
        validate_arguments("t", task, {1: "x"})  # type: ignore[dict-item]


def test_arguments_must_fit_the_task(registry: TaskRegistry) -> None:
    with pytest.raises(ValidationFailed, match="do not fit the task: missing a required argument"):
        registry.prepare("crm.sync", {"full": True})
    with pytest.raises(ValidationFailed, match="unexpected keyword argument 'colour'"):
        registry.prepare("crm.sync", {"connector_id": 1, "colour": "red"})


# --- results and errors ---------------------------------------------------------------------------------


def test_a_result_is_copied_through_json() -> None:
    assert json_result("t", {"ids": (1, 2)}) == {"ids": [1, 2]}
    assert json_result("t", None) is None


def test_a_non_json_result_is_refused_naming_the_task() -> None:
    with pytest.raises(ValidationFailed, match="task 't' returned a result that is not JSON-serialisable"):
        json_result("t", {"at": T0})


def test_an_error_is_described_in_one_line_without_a_traceback() -> None:
    assert describe_error(KeyError("candidate")) == "KeyError: 'candidate'"
    assert describe_error(RuntimeError()) == "RuntimeError"


# --- JobInfo --------------------------------------------------------------------------------------------


def _info(**overrides: Any) -> JobInfo:
    fields: dict[str, Any] = {"id": "j1", "name": "crm.sync", "status": JobStatus.QUEUED, "created_at": T0}
    return JobInfo(**(fields | overrides))


def test_a_queued_job_starts_empty() -> None:
    info = _info(company_group_id=3)
    assert (info.progress, info.result, info.error, info.finished_at) == (0.0, None, None, None)
    assert not info.status.finished


def test_a_finished_job_is_valid() -> None:
    info = _info(
        status=JobStatus.SUCCEEDED,
        progress=1.0,
        result={"synced": 10},
        started_at=T0,
        finished_at=T0 + timedelta(seconds=2),
    )
    assert info.status.finished


def test_job_info_is_immutable() -> None:
    with pytest.raises(ValidationError):
        _info().progress = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"progress": 1.5}, "less than or equal to 1"),
        ({"progress": -0.1}, "greater than or equal to 0"),
        ({"created_at": datetime(2026, 1, 5)}, "timezone"),  # naive on purpose
        ({"result": {"at": T0}}, "result is not JSON-serialisable"),
        ({"status": JobStatus.SUCCEEDED, "started_at": T0}, "finished_at is set exactly"),
        ({"finished_at": T0}, "finished_at is set exactly"),
        ({"status": JobStatus.RUNNING}, "a running job has a started_at"),
        ({"error": "boom"}, "only a failed job carries an error"),
        ({"status": JobStatus.RUNNING, "started_at": T0 - timedelta(seconds=1)}, "created_at <= started_at"),
        ({"name": ""}, "at least 1 character"),
    ],
)
def test_job_info_refuses_inconsistent_states(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _info(**overrides)
