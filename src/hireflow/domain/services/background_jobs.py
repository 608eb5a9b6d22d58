"""Background-job rules shared by every runner: the task registry, and what arguments and results may be.

Arguments and results are checked and copied through JSON here, before any runner sees them, so a task behaves
the same in-process as it does behind a broker (where everything crosses a wire as JSON).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from hireflow.shared.errors import Conflict, ValidationFailed
from hireflow.shared.types import JSONValue

Task = Callable[..., JSONValue]
"""A task: ``fn(context, **arguments) -> JSON-able result``; idempotent, taking ids rather than objects."""

TaskT = TypeVar("TaskT", bound=Task)


class TaskRegistry:
    """Tasks by name; runners look a task up here, so only registered names can be submitted."""

    def __init__(self) -> None:
        self._tasks: dict[str, Task] = {}

    def task(self, name: str) -> Callable[[TaskT], TaskT]:
        """Decorator registering a function as task ``name``; the function is returned unchanged."""

        def register(fn: TaskT) -> TaskT:
            self.register(name, fn)
            return fn

        return register

    def register(self, name: str, fn: Task) -> None:
        """Register ``fn`` as task ``name``; Conflict when another function already has that name."""
        if not name or name != name.strip():
            raise ValidationFailed(
                f"task name {name!r} must be non-empty without surrounding spaces",
                [{"field": "name", "message": "invalid task name", "input": name}],
            )
        existing = self._tasks.get(name)
        if existing is not None and existing is not fn:
            raise Conflict(f"task {name!r} is already registered to {existing.__qualname__}", name=name)
        self._tasks[name] = fn

    def get(self, name: str) -> Task:
        """The task registered as ``name``; ValidationFailed naming the known tasks otherwise."""
        try:
            return self._tasks[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise ValidationFailed(
                f"unknown task {name!r}; registered tasks: {known}",
                [{"field": "name", "message": "unknown task", "input": name}],
            ) from None

    def names(self) -> list[str]:
        """Every registered task name, sorted."""
        return sorted(self._tasks)

    def __contains__(self, name: object) -> bool:
        return name in self._tasks

    def prepare(self, name: str, arguments: Mapping[str, Any]) -> tuple[Task, dict[str, JSONValue]]:
        """The task and a JSON copy of its arguments, checked before submission so bad input fails early."""
        fn = self.get(name)
        return fn, validate_arguments(name, fn, arguments)


def validate_arguments(name: str, fn: Task, arguments: Mapping[str, Any]) -> dict[str, JSONValue]:
    """A JSON round-tripped copy of ``arguments``; ValidationFailed listing every key that is not JSON-able
    or that the task does not accept."""
    errors: list[dict[str, Any]] = []
    copied: dict[str, JSONValue] = {}
    for key, value in arguments.items():
        if not isinstance(key, str):
            errors.append({"field": repr(key), "message": "argument names must be strings"})
            continue
        try:
            copied[key] = json.loads(json.dumps(value, allow_nan=False))
        except (TypeError, ValueError) as exc:
            errors.append({"field": key, "message": f"not JSON-serialisable: {exc}"})
    if errors:
        fields = ", ".join(str(e["field"]) for e in errors)
        raise ValidationFailed(f"task {name!r}: arguments not JSON-serialisable: {fields}", errors)
    try:
        # The context is passed positionally first; binding a placeholder checks the keyword arguments only.
        inspect.signature(fn).bind(None, **copied)
    except TypeError as exc:
        raise ValidationFailed(
            f"task {name!r}: arguments do not fit the task: {exc}",
            [{"field": "arguments", "message": str(exc)}],
        ) from None
    return copied


def json_result(name: str, value: Any) -> JSONValue:
    """A JSON round-tripped copy of a task's result; ValidationFailed when it is not JSON-serialisable."""
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(
            f"task {name!r} returned a result that is not JSON-serialisable: {exc}",
            [{"field": "result", "message": str(exc)}],
        ) from None


def describe_error(exc: BaseException) -> str:
    """``"ExceptionType: message"`` (or the type alone): a failed job's ``error``, never a traceback."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
