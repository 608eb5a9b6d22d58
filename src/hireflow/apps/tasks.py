"""Hireflow's background tasks: the registry that API processes submit to and ``hireflow worker`` runs.

Every process builds it with :func:`hireflow_tasks`, so an API process and a worker agree on task names.
"""

from __future__ import annotations

import time
from typing import Any

from hireflow.domain.ports.background_jobs import TaskContext
from hireflow.domain.services.background_jobs import TaskRegistry
from hireflow.domain.services.workforce_runs import CHUNK_TASK
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.types import JSONValue

MAX_SLEEP_SECONDS = 60.0
"""A smoke test needs seconds, not hours; longer sleeps would only hold a worker thread hostage."""
_SLEEP_STEPS = 20


def hireflow_tasks() -> TaskRegistry:
    """A new registry holding every Hireflow task: the built-in ``echo`` and ``sleep``, and the chunks of
    workforce simulations."""
    registry = TaskRegistry()
    registry.register("echo", echo)
    registry.register("sleep", sleep)
    registry.register(CHUNK_TASK, simulate_chunk)
    return registry


def simulate_chunk(context: TaskContext, simulation_id: int, chunk: int) -> dict[str, JSONValue]:
    """Run chunk ``chunk`` of simulation ``simulation_id`` of the job's company group (see
    :class:`~hireflow.domain.services.workforce_runs.SimulationChunks`)."""
    from hireflow.apps.workforce import simulation_chunks

    company_group_id = context.company_group_id
    if company_group_id is None:
        raise ValidationFailed(
            "a simulation chunk runs for a company group; submit it with company_group_id",
            [{"field": "company_group_id", "message": "missing"}],
        )

    def cancelled() -> bool:
        return context.cancelled

    def report(done: float) -> None:
        context.report(done, f"chunk {chunk}: {done:.0%}")

    return simulation_chunks().run(company_group_id, simulation_id, chunk, cancelled=cancelled, report=report)


def echo(context: TaskContext, **arguments: JSONValue) -> dict[str, JSONValue]:
    """Return the arguments unchanged: a smoke test that a worker is consuming the queue."""
    context.report(1.0, "echoed")
    return dict(arguments)


def sleep(context: TaskContext, seconds: float) -> dict[str, Any]:
    """Sleep ``seconds`` (at most an hour) in small steps, reporting progress and stopping when cancelled."""
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not 0 <= seconds <= MAX_SLEEP_SECONDS
    ):
        raise ValidationFailed(
            f"seconds must be between 0 and {MAX_SLEEP_SECONDS:g}, got {seconds!r}",
            [{"field": "seconds", "message": "out of range", "input": seconds}],
        )
    step = seconds / _SLEEP_STEPS
    started = time.monotonic()
    for done in range(1, _SLEEP_STEPS + 1):
        if context.cancelled:
            return {"slept": round(time.monotonic() - started, 3), "cancelled": True}
        time.sleep(step)
        context.report(done / _SLEEP_STEPS, f"slept {done * step:.1f} of {seconds:g}s")
    return {"slept": round(time.monotonic() - started, 3), "cancelled": False}
