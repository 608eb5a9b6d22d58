"""The tasks every job runner is tested with, steered by named gates (tasks take JSON arguments, so a name)."""

from __future__ import annotations

import threading
from typing import Any

from hireflow.domain.ports.background_jobs import TaskCancelled, TaskContext
from hireflow.domain.services.background_jobs import TaskRegistry

TIMEOUT = 5.0
"""The longest any test waits for a task; a bug fails the test instead of hanging it."""


class Gates:
    """Named events shared by the tests and their tasks (tasks take JSON arguments, so they take a name)."""

    def __init__(self) -> None:
        self._events: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> threading.Event:
        with self._lock:
            return self._events.setdefault(name, threading.Event())

    def wait(self, name: str) -> None:
        assert self[name].wait(TIMEOUT), f"gate {name!r} was not opened within {TIMEOUT}s"

    def open_all(self) -> None:
        with self._lock:
            for event in self._events.values():
                event.set()


def build_registry(gates: Gates) -> TaskRegistry:
    """The tasks the runner tests submit, steered by ``gates``."""
    registry = TaskRegistry()

    @registry.task("double")
    def double(context: TaskContext, n: int) -> dict[str, int]:
        context.report(1.0, "done")
        return {"double": n * 2}

    @registry.task("blocking")
    def blocking(context: TaskContext, key: str, result: Any = None) -> Any:
        """Signals ``<key>.started``, reports half-way, then waits for ``<key>.release``."""
        context.report(0.5, "half-way")
        gates[f"{key}.started"].set()
        gates.wait(f"{key}.release")
        return result

    @registry.task("until_cancelled")
    def until_cancelled(context: TaskContext, key: str, how: str) -> Any:
        gates[f"{key}.started"].set()
        if how == "ignore":
            gates.wait(f"{key}.release")
            return "finished anyway"
        # The test cancels right after `started`; poll briefly, bounded, as a real task checks between items.
        for _ in range(int(TIMEOUT / 0.005)):
            if context.cancelled:
                if how == "raise":
                    raise TaskCancelled
                return {"processed": 3}
            gates[f"{key}.never"].wait(0.005)
        raise AssertionError("cancellation was never reported to the task")

    @registry.task("fail")
    def fail(context: TaskContext, candidate_id: int) -> None:
        raise LookupError(f"candidate {candidate_id} is gone")

    @registry.task("bad_result")
    def bad_result(context: TaskContext) -> object:
        return {"value": object()}

    @registry.task("bad_progress")
    def bad_progress(context: TaskContext) -> None:
        context.report(2.0)

    return registry
